/**
 * The N largest items by a score, kept in a bounded min-heap: O(log N) per item, N items held.
 * Ties are broken by an ordinal (a key record's offset: its place in the dump), the earlier
 * first, so what is kept is the N first by (score descending, ordinal ascending) whatever order
 * the items came in: two parts of a dump read by two threads merge into what one pass keeps.
 * Its state is plain data (TopNData): what an analysis keeps and sends between threads.
 */
export interface TopNData<T> {
  readonly limit: number;
  /** the heap: scores[0] is the smallest kept (of equal scores, the largest ordinal) */
  readonly scores: number[];
  readonly ords: number[];
  readonly items: T[];
}

/** Items of a TopN's data, largest score first (equal scores: smaller ordinal first). */
export function topNSorted<T>(d: TopNData<T>): { score: number; item: T }[] {
  return d.scores
    .map((score, i) => ({ score, ord: d.ords[i]!, item: d.items[i]! }))
    .sort((a, b) => b.score - a.score || a.ord - b.ord)
    .map(({ score, item }) => ({ score, item }));
}

export class TopN<T> implements TopNData<T> {
  readonly scores: number[] = [];
  readonly ords: number[] = [];
  readonly items: T[] = [];

  constructor(readonly limit: number) {}

  /** The state as plain data (shared, not copied). */
  data(): TopNData<T> {
    return { limit: this.limit, scores: this.scores, ords: this.ords, items: this.items };
  }

  /** Whether an item with this score and ordinal would be kept (test before building the item). */
  wants(score: number, ord: number): boolean {
    if (this.limit <= 0) return false;
    if (this.scores.length < this.limit) return true;
    const min = this.scores[0]!;
    return score > min || (score === min && ord < this.ords[0]!);
  }

  add(score: number, item: T, ord: number): void {
    if (!this.wants(score, ord)) return;
    if (this.scores.length < this.limit) {
      this.scores.push(score);
      this.ords.push(ord);
      this.items.push(item);
      this.up(this.scores.length - 1);
    } else {
      this.scores[0] = score;
      this.ords[0] = ord;
      this.items[0] = item;
      this.down(0);
    }
  }

  /** Fold in another TopN's data (same limit): the kept set is as if one TopN had seen both. */
  merge(d: TopNData<T>): void {
    for (let i = 0; i < d.scores.length; i++) this.add(d.scores[i]!, d.items[i]!, d.ords[i]!);
  }

  /** A TopN over existing data (shared, not copied). */
  static of<T>(d: TopNData<T>): TopN<T> {
    const t = new TopN<T>(d.limit);
    t.scores.push(...d.scores);
    t.ords.push(...d.ords);
    t.items.push(...d.items);
    return t;
  }

  /** Items, largest score first. */
  sorted(): { score: number; item: T }[] {
    return topNSorted(this);
  }

  get size(): number {
    return this.scores.length;
  }

  /** heap order: a below b */
  private below(a: number, b: number): boolean {
    const sa = this.scores[a]!;
    const sb = this.scores[b]!;
    return sa < sb || (sa === sb && this.ords[a]! > this.ords[b]!);
  }

  private swap(a: number, b: number): void {
    const s = this.scores[a]!;
    this.scores[a] = this.scores[b]!;
    this.scores[b] = s;
    const o = this.ords[a]!;
    this.ords[a] = this.ords[b]!;
    this.ords[b] = o;
    const t = this.items[a]!;
    this.items[a] = this.items[b]!;
    this.items[b] = t;
  }

  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.below(i, p)) return;
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
      if (l < n && this.below(l, m)) m = l;
      if (r < n && this.below(r, m)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}
