/**
 * Node count of a Redis radix tree (rax.c) built by inserting a set of fixed-length keys.
 *
 * Redis reports `rax->numnodes` in XINFO STREAM (radix-tree-nodes) and uses it in
 * streamRadixTreeMemoryUsage (object.c) for the stream's node index and every PEL. We do not
 * build the tree: for insertions only (what RDB loading does) the rax ends up in one canonical
 * shape whatever the insertion order, and its node count follows from the sorted keys' common
 * prefix lengths.
 *
 * The shape, as raxGenericInsert leaves it (rax.c, every version 5.0 .. 8.0):
 * - the head node always exists (an empty rax has numnodes 1);
 * - every prefix where keys diverge is one non-compressed node holding the next byte of each
 *   branch (a split on insert makes exactly this node);
 * - every key ends in its own leaf node (size 0);
 * - below a branch byte, the run of bytes up to the next branch or leaf is one node (compressed
 *   when 2+ bytes, a 1-byte non-compressed node otherwise): `raxCompressNode` on insert, the
 *   "trimmed"/"postfix" halves on a split. A branch byte leading straight to a branch or leaf
 *   adds no node;
 * - when all keys share a prefix, the head is that run (compressed) above the first branch.
 *
 * So numnodes = 1 (head) + branches + leaves + edges of 2+ bytes, where the edges are those of
 * the compacted trie, and the head counts as the top branch itself when the keys already
 * diverge at byte 0. The test suite checks this against a literal simulation of rax.c inserts
 * in random orders and against radix-tree-nodes from real servers.
 */

/**
 * rax->numnodes after inserting the `keyLen`-byte keys concatenated in `keys` (any order,
 * duplicates allowed) into an empty rax. Linear in the input when it is already sorted (stream
 * node IDs and PEL IDs are loaded in increasing order); otherwise the keys are sorted first.
 */
export function raxNodeCount(keys: Uint8Array, keyLen = 16): number {
  if (!Number.isInteger(keyLen) || keyLen <= 0) throw new RangeError(`raxNodeCount: bad key length ${keyLen}`);
  if (keys.length % keyLen !== 0) throw new RangeError(`raxNodeCount: ${keys.length} bytes is not a whole number of ${keyLen}-byte keys`);
  const n = keys.length / keyLen;
  if (n === 0) return 1;
  if (n === 1) return 2; // head compressed over the whole key, then the leaf
  let sorted = keys;
  if (!isSorted(keys, keyLen, n)) sorted = sortKeys(keys, keyLen, n);
  return countSorted(sorted, keyLen, n);
}

/**
 * raxNodeCount over `n` sorted distinct keys known by their adjacent common prefixes only:
 * `lcp(i)` is the common prefix length of keys i-1 and i (1 <= i < n). For sets kept sorted
 * elsewhere (a consumer group's PEL), without building the keys.
 */
export function raxNodeCountByLcp(n: number, keyLen: number, lcp: (i: number) => number): number {
  if (n === 0) return 1;
  if (n === 1) return 2;
  return countByLcp(n, keyLen, lcp);
}

/** Length of the common prefix of keys i-1 and i (keyLen when equal), or -1 when key i-1 > key i. */
function lcpAt(k: Uint8Array, keyLen: number, i: number): number {
  const a = (i - 1) * keyLen;
  const b = i * keyLen;
  for (let j = 0; j < keyLen; j++) {
    const x = k[a + j]!;
    const y = k[b + j]!;
    if (x !== y) return x < y ? j : -1;
  }
  return keyLen;
}

function isSorted(k: Uint8Array, keyLen: number, n: number): boolean {
  for (let i = 1; i < n; i++) if (lcpAt(k, keyLen, i) < 0) return false;
  return true;
}

function sortKeys(k: Uint8Array, keyLen: number, n: number): Uint8Array {
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  const buf = Buffer.from(k.buffer, k.byteOffset, k.byteLength);
  idx.sort((a, b) => buf.compare(buf, b * keyLen, b * keyLen + keyLen, a * keyLen, a * keyLen + keyLen));
  const out = new Uint8Array(k.length);
  for (let i = 0; i < n; i++) out.set(k.subarray(idx[i]! * keyLen, idx[i]! * keyLen + keyLen), i * keyLen);
  return out;
}

/**
 * Count over sorted keys (duplicates skipped). Branch nodes are the distinct LCP depths of
 * adjacent keys, found with the usual LCP-interval stack; each non-top node's edge to its
 * parent spans (its depth - the parent's depth) bytes.
 */
function countSorted(k: Uint8Array, keyLen: number, n: number): number {
  return countByLcp(n, keyLen, (i) => lcpAt(k, keyLen, i));
}

function countByLcp(n: number, keyLen: number, lcpOf: (i: number) => number): number {
  // stack of branch depths, strictly increasing from the bottom (the top branch)
  const stack = new Int32Array(keyLen + 1);
  let sp = 0;
  let branches = 0;
  let longEdges = 0;
  let leaves = 0;
  let prevLcp = -1; // LCP between the previous distinct key and the one before it
  let distinct = false; // seen two different keys
  for (let i = 1; i < n; i++) {
    const d = lcpOf(i);
    if (d === keyLen) continue; // duplicate: insert finds the key, no new node
    // the previous distinct key is a leaf whose parent is the deeper of its two LCPs
    if (keyLen - Math.max(prevLcp, d) >= 2) longEdges++;
    leaves++;
    while (sp > 0 && stack[sp - 1]! > d) {
      const x = stack[--sp]!;
      const parent = Math.max(d, sp > 0 ? stack[sp - 1]! : -1);
      if (x - parent >= 2) longEdges++;
    }
    if (sp === 0 || stack[sp - 1]! < d) {
      stack[sp++] = d;
      branches++;
    }
    prevLcp = d;
    distinct = true;
  }
  if (!distinct) return 2; // all keys equal: one key
  // the last distinct key
  if (keyLen - prevLcp >= 2) longEdges++;
  leaves++;
  while (sp > 1) {
    const x = stack[--sp]!;
    if (x - stack[sp - 1]! >= 2) longEdges++;
  }
  const topDepth = stack[0]!;
  // head: a separate compressed node above the top branch unless the keys diverge at byte 0
  const head = topDepth > 0 ? 1 : 0;
  return head + branches + leaves + longEdges;
}
