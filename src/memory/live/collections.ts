/**
 * Live memory of hashes, sets and sorted sets (t_hash.c, t_set.c, t_zset.c, object.c, 7.0):
 * running sums that the engine updates per element, so MEMORY USAGE is O(1) to read.
 *
 *   listpack   lpBytes (7 + entries); the allocation is lpBytes rounded to its size class
 *              (lpInsert reallocs to the exact size when it grows or shrinks)
 *   intset     8 + width * n, resized exactly (intsetResize)
 *   hashtable  sizeof(dict) + 8 * dictSlots + per element a dictEntry and its sds strings
 *   skiplist   zset + zskiplist + dict + header node + per member sds, dictEntry and a node of
 *              expected size over zslRandomLevel
 */
import type { Features } from '../sizes.js';
import { DICT_ENTRY, INTSET_HEADER, LISTPACK_EMPTY, POINTER, ZSET, ZSKIPLIST } from '../sizes.js';
import { sdsSize } from '../sds.js';
import { expectedNodeSize, headerNodeSize } from '../skiplist.js';
import { Dict } from '../dict.js';

export const ENC_LISTPACK = 0;
export const ENC_HASHTABLE = 1;
export const ENC_INTSET = 2;
export const ENC_SKIPLIST = 3;

function compactName(f: Features): string {
  return f.listpack ? 'listpack' : 'ziplist';
}

/** A hash: listpack or hashtable. */
export class HashMemory {
  enc = ENC_LISTPACK;
  lpBytes = LISTPACK_EMPTY;
  dict: Dict | null = null;
  /** hashtable: sum of sdsZmallocSize of fields and values */
  sdsSum = 0;

  constructor(private readonly f: Features) {}

  get encoding(): string {
    return this.enc === ENC_LISTPACK ? compactName(this.f) : 'hashtable';
  }

  get payload(): number {
    const f = this.f;
    if (this.enc === ENC_LISTPACK) return f.logicalCompactSizes ? this.lpBytes : f.malloc(this.lpBytes);
    const d = this.dict!;
    return f.dictStruct + POINTER * d.slots + d.used * DICT_ENTRY + this.sdsSum;
  }

  /** hashTypeConvertListpack: a dict pre-sized (7.0+) for the pairs, then each inserted */
  toHashtable(pairs: Iterable<[number, number]>, n: number): void {
    const d = new Dict(this.f.expandNeverShrinks);
    if (this.f.listpack) d.expand(n);
    this.sdsSum = 0;
    for (const [fl, vl] of pairs) {
      d.add();
      this.sdsSum += sdsSize(fl, this.f) + sdsSize(vl, this.f);
    }
    this.dict = d;
    this.enc = ENC_HASHTABLE;
  }

  htAdd(fl: number, vl: number): void {
    this.dict!.add();
    this.sdsSum += sdsSize(fl, this.f) + sdsSize(vl, this.f);
  }

  htReplace(oldVl: number, newVl: number): void {
    this.sdsSum += sdsSize(newVl, this.f) - sdsSize(oldVl, this.f);
  }

  htRemove(fl: number, vl: number): void {
    this.dict!.delete();
    this.sdsSum -= sdsSize(fl, this.f) + sdsSize(vl, this.f);
    this.dict!.shrinkIfNeeded();
  }
}

/** A dict of member sds strings (a hashtable set, a skiplist zset's dict) and their sum. */
abstract class MemberDict {
  dict: Dict | null = null;
  sdsSum = 0;

  constructor(protected readonly f: Features) {}

  /** the dict of a conversion: dictExpand'ed first when `expand` is given, then each member added */
  protected fill(lengths: Iterable<number>, expand: number | null): void {
    const d = new Dict(this.f.expandNeverShrinks);
    if (expand !== null) d.expand(expand);
    this.sdsSum = 0;
    for (const len of lengths) {
      d.add();
      this.sdsSum += sdsSize(len, this.f);
    }
    this.dict = d;
  }

  /** a member deleted (the dict shrinks unless the caller resizes once at the end) */
  protected removeMember(len: number, shrink: boolean): void {
    this.dict!.delete();
    this.sdsSum -= sdsSize(len, this.f);
    if (shrink) this.dict!.shrinkIfNeeded();
  }
}

/** A set: intset, listpack (7.2+) or hashtable. */
export class SetMemory extends MemberDict {
  enc = ENC_INTSET;
  intsetWidth = 2;
  lpBytes = LISTPACK_EMPTY;

  get encoding(): string {
    return this.enc === ENC_INTSET ? 'intset' : this.enc === ENC_LISTPACK ? 'listpack' : 'hashtable';
  }

  payload(n: number): number {
    const f = this.f;
    if (this.enc === ENC_INTSET) {
      const bytes = INTSET_HEADER + this.intsetWidth * n;
      return f.logicalCompactSizes ? bytes : f.malloc(bytes);
    }
    if (this.enc === ENC_LISTPACK) return f.malloc(this.lpBytes);
    const d = this.dict!;
    return f.dictStruct + POINTER * d.slots + d.used * DICT_ENTRY + this.sdsSum;
  }

  /** setTypeConvert to a hashtable pre-sized for `expand` members, then each inserted */
  toHashtable(lengths: Iterable<number>, expand: number): void {
    this.fill(lengths, expand);
    this.enc = ENC_HASHTABLE;
  }

  /** dictAddRaw of a new member (its rehash step already taken by the caller) */
  htAdd(len: number): void {
    this.dict!.insert();
    this.sdsSum += sdsSize(len, this.f);
  }

  htRemove(len: number, shrink = true): void {
    this.removeMember(len, shrink);
  }
}

/** A sorted set: listpack or skiplist. */
export class ZsetMemory extends MemberDict {
  enc = ENC_LISTPACK;
  lpBytes = LISTPACK_EMPTY;

  get encoding(): string {
    return this.enc === ENC_LISTPACK ? compactName(this.f) : 'skiplist';
  }

  payload(n: number): number {
    const f = this.f;
    if (this.enc === ENC_LISTPACK) return f.logicalCompactSizes ? this.lpBytes : f.malloc(this.lpBytes);
    const d = this.dict!;
    return ZSET + ZSKIPLIST + f.dictStruct + POINTER * d.slots + headerNodeSize(f) + this.sdsSum + n * (DICT_ENTRY + expectedNodeSize(f));
  }

  /** an empty skiplist zset (createZsetObject) */
  toSkiplist(lengths: Iterable<number>, presize: number): void {
    this.fill(lengths, presize > 0 ? presize : null);
    this.enc = ENC_SKIPLIST;
  }

  slAdd(len: number): void {
    this.dict!.add();
    this.sdsSum += sdsSize(len, this.f);
  }

  slRemove(len: number, shrink = true): void {
    this.removeMember(len, shrink);
  }
}
