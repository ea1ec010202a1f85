/**
 * `--largest N`: the N largest keys after the other filters, in a bounded heap. Ties are broken
 * by position (file order, then key order: the earlier key wins), so the set kept is the same
 * whatever the order in which files are analyzed.
 */

/** A key's place in the run: which file, and its index among that file's keys that passed the filters. */
export interface Ranked {
  file: number;
  ordinal: number;
  /** MEMORY USAGE; -1 (unknown) ranks below every known size */
  bytes: number;
}

/** Negative when `a` ranks before `b` (larger, or as large and earlier). */
export function rankCompare(a: Ranked, b: Ranked): number {
  return b.bytes - a.bytes || a.file - b.file || a.ordinal - b.ordinal;
}

/** Position order: file, then key order. */
export function positionCompare(a: Ranked, b: Ranked): number {
  return a.file - b.file || a.ordinal - b.ordinal;
}

/** Keeps the `limit` best items by rankCompare; O(log limit) per item. */
export class LargestKeys<T extends Ranked> {
  /** a heap whose root is the worst item kept */
  private readonly heap: T[] = [];

  constructor(readonly limit: number) {}

  get size(): number {
    return this.heap.length;
  }

  /** Whether an item would be kept (test before building it). */
  wants(r: Ranked): boolean {
    if (this.limit <= 0) return false;
    return this.heap.length < this.limit || rankCompare(r, this.heap[0]!) < 0;
  }

  add(item: T): void {
    if (!this.wants(item)) return;
    const h = this.heap;
    if (h.length < this.limit) {
      h.push(item);
      this.up(h.length - 1);
    } else {
      h[0] = item;
      this.down(0);
    }
  }

  /** The items kept, in position order (file, then key order). */
  inPositionOrder(): T[] {
    return [...this.heap].sort(positionCompare);
  }

  /** worse(a, b): a ranks after b */
  private worse(i: number, j: number): boolean {
    return rankCompare(this.heap[i]!, this.heap[j]!) > 0;
  }

  private swap(i: number, j: number): void {
    const h = this.heap;
    const t = h[i]!;
    h[i] = h[j]!;
    h[j] = t;
  }

  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.worse(i, p)) return;
      this.swap(i, p);
      i = p;
    }
  }

  private down(i: number): void {
    const n = this.heap.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.worse(l, m)) m = l;
      if (r < n && this.worse(r, m)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}

/** The `limit` best of several already-selected lists, in position order. */
export function mergeLargest<T extends Ranked>(lists: ReadonlyArray<readonly T[]>, limit: number): T[] {
  const all: T[] = [];
  for (const l of lists) for (const x of l) all.push(x);
  return all.sort(rankCompare).slice(0, limit).sort(positionCompare);
}
