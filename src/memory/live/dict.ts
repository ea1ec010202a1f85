/**
 * A live hash table's bucket count (dict.c, 7.0): growth on insert (dictExpand to used + 1),
 * the shrink a type's delete path asks for (htNeedsResize + dictResize), and incremental
 * rehashing, during which both tables count in dictSlots. One rehash step runs per lookup,
 * insert or delete while a rehash is in progress; each step empties one non-empty bucket of
 * the old table, after skipping at most 10 empty ones. How many steps a rehash takes depends on
 * how the keys hashed (the server's random seed): the model takes the expected count.
 */
import { DICT_HT_INITIAL_SIZE } from '../sizes.js';
import { dictNextPower } from '../dict.js';

/** HASHTABLE_MIN_FILL (server.h): below 10% fill a value's table is shrunk */
const HASHTABLE_MIN_FILL = 10;
/** dictRehash's empty_visits per moved bucket */
const EMPTY_VISITS = 10;

/** Expected rehash steps to empty a table of `size` buckets holding `used` keys. */
export function expectedRehashSteps(size: number, used: number): number {
  if (used === 0) return 1;
  const occupied = size * (1 - (1 - 1 / size) ** used);
  const empty = size - occupied;
  // the empties before the last occupied bucket cost one step per EMPTY_VISITS of them
  const emptyBefore = empty * (occupied / (occupied + 1));
  return Math.max(1, Math.round(occupied + Math.floor(emptyBefore / EMPTY_VISITS)));
}

export class LiveDict {
  size0 = 0;
  size1 = 0;
  used = 0;
  private stepsLeft = 0;

  constructor(private readonly noShrink = false) {}

  get rehashing(): boolean {
    return this.size1 !== 0;
  }

  /** dictSlots: buckets of both tables */
  get slots(): number {
    return this.size0 + this.size1;
  }

  /** _dictRehashStep (from dictFind, dictAddRaw, dictGenericDelete, dictGetRandomKey ...) */
  step(): void {
    if (this.size1 === 0) return;
    if (--this.stepsLeft <= 0) {
      this.size0 = this.size1;
      this.size1 = 0;
      this.stepsLeft = 0;
    }
  }

  /** dictExpand(n); returns whether a table was created */
  expand(n: number): boolean {
    if (this.rehashing || this.used > n) return false;
    if (this.noShrink && this.size0 >= n) return false;
    const size = dictNextPower(n);
    if (size === this.size0) return false;
    if (this.size0 === 0) {
      this.size0 = size;
      return true;
    }
    this.size1 = size;
    this.stepsLeft = expectedRehashSteps(this.size0, this.used);
    return true;
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

  /** A table as a load leaves it: pre-sized for n keys (dictExpand(n) then n inserts). */
  static presized(n: number, noShrink = false): LiveDict {
    const d = new LiveDict(noShrink);
    if (n > 0) d.expand(n);
    d.used = n;
    return d;
  }
}
