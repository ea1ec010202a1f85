/**
 * A double-ended queue over a ring buffer: O(1) pushes and pops at both ends, O(1) indexing
 * (LINDEX, LRANGE). Lists use it.
 */
export class Deque<T> {
  private items: (T | undefined)[];
  private head = 0;
  length = 0;

  constructor(capacity = 8) {
    let c = 8;
    while (c < capacity) c *= 2;
    this.items = new Array<T | undefined>(c);
  }

  static from<T>(values: readonly T[]): Deque<T> {
    const d = new Deque<T>(values.length + 1);
    for (const v of values) d.pushTail(v);
    return d;
  }

  private grow(): void {
    const old = this.items;
    const next = new Array<T | undefined>(old.length * 2);
    for (let i = 0; i < this.length; i++) next[i] = old[(this.head + i) & (old.length - 1)];
    this.items = next;
    this.head = 0;
  }

  pushTail(v: T): void {
    if (this.length === this.items.length) this.grow();
    this.items[(this.head + this.length) & (this.items.length - 1)] = v;
    this.length++;
  }

  pushHead(v: T): void {
    if (this.length === this.items.length) this.grow();
    this.head = (this.head - 1) & (this.items.length - 1);
    this.items[this.head] = v;
    this.length++;
  }

  popHead(): T | undefined {
    if (this.length === 0) return undefined;
    const v = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) & (this.items.length - 1);
    this.length--;
    return v;
  }

  popTail(): T | undefined {
    if (this.length === 0) return undefined;
    const i = (this.head + this.length - 1) & (this.items.length - 1);
    const v = this.items[i];
    this.items[i] = undefined;
    this.length--;
    return v;
  }

  get(i: number): T | undefined {
    if (i < 0 || i >= this.length) return undefined;
    return this.items[(this.head + i) & (this.items.length - 1)];
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = 0; i < this.length; i++) yield this.items[(this.head + i) & (this.items.length - 1)]!;
  }
}
