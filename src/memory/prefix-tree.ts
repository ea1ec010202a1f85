/**
 * Memory by key prefix: keys are split at separator bytes (default ':') into segments, and every
 * prefix up to `depth` segments accumulates keys and bytes. The tree is capped in nodes; once
 * full, a new child is counted in its parent's "other" bucket instead.
 */

export interface PrefixStats {
  keys: number;
  bytes: number;
  /** keys and bytes of keys without a TTL */
  keysNoTtl: number;
  bytesNoTtl: number;
}

export interface PrefixNode extends PrefixStats {
  /** the prefix itself, separators included ("user:" for user:1, user:2) */
  prefix: Buffer;
  /** keys that end exactly here (no further separator) are not children */
  children: Map<string, PrefixNode>;
  /** children refused because the tree was full */
  other: PrefixStats;
  depth: number;
  /** internal: children by a hash of their segment's bytes (no string made per key) */
  byHash?: Map<number, PrefixNode>;
}

export interface PrefixOptions {
  separators: string;
  depth: number;
  maxNodes: number;
}

export const DEFAULT_PREFIX_OPTIONS: PrefixOptions = { separators: ':', depth: 3, maxNodes: 10_000 };

function emptyStats(): PrefixStats {
  return { keys: 0, bytes: 0, keysNoTtl: 0, bytesNoTtl: 0 };
}

function addTo(s: PrefixStats, bytes: number, noTtl: boolean): void {
  s.keys++;
  s.bytes += bytes;
  if (noTtl) {
    s.keysNoTtl++;
    s.bytesNoTtl += bytes;
  }
}

/** A tree as plain data: what an analysis keeps and sends between threads. */
export interface PrefixTreeData {
  readonly root: PrefixNode;
  readonly options: PrefixOptions;
  /** nodes in the tree, the root included */
  readonly nodes: number;
}

export class PrefixTree {
  readonly root: PrefixNode;
  private nodes = 1;
  private readonly sep: Uint8Array;
  readonly options: PrefixOptions;

  constructor(opts: Partial<PrefixOptions> = {}, from?: PrefixTreeData) {
    this.options = { ...DEFAULT_PREFIX_OPTIONS, ...(from?.options ?? opts) };
    this.sep = Buffer.from(this.options.separators, 'latin1');
    this.root = from?.root ?? { prefix: Buffer.alloc(0), children: new Map(), other: emptyStats(), depth: 0, ...emptyStats() };
    if (from) this.nodes = from.nodes;
  }

  /** A tree over existing data (shared, not copied: adds and merges change it). */
  static of(d: PrefixTreeData): PrefixTree {
    return new PrefixTree(d.options, d);
  }

  /** The tree as plain data (shared, not copied). */
  data(): PrefixTreeData {
    return { root: this.root, options: this.options, nodes: this.nodes };
  }

  get nodeCount(): number {
    return this.nodes;
  }

  add(key: Buffer, bytes: number, hasTtl: boolean): void {
    const noTtl = !hasTtl;
    let node = this.root;
    addTo(node, bytes, noTtl);
    let start = 0;
    for (let d = 0; d < this.options.depth; d++) {
      const cut = this.nextSeparator(key, start);
      if (cut < 0) return; // the rest is the key's own name, not a prefix
      const end = cut + 1;
      const h = segmentHash(key, start, end);
      let child = node.byHash?.get(h);
      if (child === undefined || !sameSegment(child.prefix, key, start, end)) {
        const segment = key.toString('latin1', start, end);
        child = node.children.get(segment);
        if (child) (node.byHash ??= new Map()).set(h, child);
      }
      if (!child) {
        const segment = key.toString('latin1', start, end);
        if (this.nodes >= this.options.maxNodes) {
          addTo(node.other, bytes, noTtl);
          return;
        }
        child = { prefix: Buffer.from(key.subarray(0, end)), children: new Map(), other: emptyStats(), depth: d + 1, ...emptyStats() };
        node.children.set(segment, child);
        if (!node.byHash?.has(h)) (node.byHash ??= new Map()).set(h, child);
        this.nodes++;
      }
      addTo(child, bytes, noTtl);
      node = child;
      start = end;
    }
  }

  /** Merge another tree (same options) into this one: for per-file trees of a cluster. */
  merge(other: { readonly root: PrefixNode }): void {
    const walk = (into: PrefixNode, from: PrefixNode): void => {
      into.keys += from.keys;
      into.bytes += from.bytes;
      into.keysNoTtl += from.keysNoTtl;
      into.bytesNoTtl += from.bytesNoTtl;
      for (const k of ['keys', 'bytes', 'keysNoTtl', 'bytesNoTtl'] as const) into.other[k] += from.other[k];
      for (const [seg, child] of from.children) {
        let c = into.children.get(seg);
        if (!c) {
          if (this.nodes >= this.options.maxNodes) {
            for (const k of ['keys', 'bytes', 'keysNoTtl', 'bytesNoTtl'] as const) into.other[k] += child[k];
            continue;
          }
          c = { prefix: child.prefix, children: new Map(), other: emptyStats(), depth: child.depth, ...emptyStats() };
          into.children.set(seg, c);
          this.nodes++;
        }
        walk(c, child);
      }
    };
    walk(this.root, other.root);
  }

  /** Every node at depth >= 1, largest bytes first. */
  flatten(): PrefixNode[] {
    const out: PrefixNode[] = [];
    const walk = (n: PrefixNode) => {
      for (const c of n.children.values()) {
        out.push(c);
        walk(c);
      }
    };
    walk(this.root);
    return out.sort((a, b) => b.bytes - a.bytes);
  }

  private nextSeparator(key: Buffer, from: number): number {
    const sep = this.sep;
    for (let i = from; i < key.length; i++) {
      const c = key[i]!;
      for (let j = 0; j < sep.length; j++) if (c === sep[j]) return i;
    }
    return -1;
  }
}

/** FNV-1a of key[start, end). */
function segmentHash(key: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    h ^= key[i]!;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Whether a child's prefix ends with key[start, end) and is exactly that long. */
function sameSegment(prefix: Buffer, key: Uint8Array, start: number, end: number): boolean {
  if (prefix.length !== end) return false;
  for (let i = start; i < end; i++) if (prefix[i] !== key[i]) return false;
  return true;
}
