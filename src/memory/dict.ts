/**
 * Hash tables (dict.c): their bucket counts through expansion, inserts, deletes and
 * incremental rehashing, for what a load builds and for live values alike. Most tables a load
 * builds are pre-sized with dictExpand(len) and never grow; the paths that convert a listpack
 * half-way need the full rules: growth on insert, dictExpand's refusals per version, and
 * incremental rehashing, during which both tables count.
 *
 * Whether a rehash finished depends on how the keys hashed into the old table, i.e. on the
 * server's random hash seed: see Dict.
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

/** HASHTABLE_MIN_FILL (server.h): below 10% fill a value's table is shrunk */
const HASHTABLE_MIN_FILL = 10;
/** dictRehash's empty_visits per moved bucket */
const EMPTY_VISITS = 10;

/**
 * A dict's table sizes (dict.c) through dictExpand, dictAdd, dictFind and dictDelete: the one
 * model the load estimates (load-hash.ts, load-set.ts, load-zset.ts, stats.ts) and the live
 * values (live/collections.ts) share.
 *
 * One rehash step runs per add, find or delete while a rehash is in progress (_dictRehashStep);
 * each step empties one non-empty bucket of the old table after skipping at most 10 empty ones.
 * How many steps a rehash takes depends on how the keys hashed (the server's random seed):
 * the control flow (`size0`, `size1`, `slots`) takes the expected count, and `expectedSlots`
 * weighs a rehash that may still be unfinished by its probability (what a load reports).
 */
export class Dict {
  size0 = 0;
  size1 = 0;
  used = 0;
  /** the last rehash: old table size and keys, steps done since it started */
  private rehashOldSize = 0;
  private rehashOldUsed = 0;
  private rehashSteps = 0;
  /** steps after which the control flow treats the rehash as finished (the expected count) */
  private rehashNeeded = 0;

  /** `noShrink`: dictExpand never makes a table smaller (7.4+: Features.expandNeverShrinks) */
  constructor(private noShrink = false) {}

  /** An empty dict on the profile with these features (reusing this object). */
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

  /** dictSlots / dictBuckets: buckets of both tables as the control flow has them */
  get slots(): number {
    return this.size0 + this.size1;
  }

  /** mirrors dictExpand / _dictExpand (dict.c); returns whether a table was created */
  expand(n: number): boolean {
    if (this.rehashing || this.used > n) return false;
    if (this.noShrink && this.size0 >= n) return false;
    const size = dictNextPower(n);
    if (size === this.size0) return false;
    // 7.4+: an empty first table is replaced, not rehashed
    if (this.size0 === 0 || (this.noShrink && this.used === 0)) {
      this.size0 = size;
      this.rehashOldSize = 0;
      return true;
    }
    this.size1 = size;
    this.rehashOldSize = this.size0;
    this.rehashOldUsed = this.used;
    this.rehashSteps = 0;
    this.rehashNeeded = expectedRehashSteps(this.size0, this.used);
    return true;
  }

  /** _dictRehashStep (from dictFind, dictAddRaw, dictGenericDelete, ...) */
  step(): void {
    // every step after a rehash began counts (a no-op for the tables once it is done)
    if (this.rehashOldSize !== 0) this.rehashSteps++;
    if (this.size1 !== 0 && this.rehashSteps >= this.rehashNeeded) {
      this.size0 = this.size1;
      this.size1 = 0;
    }
  }

  /** dictAdd of a new key: a rehash step, _dictExpandIfNeeded, the insert */
  add(): void {
    this.step();
    this.insert();
  }

  /** the insert after the step (dictAddRaw: _dictExpandIfNeeded, then the entry) */
  insert(): void {
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

  /** dictFind / dictFetchValue: only the rehash step */
  find(): void {
    this.step();
  }

  /** dictDelete of an existing key */
  delete(): void {
    this.step();
    this.used--;
  }

  /** htNeedsResize + dictResize, as the hash, set and zset delete paths call them */
  shrinkIfNeeded(): void {
    const size = this.slots;
    if (size > DICT_HT_INITIAL_SIZE && (this.used * 100) / size < HASHTABLE_MIN_FILL) {
      if (this.rehashing) return;
      this.expand(Math.max(this.used, DICT_HT_INITIAL_SIZE));
    }
  }

  /**
   * dictSlots at the end of a load: the expected count when the last rehash may be unfinished
   * (the new table plus the old one times the probability that it still holds keys).
   */
  expectedSlots(): number {
    if (this.rehashOldSize === 0) return this.size0 + this.size1;
    const newSize = this.rehashing ? this.size1 : this.size0;
    return newSize + this.rehashOldSize * probUnfinished(this.rehashOldSize, this.rehashOldUsed, this.rehashSteps);
  }

  /** A table as a load leaves it: pre-sized for n keys (dictExpand(n) then n inserts). */
  static presized(n: number, noShrink = false): Dict {
    const d = new Dict(noShrink);
    if (n > 0) d.expand(n);
    d.used = n;
    return d;
  }
}

/** Expected rehash steps to empty a table of `size` buckets holding `used` keys. */
export function expectedRehashSteps(size: number, used: number): number {
  if (used === 0) return 1;
  const occupied = expectedOccupied(size, used);
  const empty = size - occupied;
  // the empties before the last occupied bucket cost one step per EMPTY_VISITS of them
  const emptyBefore = empty * (occupied / (occupied + 1));
  return Math.max(1, Math.round(occupied + Math.floor(emptyBefore / EMPTY_VISITS)));
}

const scratch = new Dict();

/** buckets of a dict filled by a conversion: pre-sized, or grown from empty one insert at a time */
export function convertedDictSlots(n: number, f: Features, presized: boolean): number {
  const d = scratch.reset(f);
  if (presized) d.expand(n);
  d.addMany(n);
  return d.expectedSlots();
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
