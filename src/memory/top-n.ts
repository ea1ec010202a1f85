/**
 * The N largest items by a score, kept in a bounded min-heap: O(log N) per item, N items held.
 * Its state is plain data (TopNData): what an analysis keeps and sends between threads.
 */
export interface TopNData<T> {
  readonly limit: number;
  /** the heap: scores[0] is the smallest kept */
  readonly scores: number[];
  readonly items: T[];
}

/** Items of a TopN's data, largest score first. */
export function topNSorted<T>(d: TopNData<T>): { score: number; item: T }[] {
  return d.scores.map((score, i) => ({ score, item: d.items[i]! })).sort((a, b) => b.score - a.score);
}

export class TopN<T> implements TopNData<T> {
  readonly scores: number[] = [];
  readonly items: T[] = [];

  constructor(readonly limit: number) {}

  /** The state as plain data (shared, not copied). */
  data(): TopNData<T> {
    return { limit: this.limit, scores: this.scores, items: this.items };
  }

  /** Whether an item with this score would be kept (test before building the item). */
  wants(score: number): boolean {
    return this.limit > 0 && (this.scores.length < this.limit || score > this.scores[0]!);
  }

  add(score: number, item: T): void {
    if (!this.wants(score)) return;
    if (this.scores.length < this.limit) {
      this.scores.push(score);
      this.items.push(item);
      this.up(this.scores.length - 1);
    } else {
      this.scores[0] = score;
      this.items[0] = item;
      this.down(0);
    }
  }

  /** Items, largest score first. */
  sorted(): { score: number; item: T }[] {
    return topNSorted(this);
  }

  get size(): number {
    return this.scores.length;
  }

  private swap(a: number, b: number): void {
    const s = this.scores[a]!;
    this.scores[a] = this.scores[b]!;
    this.scores[b] = s;
    const t = this.items[a]!;
    this.items[a] = this.items[b]!;
    this.items[b] = t;
  }

  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.scores[p]! <= this.scores[i]!) return;
      this.swap(i, p);
      i = p;
    }
  }

  private down(i: number): void {
    const n = this.scores.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.scores[l]! < this.scores[m]!) m = l;
      if (r < n && this.scores[r]! < this.scores[m]!) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}
