/**
 * Bucket counts of the hash tables a load builds (dict.c). Most tables are pre-sized with
 * dictExpand(len) and never grow; the paths that convert a listpack half-way need the full
 * rules: growth on insert, dictExpand's refusals per version, and incremental rehashing (one
 * step per insert, each step moving one non-empty bucket), during which both tables count.
 *
 * Whether a rehash finished by the end of the load depends on how the keys hashed into the old
 * table, i.e. on the server's random hash seed. The result is the expected bucket count: the new
 * table plus the old one times the probability that it still holds keys.
 */
import { DICT_HT_INITIAL_SIZE } from './sizes.js';
import type { Features } from './sizes.js';

/** _dictNextPower / _dictNextExp: the smallest power of two >= n, at least 4. */
export function dictNextPower(n: number): number {
  if (n <= DICT_HT_INITIAL_SIZE) return DICT_HT_INITIAL_SIZE;
  if (n <= 0x40000000) return (1 << (32 - Math.clz32(n - 1))) >>> 0;
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
  private noShrink = false;
  /** the last rehash: old table size and keys, steps done since it started */
  private rehashOldSize = 0;
  private rehashOldUsed = 0;
  private rehashSteps = 0;
  /** steps after which the control flow treats the rehash as finished (the expected count) */
  private rehashNeeded = 0;

  reset(f: Features): this {
    this.size0 = 0;
    this.size1 = 0;
    this.used = 0;
    this.noShrink = f.expandNeverShrinks;
    this.rehashOldSize = 0;
    this.rehashOldUsed = 0;
    this.rehashSteps = 0;
    this.rehashNeeded = 0;
    return this;
  }

  get rehashing(): boolean {
    return this.size1 !== 0;
  }

  /** mirrors dictExpand / _dictExpand (dict.c); returns whether a table was created */
  expand(n: number): boolean {
    if (this.rehashing || this.used > n) return false;
    if (this.noShrink && this.size0 >= n) return false;
    const size = dictNextPower(n);
    if (size === this.size0) return false;
    if (this.size0 === 0 || (this.noShrink && this.used === 0)) {
      this.size0 = size;
      this.rehashOldSize = 0;
      return true;
    }
    this.size1 = size;
    this.rehashOldSize = this.size0;
    this.rehashOldUsed = this.used;
    this.rehashSteps = 0;
    this.rehashNeeded = Math.max(1, Math.round(expectedOccupied(this.size0, this.used)));
    return true;
  }

  /** mirrors dictAdd: a rehash step, growth when full, then the insert */
  add(): void {
    // every insert after a rehash began is one more step (a no-op once it is done)
    if (this.rehashOldSize !== 0) this.rehashSteps++;
    if (this.rehashing) this.rehashStep();
    if (!this.rehashing) {
      if (this.size0 === 0) this.expand(DICT_HT_INITIAL_SIZE);
      else if (this.used >= this.size0) this.expand(this.used + 1);
    }
    this.used++;
  }

  /** n inserts */
  addMany(n: number): void {
    for (let i = 0; i < n; i++) {
      // nothing left to decide once no rehash is pending and the rest fits
      if (!this.rehashing && this.size0 !== 0 && this.used + (n - i) <= this.size0) {
        if (this.rehashOldSize !== 0) this.rehashSteps += n - i;
        this.used += n - i;
        return;
      }
      this.add();
    }
  }

  /** dictSlots / dictBuckets at the end: the expected count when a rehash may be unfinished */
  slots(): number {
    if (this.rehashOldSize === 0) return this.size0 + this.size1;
    const newSize = this.rehashing ? this.size1 : this.size0;
    return newSize + this.rehashOldSize * probUnfinished(this.rehashOldSize, this.rehashOldUsed, this.rehashSteps);
  }

  private rehashStep(): void {
    if (this.rehashSteps >= this.rehashNeeded) {
      this.size0 = this.size1;
      this.size1 = 0;
    }
  }
}

const scratch = new DictSim();

/** buckets of a dict filled by a conversion: pre-sized, or grown from empty one insert at a time */
export function convertedDictSlots(n: number, f: Features, presized: boolean): number {
  const d = scratch.reset(f);
  if (presized) d.expand(n);
  d.addMany(n);
  return d.slots();
}

/** Expected number of non-empty buckets when `used` keys hash uniformly into `size` buckets. */
function expectedOccupied(size: number, used: number): number {
  return size * (1 - (1 - 1 / size) ** used);
}

const probCache = new Map<string, number>();

/**
 * Probability that a rehash of a table of `size` buckets holding `used` keys is not finished
 * after `steps` steps: each step empties one occupied bucket, so it is P(occupied > steps).
 */
export function probUnfinished(size: number, used: number, steps: number): number {
  if (used === 0) return steps >= 1 ? 0 : 1;
  if (steps >= used || steps >= size) return 0;
  if (size * used > 200_000) {
    // large tables: the occupied count is tightly concentrated around its mean
    return expectedOccupied(size, used) > steps ? 1 : 0;
  }
  const id = `${size}/${used}/${steps}`;
  let p = probCache.get(id);
  if (p === undefined) {
    // occupancy distribution, one key at a time: dist[j] = P(j buckets occupied)
    let dist = new Float64Array(Math.min(size, used) + 1);
    dist[0] = 1;
    for (let k = 0; k < used; k++) {
      const next = new Float64Array(dist.length);
      for (let j = 0; j <= Math.min(k, size); j++) {
        const pj = dist[j]!;
        if (pj === 0) continue;
        next[j] += (pj * j) / size;
        if (j + 1 < next.length) next[j + 1] += (pj * (size - j)) / size;
      }
      dist = next;
    }
    p = 0;
    for (let j = steps + 1; j < dist.length; j++) p += dist[j]!;
    probCache.set(id, p);
  }
  return p;
}
