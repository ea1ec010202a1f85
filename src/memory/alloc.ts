/**
 * What a key really takes from the allocator once loaded (what `used_memory` grows by), as
 * opposed to what MEMORY USAGE reports for it. The two differ where objectComputeSize counts
 * a nominal size instead of an allocation:
 *
 *   - dict entries: counted as sizeof(dictEntry) (24), allocated as zmalloc(24), which is 32
 *     on a 16-byte-quantum jemalloc (Debian's 7.0.15); likewise sizeof(dict) and
 *     sizeof(quicklist) inside values;
 *   - streams: streamRadixTreeMemoryUsage is a rough guess (30 child pointers per rax node,
 *     16 bytes per element); the real rax nodes are much smaller (see raxAllocation);
 *   - 5.0: sds by sdsAllocSize, not the allocator's size; 5.0/6.2: ziplists, intsets and
 *     embstr by their logical length;
 *   - shared integers (0..9999 as string values) allocate no object of their own;
 *   - Redis 7.2+ set hashtables store a lone member in its bucket and the others in 16-byte
 *     no-value entries (dict.c no_value + keys_are_odd), but MEMORY USAGE still counts 24.
 *
 * Everything else is taken from the MEMORY USAGE breakdown as is.
 */
import type { KeyRecord } from '../rdb/records.js';
import type { StreamFacts } from '../rdb/stream.js';
import { RDB_TYPE } from '../rdb/constants.js';
import type { KeyMemory } from './usage.js';
import type { ServerProfile } from './profiles.js';
import { featuresOf, DICT_ENTRY, DICT_ENTRY_NO_VALUE, QUICKLIST, ROBJ, SDSHDR8 } from './sizes.js';
import type { Features } from './sizes.js';
import { sdsHdrSize } from './sds.js';
import { dictNextPower } from './dict.js';

/** OBJ_SHARED_INTEGERS (server.h): string values 0..9999 share one object. */
export const OBJ_SHARED_INTEGERS = 10000;

/** Bytes the key (name, object, main dict entry, value) takes from the allocator after load. */
export function keyAllocation(rec: KeyRecord, m: KeyMemory, p: ServerProfile): number {
  const f = featuresOf(p);
  const b = m.breakdown;
  let bytes = m.bytes;
  // the main dict entry (Valkey 8.0 embeds the key: its entry already is an allocation size)
  if (!f.keyInEntry) bytes += f.malloc(b.entryOverhead) - b.entryOverhead;
  // 5.0 counts the key's sds without the allocator's rounding
  if (f.exactSds) bytes += f.malloc(b.key) - b.key;
  switch (m.encoding) {
    case 'int':
      // a shared integer: the value object is the server's, not the key's
      if (rec.type === 'string' && rec.length <= 4) bytes -= ROBJ;
      break;
    case 'embstr':
      if (f.logicalCompactSizes) bytes += f.malloc(ROBJ + SDSHDR8 + rec.length + 1) - ROBJ - b.payload;
      break;
    case 'raw':
      if (f.exactSds) bytes += f.malloc(b.payload) - b.payload;
      break;
    case 'ziplist':
    case 'intset':
      if (f.logicalCompactSizes) bytes += f.malloc(b.payload) - b.payload;
      break;
    case 'quicklist':
      bytes += f.malloc(QUICKLIST) - QUICKLIST;
      if (f.logicalCompactSizes && rec.rdbType === RDB_TYPE.LIST_QUICKLIST && rec.facts.nodes) {
        for (const node of rec.facts.nodes) bytes += f.malloc(node.blobBytes) - node.blobBytes;
      }
      break;
    case 'hashtable':
      bytes += f.malloc(f.dictStruct) - f.dictStruct + exactSdsSlack(rec, f);
      if (rec.type === 'set' && f.version >= 702 && !f.valkey) {
        bytes += setNoValueEntries(rec.length, f) - rec.length * DICT_ENTRY;
      } else if (!(rec.type === 'set' && f.setNoValueEntries)) {
        bytes += rec.length * (f.malloc(DICT_ENTRY) - DICT_ENTRY);
      }
      break;
    case 'skiplist':
      bytes += f.malloc(f.dictStruct) - f.dictStruct + rec.length * (f.malloc(DICT_ENTRY) - DICT_ENTRY) + exactSdsSlack(rec, f);
      break;
    case 'stream':
    case 'unknown':
      if (rec.type === 'stream' && rec.facts.stream) bytes += streamAllocation(rec.facts.stream, p) - b.payload;
      break;
  }
  return bytes;
}

