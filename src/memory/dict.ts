/**
 * Bucket counts of the hash tables a load builds (dict.c). Most tables are pre-sized with
 * dictExpand(len) and never grow; the paths that convert a listpack half-way need the full
 * rules: growth on insert, dictExpand's refusals per version, and incremental rehashing (one
 * step per insert, each step moving one non-empty bucket), during which both tables count.
 */
import { DICT_HT_INITIAL_SIZE } from './sizes.js';
import type { Features } from './sizes.js';

/** _dictNextPower / _dictNextExp: the smallest power of two >= n, at least 4. */
export function dictNextPower(n: number): number {
  if (n <= DICT_HT_INITIAL_SIZE) return DICT_HT_INITIAL_SIZE;
  if (n <= 2 ** 30) return 2 ** (32 - Math.clz32(n - 1));
  return 2 ** Math.ceil(Math.log2(n));
}

/** Buckets of a table that dictExpand(len) pre-sized when len > 4 and that then got len inserts. */
export function presizedSlots(len: number): number {
  return dictNextPower(len);
}

/** A dict's table sizes through a sequence of dictExpand and dictAdd calls. */
export class DictSim {
  size0 = 0;
  size1 = 0;
  used = 0;
  /** rehash steps (inserts) left until table 0 is empty; 0 when not rehashing */
  private stepsLeft = 0;
  private noShrink = false;

  reset(f: Features): this {
    this.size0 = 0;
    this.size1 = 0;
    this.used = 0;
    this.stepsLeft = 0;
    this.noShrink = f.expandNeverShrinks;
    return this;
  }

  get rehashing(): boolean {
    return this.size1 !== 0;
  }

  /** dictSlots / dictBuckets: both tables while rehashing. */
  slots(): number {
    return this.size0 + this.size1;
  }

  /** mirrors dictExpand / _dictExpand (dict.c); returns whether a table was created */
  expand(n: number): boolean {
    if (this.rehashing || this.used > n) return false;
    if (this.noShrink && this.size0 >= n) return false;
    const size = dictNextPower(n);
    if (size === this.size0) return false;
    if (this.size0 === 0 || (this.noShrink && this.used === 0)) {
      this.size0 = size;
      return true;
    }
    this.size1 = size;
    this.stepsLeft = Math.max(1, Math.round(expectedNonEmptyBuckets(this.size0, this.used)));
    return true;
  }

  /** mirrors dictAdd: a rehash step, growth when full, then the insert */
  add(): void {
    if (this.rehashing) this.rehashStep();
    if (!this.rehashing) {
      if (this.size0 === 0) this.expand(DICT_HT_INITIAL_SIZE);
      else if (this.used >= this.size0) this.expand(this.used + 1);
    }
    this.used++;
  }

  /** n inserts */
  addMany(n: number): void {
    // fast path: no rehash pending and room for all of them
    if (!this.rehashing && this.size0 !== 0 && this.used + n <= this.size0) {
      this.used += n;
      return;
    }
    for (let i = 0; i < n; i++) this.add();
  }

  private rehashStep(): void {
    if (--this.stepsLeft <= 0) {
      this.size0 = this.size1;
      this.size1 = 0;
      this.stepsLeft = 0;
    }
  }
}

/** Expected number of non-empty buckets when `used` keys hash uniformly into `size` buckets. */
function expectedNonEmptyBuckets(size: number, used: number): number {
  return size * (1 - (1 - 1 / size) ** used);
}