/** 5.0 counts every element's sds by sdsAllocSize: add what the allocator rounds up. */
function exactSdsSlack(rec: KeyRecord, f: Features): number {
  const el = rec.facts.elements;
  if (!f.exactSds || !el) return 0;
  let slack = 0;
  const m = Math.min(el.count, el.lengths.length);
  for (let i = 0; i < m; i++) {
    const n = sdsHdrSize(el.lengths[i]!, f.sdsTypeFitsHeader) + el.lengths[i]! + 1;
    slack += f.malloc(n) - n;
  }
  if (el.overflow) {
    for (const [len, c] of el.overflow) {
      const n = sdsHdrSize(len, f.sdsTypeFitsHeader) + len + 1;
      slack += (f.malloc(n) - n) * c;
    }
  }
  return slack;
}

/**
 * Redis 7.2+ set dicts (no_value, keys_are_odd): a member alone in its bucket is stored in the
 * bucket, every other one in a 16-byte dictEntryNoValue. Expected count over uniform hashing.
 */
function setNoValueEntries(n: number, f: Features): number {
  if (n === 0) return 0;
  const buckets = dictNextPower(n);
  const nonEmpty = buckets * (1 - (1 - 1 / buckets) ** n);
  return (n - nonEmpty) * f.malloc(DICT_ENTRY_NO_VALUE);
}

// ------------------------------------------------------------------ streams

/** sizeof(rax) (rax.h): head, numele, numnodes */
const RAX = 24;
/** sizeof(raxNode) header: iskey:1 isnull:1 iscompr:1 size:29 */
const RAX_NODE_HEADER = 4;
const PTR = 8;
/** sizeof(streamNACK): delivery_time, delivery_count, consumer */
const STREAM_NACK = 24;

/** raxPadding (rax.h): pad the node's bytes so that the pointers that follow are aligned */
function raxPadding(size: number): number {
  return (PTR - ((size + RAX_NODE_HEADER) % PTR)) & (PTR - 1);
}

/** raxNodeCurrentLength for a node of `size` bytes (rax.h) */
function raxNodeLength(size: number, compressed: boolean, hasValue: boolean): number {
  return RAX_NODE_HEADER + size + raxPadding(size) + (compressed ? PTR : PTR * size) + (hasValue ? PTR : 0);
}

/**
 * Allocated bytes of a rax (struct and nodes) holding the given distinct fixed-length keys,
 * each with a non-NULL value, as insertions leave it (the canonical shape rax.ts describes:
 * a branch node where keys diverge, one node for each run of bytes between branches, a
 * value-holding leaf per key).
 */
export function raxAllocation(keys: Uint8Array, keyLen: number, malloc: (n: number) => number): number {
  const n = keys.length / keyLen;
  let total = malloc(RAX);
  if (n === 0) return total + malloc(raxNodeLength(0, false, false));
  const idx = sortedDistinct(keys, keyLen, n);
  const lcp = (a: number, b: number): number => {
    const x = idx[a]! * keyLen;
    const y = idx[b]! * keyLen;
    let j = 0;
    while (j < keyLen && keys[x + j] === keys[y + j]) j++;
    return j;
  };
  const leaf = malloc(raxNodeLength(0, false, true));
  const run = (len: number): number => (len <= 0 ? 0 : malloc(raxNodeLength(len, len >= 2, false)));
  // a subtree of keys idx[lo, hi) that agree on bytes [0, depth): returns its bytes
  const subtree = (lo: number, hi: number, depth: number): number => {
    if (hi - lo === 1) return leaf;
    // branch at `depth`: group by the byte there
    let bytes = 0;
    let children = 0;
    let a = lo;
    while (a < hi) {
      const c = keys[idx[a]! * keyLen + depth];
      let b = a + 1;
      while (b < hi && keys[idx[b]! * keyLen + depth] === c) b++;
      children++;
      const next = b - a === 1 ? keyLen : lcp(a, b - 1);
      bytes += run(next - depth - 1) + subtree(a, b, next);
      a = b;
    }
    return bytes + malloc(raxNodeLength(children, false, false));
  };
  const top = n === 1 ? keyLen : lcp(0, idx.length - 1);
  total += run(top) + subtree(0, idx.length, top);
  return total;
}

function sortedDistinct(keys: Uint8Array, keyLen: number, n: number): number[] {
  const buf = Buffer.from(keys.buffer, keys.byteOffset, keys.byteLength);
  const idx = Array.from({ length: n }, (_, i) => i);
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) if (buf.compare(buf, i * keyLen, i * keyLen + keyLen, (i - 1) * keyLen, i * keyLen) < 0) sorted = false;
  if (!sorted) idx.sort((a, b) => buf.compare(buf, a * keyLen, a * keyLen + keyLen, b * keyLen, b * keyLen + keyLen));
  const out: number[] = [];
  for (const i of idx) {
    const prev = out.length > 0 ? out[out.length - 1]! : -1;
    if (prev >= 0 && buf.compare(buf, i * keyLen, i * keyLen + keyLen, prev * keyLen, prev * keyLen + keyLen) === 0) continue;
    out.push(i);
  }
  return out;
}

/**
 * A rax keyed by names of which only the lengths are known (consumer groups, consumers):
 * taken to diverge at their first byte.
 */
function namedRaxAllocation(lengths: number[], malloc: (n: number) => number): number {
  let total = malloc(RAX);
  const leaf = malloc(raxNodeLength(0, false, true));
  if (lengths.length === 0) return total + malloc(raxNodeLength(0, false, false));
  if (lengths.length === 1) {
    const len = lengths[0]!;
    return total + (len > 0 ? malloc(raxNodeLength(len, len >= 2, false)) : 0) + leaf;
  }
  total += malloc(raxNodeLength(lengths.length, false, false));
  for (const len of lengths) {
    const rest = len - 1;
    if (rest > 0) total += malloc(raxNodeLength(rest, rest >= 2, false));
    total += leaf;
  }
  return total;
}

/** sizeof(stream) (stream.h): rax, length, last_id, cgroups (+ 7.0 first_id, max_deleted_entry_id, entries_added) */
function streamStructSize(v: number): number {
  return v < 700 ? 40 : 80;
}

/**
 * Allocated bytes of a loaded stream value, sizeof(robj) excluded: the stream struct, the rax
 * of node IDs with its listpacks, and per consumer group its struct, PEL rax, NACKs, consumers
 * rax and consumers (struct, name sds, PEL rax).
 */
export function streamAllocation(s: StreamFacts, p: ServerProfile): number {
  const f = featuresOf(p);
  const m = f.malloc;
  const v = p.version;
  let total = m(streamStructSize(v));
  total += raxAllocation(s.nodeKeys, 16, m);
  for (const lp of s.nodeBytes) total += m(lp);
  if (s.groups.length > 0) {
    total += namedRaxAllocation(
      s.groups.map((g) => g.nameLength),
      m,
    );
    const cgSize = v < 700 ? 32 : 40;
    const consumerSize = v < 702 ? 24 : 32;
    for (const g of s.groups) {
      total += m(cgSize) + raxAllocation(g.pelIds, 16, m) + g.pelCount * m(STREAM_NACK);
      total += namedRaxAllocation(
        g.consumers.map((c) => c.nameLength),
        m,
      );
      for (const c of g.consumers) total += m(consumerSize) + m(sdsHdrSize(c.nameLength, f.sdsTypeFitsHeader) + c.nameLength + 1) + raxAllocation(c.pelIds, 16, m);
    }
  }
  return total;
}
