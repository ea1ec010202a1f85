/**
 * Values held in memory: keys written live, and dump keys once a write materialised them. Each
 * container keeps its data and a memory model (src/memory/live) that its operations update per
 * element, with the encoding conversions Redis makes at its thresholds (t_string.c, t_list.c,
 * t_hash.c, t_set.c, t_zset.c, t_stream.c, 7.0 write paths).
 *
 * Members of hashes, sets and sorted sets are keyed by their bytes as latin1 strings (one JS
 * character per byte), so Map lookups and comparisons follow memcmp order.
 */
import type { ValueType } from '../rdb/constants.js';
import type { ServerConfig } from '../memory/profiles.js';
import type { Features } from '../memory/sizes.js';
import { LISTPACK_MAX_SAFETY_SIZE } from '../memory/sizes.js';
import { LiveQuicklist } from '../memory/live/quicklist.js';
import { HashMemory, SetMemory, ZsetMemory, ENC_HASHTABLE, ENC_INTSET, ENC_LISTPACK, ENC_SKIPLIST } from '../memory/live/collections.js';
import { StreamMemory } from '../memory/live/stream.js';
import { intClassOfBytes, lpScoreSize, lpSizeOf } from '../memory/live/listpack.js';
import { rawSdsCapacity, sdsGrow, stringEncodingOf, stringPayload, STR_EMBSTR, STR_INT, STR_RAW, STRING_ENCODINGS } from '../memory/live/string.js';
import { lpEntrySize } from '../memory/compact.js';
import { INTSET_WIDTH, INT_CLASS } from '../rdb/facts.js';
import { Deque } from './deque.js';

/** What the containers need to know about the modelled server. */
export interface Env {
  f: Features;
  cfg: ServerConfig;
}

export type LiveValue = StringValue | ListValue | HashValue | SetValue | ZsetValue | StreamValue;

const lat = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.length).latin1Slice(0, b.length);
export const bytesOf = (s: string): Buffer => Buffer.from(s, 'latin1');
export { lat as latin1Key };
const ZERO = Buffer.from('0');

// ------------------------------------------------------------------ strings

export class StringValue {
  readonly type = 'string' as const;
  /** STR_INT, STR_EMBSTR or STR_RAW */
  enc: number;
  /** raw: sds capacity (alloc) and zmalloc size; 0 when created exact */
  private cap = 0;
  private alloc = 0;

  constructor(
    public buf: Buffer,
    private readonly env: Env,
    enc?: number,
  ) {
    this.enc = enc ?? stringEncodingOf(buf);
    if (this.enc === STR_RAW) this.setExactRaw();
  }

  /** a raw sds from sdsnewlen, trimmed by tryObjectEncoding when the spare room is > len/10 */
  private setExactRaw(): void {
    const len = this.buf.length;
    const f = this.env.f;
    const cap = rawSdsCapacity(len, f);
    this.cap = cap - len > len / 10 ? len : cap;
    this.alloc = stringPayload(STR_RAW, len, 0, f);
  }

  get length(): number {
    return this.buf.length;
  }

  get encoding(): string {
    return STRING_ENCODINGS[this.enc]!;
  }

  get payload(): number {
    return stringPayload(this.enc, this.buf.length, this.alloc, this.env.f);
  }

  /** createRawStringObject / sdsnewlen: a raw sds with the allocator's spare room, not trimmed */
  static raw(buf: Buffer, env: Env): StringValue {
    const v = new StringValue(buf, env, STR_INT);
    v.enc = STR_RAW;
    v.cap = rawSdsCapacity(buf.length, env.f);
    v.alloc = stringPayload(STR_RAW, buf.length, 0, env.f);
    return v;
  }

  /** createStringObject: embstr up to 44 bytes, else a raw sdsnewlen (INCRBYFLOAT's result) */
  static created(buf: Buffer, env: Env): StringValue {
    return buf.length <= 44 ? new StringValue(buf, env, STR_EMBSTR) : StringValue.raw(buf, env);
  }

  /** dbUnshareStringValue: an int or embstr value becomes a fresh raw sds */
  private unshare(): void {
    if (this.enc === STR_RAW) return;
    const f = this.env.f;
    this.enc = STR_RAW;
    this.cap = rawSdsCapacity(this.buf.length, f);
    this.alloc = stringPayload(STR_RAW, this.buf.length, 0, f);
  }

  /** dbUnshareStringValue + sdsgrowzero(newLen) (SETRANGE, SETBIT) */
  growZero(newLen: number): void {
    this.unshare();
    const len = this.buf.length;
    if (newLen <= len) return;
    const grown = sdsGrow(len, this.cap, newLen - len, this.env.f);
    if (grown) {
      this.cap = grown.cap;
      this.alloc = grown.alloc;
    }
    const b = Buffer.alloc(newLen);
    this.buf.copy(b);
    this.buf = b;
  }

  /** dupStringObject (COPY) */
  clone(): StringValue {
    const b = Buffer.from(this.buf);
    if (this.enc === STR_RAW) return StringValue.raw(b, this.env);
    return new StringValue(b, this.env, this.enc);
  }

  /** APPEND: the value becomes a raw sds that grows greedily */
  append(extra: Uint8Array): void {
    const f = this.env.f;
    const len = this.buf.length;
    if (this.enc !== STR_RAW) {
      // dbUnshareStringValue: a fresh raw copy (sdsnewlen keeps the allocator's spare room)
      this.enc = STR_RAW;
      this.cap = rawSdsCapacity(len, f);
      this.alloc = stringPayload(STR_RAW, len, 0, f);
    }
    if (extra.length > 0) {
      const grown = sdsGrow(len, this.cap, extra.length, f);
      if (grown) {
        this.cap = grown.cap;
        this.alloc = grown.alloc;
      }
      this.buf = Buffer.concat([this.buf, extra]);
    }
  }
}

// ------------------------------------------------------------------ lists

export class ListValue {
  readonly type = 'list' as const;
  items = new Deque<Buffer>();
  readonly mem: LiveQuicklist;

  constructor(private readonly env: Env) {
    this.mem = new LiveQuicklist(env.f, env.cfg['list-max-listpack-size']);
  }

  get length(): number {
    return this.items.length;
  }

  get encoding(): string {
    return this.mem.encoding;
  }

  get payload(): number {
    return this.mem.payload;
  }

  /** LPUSH / RPUSH of several elements (listTypeTryConversionAppend first, 7.2+) */
  push(tail: boolean, elems: Buffer[], from = 0): void {
    if (this.env.f.listpackLists) {
      let sum = 0;
      for (let i = from; i < elems.length; i++) sum += elems[i]!.length;
      this.mem.beforePush(elems.length - from, sum);
    }
    for (let i = from; i < elems.length; i++) {
      const e = elems[i]!;
      this.mem.push(tail, e.length, lpSizeOf(e));
      if (tail) this.items.pushTail(e);
      else this.items.pushHead(e);
    }
  }

  pop(tail: boolean): Buffer | undefined {
    const e = tail ? this.items.popTail() : this.items.popHead();
    if (e !== undefined) this.mem.pop(tail, lpSizeOf(e));
    return e;
  }

  afterShrink(): void {
    this.mem.afterShrink();
  }

  private sizer(arr: Buffer[]): (k: number) => number {
    return (k) => lpSizeOf(arr[k]!);
  }

  /** LREM: remove up to `count` (0: all) elements equal to `elem`, from the tail when `fromTail` */
  removeEqual(elem: Uint8Array, count: number, fromTail: boolean): number {
    const arr = [...this.items];
    const keep: boolean[] = new Array<boolean>(arr.length).fill(true);
    let removed = 0;
    const e = Buffer.from(elem.buffer, elem.byteOffset, elem.length);
    if (!fromTail) {
      let pos = 0;
      for (let i = 0; i < arr.length; i++) {
        if (arr[i]!.equals(e)) {
          this.mem.removeAt(pos, lpSizeOf(arr[i]!));
          keep[i] = false;
          if (++removed === count) break;
        } else pos++;
      }
    } else {
      for (let i = arr.length - 1; i >= 0; i--) {
        if (arr[i]!.equals(e)) {
          // elements before i are all still there
          this.mem.removeAt(i, lpSizeOf(arr[i]!));
          keep[i] = false;
          if (++removed === count) break;
        }
      }
    }
    if (removed > 0) this.items = Deque.from(arr.filter((_, i) => keep[i]));
    return removed;
  }

  /** LINSERT: the element goes before or after position `index` */
  insertAt(index: number, after: boolean, elem: Buffer): void {
    const arr = [...this.items];
    if (this.env.f.listpackLists) this.mem.beforePush(1, elem.length);
    this.mem.insertAt(index, after, elem.length, lpSizeOf(elem), this.sizer(arr));
    arr.splice(after ? index + 1 : index, 0, elem);
    this.items = Deque.from(arr);
  }

  /** LSET */
  setAt(index: number, elem: Buffer): void {
    const arr = [...this.items];
    if (this.env.f.listpackLists) this.mem.beforePush(1, elem.length);
    this.mem.replaceAt(index, lpSizeOf(arr[index]!), elem.length, lpSizeOf(elem), this.sizer(arr));
    arr[index] = elem;
    this.items = Deque.from(arr);
  }

  /** listTypeDup / quicklistDup (COPY) */
  clone(): ListValue {
    const v = new ListValue(this.env);
    v.items = Deque.from([...this.items]);
    v.mem.copyFrom(this.mem);
    return v;
  }

  /** the node model of a loaded value */
  loadNodes(nodes: readonly { entries: number; bytes: number; plain: boolean }[], listpack: boolean): void {
    this.mem.load(nodes, listpack);
  }
}

// ------------------------------------------------------------------ hashes

export class HashValue {
  readonly type = 'hash' as const;
  readonly map = new Map<string, Buffer>();
  readonly mem: HashMemory;

  constructor(private readonly env: Env) {
    this.mem = new HashMemory(env.f);
  }

  get length(): number {
    return this.map.size;
  }

  get encoding(): string {
    return this.mem.encoding;
  }

  get payload(): number {
    return this.mem.payload;
  }

  private convert(): void {
    const pairs: [number, number][] = [];
    for (const [k, v] of this.map) pairs.push([k.length, v.length]);
    this.mem.toHashtable(pairs, this.map.size);
  }

  /** hashTypeTryConversion before HSET's pairs argv[from..] */
  tryConversion(argv: Buffer[], from: number): void {
    if (this.mem.enc !== ENC_LISTPACK) return;
    const max = this.env.cfg['hash-max-listpack-value'];
    let sum = 0;
    for (let i = from; i < argv.length; i++) sum += argv[i]!.length;
    if (this.mem.lpBytes + sum > LISTPACK_MAX_SAFETY_SIZE) return this.convert();
    for (let i = from; i < argv.length; i++) {
      if (argv[i]!.length > max) return this.convert();
    }
  }

  get(field: Uint8Array): Buffer | undefined {
    if (this.mem.enc === ENC_HASHTABLE) this.mem.dict!.find();
    return this.map.get(lat(field));
  }

  /** hashTypeSet: returns true when the field is new */
  set(field: Buffer, value: Buffer): boolean {
    const k = lat(field);
    const old = this.map.get(k);
    const m = this.mem;
    // hashTypeSet (7.0.15): a field or value longer than hash-max-listpack-value converts first
    if (m.enc === ENC_LISTPACK && (field.length > this.env.cfg['hash-max-listpack-value'] || value.length > this.env.cfg['hash-max-listpack-value'])) this.convert();
    if (m.enc === ENC_LISTPACK) {
      if (old !== undefined) m.lpBytes += lpSizeOf(value) - lpSizeOf(old);
      else m.lpBytes += lpSizeOf(field) + lpSizeOf(value);
      this.map.set(k, value);
      if (this.map.size > this.env.cfg['hash-max-listpack-entries']) this.convert();
    } else {
      m.dict!.find();
      if (old !== undefined) m.htReplace(old.length, value.length);
      else m.htAdd(field.length, value.length);
      this.map.set(k, value);
    }
    return old === undefined;
  }

  /** hashTypeDup (COPY): a listpack copied, a hashtable pre-sized and refilled */
  clone(): HashValue {
    const v = new HashValue(this.env);
    for (const [k, val] of this.map) v.map.set(k, val);
    if (this.mem.enc === ENC_LISTPACK) v.mem.lpBytes = this.mem.lpBytes;
    else v.convert();
    return v;
  }

  delete(field: Uint8Array): boolean {
    const k = lat(field);
    const old = this.map.get(k);
    if (old === undefined) {
      if (this.mem.enc === ENC_HASHTABLE) this.mem.dict!.step();
      return false;
    }
    this.map.delete(k);
    if (this.mem.enc === ENC_LISTPACK) this.mem.lpBytes -= lpSizeOf(field) + lpSizeOf(old);
    else this.mem.htRemove(field.length, old.length);
    return true;
  }
}

// ------------------------------------------------------------------ sets

export class SetValue {
  readonly type = 'set' as const;
  readonly set = new Set<string>();
  readonly mem: SetMemory;

  constructor(
    private readonly env: Env,
    first?: Uint8Array,
    sizeHint = 1,
  ) {
    this.mem = new SetMemory(env.f);
    // setTypeCreate: an intset for an integer, else (7.2+) a listpack, else a hashtable
    // 7.0 and older decide on the first member alone; 7.2 also on the number being added
    const hint = env.f.listpackSets ? sizeHint : 1;
    if (first && intClassOfBytes(first) !== INT_CLASS.STRING && hint <= env.cfg['set-max-intset-entries']) {
      this.mem.enc = ENC_INTSET;
    } else if (env.f.listpackSets && sizeHint <= env.cfg['set-max-listpack-entries']) {
      this.mem.enc = ENC_LISTPACK;
    } else {
      this.mem.toHashtable([], env.f.listpackSets ? sizeHint : 0);
    }
  }

  get length(): number {
    return this.set.size;
  }

  get encoding(): string {
    return this.mem.encoding;
  }

  get payload(): number {
    return this.mem.payload(this.set.size);
  }

  /** createIntsetObject: the empty set SINTERSTORE, SUNIONSTORE and SDIFFSTORE fill */
  static emptyIntset(env: Env): SetValue {
    const v = new SetValue(env, ZERO, 1);
    if (v.mem.enc !== ENC_INTSET) v.mem.enc = ENC_INTSET;
    return v;
  }

  /** setTypeDup (COPY) */
  clone(): SetValue {
    const v = SetValue.emptyIntset(this.env);
    for (const k of this.set) v.set.add(k);
    const m = this.mem;
    v.mem.intsetWidth = m.intsetWidth;
    v.mem.lpBytes = m.lpBytes;
    if (m.enc === ENC_HASHTABLE) {
      const lengths: number[] = [];
      for (const k of this.set) lengths.push(k.length);
      v.mem.toHashtable(lengths, this.set.size);
    } else v.mem.enc = m.enc;
    return v;
  }

  has(m: Uint8Array): boolean {
    if (this.mem.enc === ENC_HASHTABLE) this.mem.dict!.find();
    return this.set.has(lat(m));
  }

  private toHashtable(expand: number): void {
    const lengths: number[] = [];
    for (const k of this.set) lengths.push(k.length);
    this.mem.toHashtable(lengths, expand);
  }

  /** members as the server lists them: an intset in ascending order, else insertion order */
  members(): string[] {
    const out = [...this.set];
    if (this.mem.enc === ENC_INTSET) out.sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
    return out;
  }

  /** setTypeAdd: returns true when added */
  add(member: Uint8Array): boolean {
    const k = lat(member);
    const m = this.mem;
    const cfg = this.env.cfg;
    if (m.enc === ENC_HASHTABLE) {
      // dictAddRaw: one rehash step, then the lookup
      m.dict!.step();
      if (this.set.has(k)) return false;
      this.set.add(k);
      m.htAdd(member.length);
      return true;
    }
    if (this.set.has(k)) return false;
    if (m.enc === ENC_INTSET) {
      const cls = intClassOfBytes(member);
      if (cls !== INT_CLASS.STRING) {
        this.set.add(k);
        const w = INTSET_WIDTH[cls]!;
        if (w > m.intsetWidth) m.intsetWidth = w;
        if (this.set.size > cfg['set-max-intset-entries']) {
          // 7.2+: to a listpack when it fits, else a hashtable; 7.0: a hashtable pre-sized
          this.toHashtable(this.set.size);
        }
        return true;
      }
      // a non-integer member
      if (this.env.f.listpackSets && this.set.size + 1 <= cfg['set-max-listpack-entries'] && member.length <= cfg['set-max-listpack-value']) {
        let bytes = 7;
        for (const s of this.set) bytes += lpSizeOf(bytesOf(s));
        m.lpBytes = bytes;
        m.enc = ENC_LISTPACK;
      } else {
        this.toHashtable(this.set.size);
        this.set.add(k);
        m.htAdd(member.length);
        return true;
      }
    }
    // listpack (7.2+)
    if (this.set.size + 1 > cfg['set-max-listpack-entries'] || member.length > cfg['set-max-listpack-value']) {
      this.toHashtable(this.set.size + 1);
      this.set.add(k);
      m.htAdd(member.length);
      return true;
    }
    this.set.add(k);
    m.lpBytes += lpSizeOf(member);
    return true;
  }

  remove(member: Uint8Array): boolean {
    const k = lat(member);
    const m = this.mem;
    if (m.enc === ENC_HASHTABLE) {
      if (!this.set.has(k)) {
        m.dict!.step();
        return false;
      }
      this.set.delete(k);
      m.htRemove(member.length);
      return true;
    }
    if (!this.set.delete(k)) return false;
    if (m.enc === ENC_LISTPACK) m.lpBytes -= lpSizeOf(member);
    return true;
  }

  /** a random member (SPOP / SRANDMEMBER) */
  random(rand: () => number): string | undefined {
    const n = this.set.size;
    if (n === 0) return undefined;
    let i = Math.floor(rand() * n);
    for (const k of this.set) if (i-- === 0) return k;
    return undefined;
  }
}

// ------------------------------------------------------------------ sorted sets

/** (score, member) order of zslInsert / zzlInsert: score, then memcmp of the members */
function zless(s1: number, m1: string, s2: number, m2: string): boolean {
  return s1 < s2 || (s1 === s2 && m1 < m2);
}

export class ZsetValue {
  readonly type = 'zset' as const;
  readonly scores = new Map<string, number>();
  /**
   * Members in rank order, and their scores. Kept up to date by insertion while small; a large
   * zset written to (a replica applying a ZADD storm) only marks them stale, and they are
   * rebuilt by one sort when next read, so a write stays O(1) instead of O(n).
   */
  private ordered: string[] = [];
  private orderedScores: number[] = [];
  private stale = false;
  readonly mem: ZsetMemory;

  get order(): string[] {
    if (this.stale) this.sortOrder();
    return this.ordered;
  }

  set order(v: string[]) {
    this.ordered = v;
  }

  get orderScores(): number[] {
    if (this.stale) this.sortOrder();
    return this.orderedScores;
  }

  set orderScores(v: number[]) {
    this.orderedScores = v;
  }

  private sortOrder(): void {
    const scores = this.scores;
    const members = [...scores.keys()];
    members.sort((a, b) => {
      const sa = scores.get(a)!;
      const sb = scores.get(b)!;
      if (sa !== sb) return sa < sb ? -1 : 1;
      return a < b ? -1 : a > b ? 1 : 0;
    });
    this.ordered = members;
    this.orderedScores = members.map((m) => scores.get(m)!);
    this.stale = false;
  }

  constructor(
    private readonly env: Env,
    skiplist = false,
  ) {
    this.mem = new ZsetMemory(env.f);
    if (skiplist) this.mem.toSkiplist([], 0);
  }

  get length(): number {
    return this.scores.size;
  }

  get encoding(): string {
    return this.mem.encoding;
  }

  get payload(): number {
    return this.mem.payload(this.scores.size);
  }

  score(m: Uint8Array): number | undefined {
    if (this.mem.enc === ENC_SKIPLIST) this.mem.dict!.find();
    return this.scores.get(lat(m));
  }

  /** rank of (score, member) in the order: the first position not less than it */
  private lowerBound(score: number, member: string): number {
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (zless(this.orderScores[mid]!, this.order[mid]!, score, member)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  rank(member: string): number {
    const s = this.scores.get(member);
    if (s === undefined) return -1;
    return this.lowerBound(s, member);
  }

  /** past this many members an insertion marks the order stale instead of splicing it */
  private static readonly SPLICE_MAX = 2048;

  private insertOrder(score: number, member: string): void {
    if (this.stale) return;
    if (this.ordered.length >= ZsetValue.SPLICE_MAX) {
      this.stale = true;
      return;
    }
    const i = this.lowerBound(score, member);
    this.ordered.splice(i, 0, member);
    this.orderedScores.splice(i, 0, score);
  }

  private removeOrder(score: number, member: string): void {
    if (this.stale) return;
    const i = this.lowerBound(score, member);
    const n = this.ordered.length;
    if (i === n - 1) {
      this.ordered.pop();
      this.orderedScores.pop();
    } else if (i === 0) {
      this.ordered.shift();
      this.orderedScores.shift();
    } else if (n >= ZsetValue.SPLICE_MAX) {
      this.stale = true;
    } else {
      this.ordered.splice(i, 1);
      this.orderedScores.splice(i, 1);
    }
  }

  private fpconv(): boolean {
    return this.env.f.fpconvScores;
  }

  /** zsetConvert to a skiplist (7.0: the dict grows from empty; 7.2+: pre-sized) */
  private toSkiplist(): void {
    const lengths = this.order.map((m) => m.length);
    this.mem.toSkiplist(lengths, this.env.f.listpackSets ? this.order.length : 0);
  }

  /**
   * zsetAdd with a final score: returns 'added', 'updated' or 'same'. The caller has applied
   * NX/XX/GT/LT and INCR already.
   */
  set(memberBuf: Uint8Array, score: number): 'added' | 'updated' | 'same' {
    const member = lat(memberBuf);
    const m = this.mem;
    const cfg = this.env.cfg;
    // a listpack holds "-0" as the integer 0 (lpStringToInt64 takes it)
    if (score === 0 && m.enc === ENC_LISTPACK) score = 0;
    if (m.enc === ENC_SKIPLIST) m.dict!.find();
    const old = this.scores.get(member);
    if (old !== undefined) {
      if (old === score) return 'same';
      this.removeOrder(old, member);
      this.insertOrder(score, member);
      this.scores.set(member, score);
      if (m.enc === ENC_LISTPACK) m.lpBytes += lpScoreSize(score, this.fpconv()) - lpScoreSize(old, this.fpconv());
      return 'updated';
    }
    if (m.enc === ENC_LISTPACK) {
      if (this.scores.size + 1 > cfg['zset-max-listpack-entries'] || memberBuf.length > cfg['zset-max-listpack-value'] || m.lpBytes + memberBuf.length > LISTPACK_MAX_SAFETY_SIZE) {
        this.toSkiplist();
      }
    }
    this.scores.set(member, score);
    this.insertOrder(score, member);
    if (m.enc === ENC_LISTPACK) m.lpBytes += lpSizeOf(memberBuf) + lpScoreSize(score, this.fpconv());
    else m.slAdd(memberBuf.length);
    return 'added';
  }

  remove(memberBuf: Uint8Array): boolean {
    const member = lat(memberBuf);
    const old = this.scores.get(member);
    if (old === undefined) {
      if (this.mem.enc === ENC_SKIPLIST) this.mem.dict!.step();
      return false;
    }
    this.scores.delete(member);
    this.removeOrder(old, member);
    if (this.mem.enc === ENC_LISTPACK) this.mem.lpBytes -= lpSizeOf(memberBuf) + lpScoreSize(old, this.fpconv());
    else this.mem.slRemove(memberBuf.length);
    return true;
  }

  /**
   * ZREMRANGEBY*: remove ranks [from, to] (inclusive, in order). A skiplist deletes from its
   * dict one by one and resizes once at the end (zremrangeGenericCommand).
   */
  removeRanks(from: number, to: number): number {
    const n = to - from + 1;
    if (n <= 0) return 0;
    const members = this.order.splice(from, n);
    const scores = this.orderScores.splice(from, n);
    const m = this.mem;
    for (let i = 0; i < n; i++) {
      const k = members[i]!;
      this.scores.delete(k);
      if (m.enc === ENC_LISTPACK) m.lpBytes -= lpSizeOf(bytesOf(k)) + lpScoreSize(scores[i]!, this.fpconv());
      else m.slRemove(k.length, false);
    }
    if (m.enc === ENC_SKIPLIST) m.dict!.shrinkIfNeeded();
    return n;
  }

  /** zsetDup (COPY): a listpack copied; a skiplist's dict pre-sized */
  clone(): ZsetValue {
    const z = new ZsetValue(this.env, false);
    for (const [k, v] of this.scores) z.scores.set(k, v);
    z.order = [...this.order];
    z.orderScores = [...this.orderScores];
    if (this.mem.enc === ENC_LISTPACK) z.mem.lpBytes = this.mem.lpBytes;
    else z.mem.toSkiplist(z.order.map((m) => m.length), z.order.length);
    return z;
  }

  /**
   * The result of ZUNIONSTORE / ZINTERSTORE: a skiplist built from `entries` (its dict
   * pre-sized for a union, grown for an intersection), then zsetConvertToListpackIfNeeded.
   */
  static fromResult(env: Env, entries: [string, number][], presize: boolean): ZsetValue {
    const z = new ZsetValue(env, false);
    let maxelelen = 0;
    let totelelen = 0;
    for (const [m, sc] of entries) {
      z.scores.set(m, sc);
      if (m.length > maxelelen) maxelelen = m.length;
      totelelen += m.length;
    }
    const sorted = [...entries].sort((a, b) => (zless(a[1], a[0], b[1], b[0]) ? -1 : zless(b[1], b[0], a[1], a[0]) ? 1 : 0));
    for (const [m, sc] of sorted) {
      z.order.push(m);
      z.orderScores.push(sc);
    }
    const cfg = env.cfg;
    if (entries.length <= cfg['zset-max-listpack-entries'] && maxelelen <= cfg['zset-max-listpack-value'] && totelelen <= LISTPACK_MAX_SAFETY_SIZE) {
      for (let i = 0; i < z.orderScores.length; i++) {
        if (z.orderScores[i] === 0) {
          z.orderScores[i] = 0;
          z.scores.set(z.order[i]!, 0);
        }
      }
      let bytes = 7;
      for (const [m, sc] of sorted) bytes += lpSizeOf(bytesOf(m)) + lpScoreSize(sc === 0 ? 0 : sc, env.f.fpconvScores);
      z.mem.lpBytes = bytes;
    } else {
      z.mem.toSkiplist(
        entries.map(([m]) => m.length),
        presize ? entries.length : 0,
      );
    }
    return z;
  }

  /** a loaded value: members in rank order already sorted by the caller */
  static load(env: Env, entries: [Buffer, number][], encoding: string): ZsetValue {
    const z = new ZsetValue(env, false);
    const sorted = entries.map(([m, s]) => [lat(m), s] as [string, number]).sort((a, b) => (zless(a[1], a[0], b[1], b[0]) ? -1 : zless(b[1], b[0], a[1], a[0]) ? 1 : 0));
    for (const [m, s] of sorted) {
      z.scores.set(m, s);
      z.order.push(m);
      z.orderScores.push(s);
    }
    if (encoding === 'skiplist') {
      z.mem.toSkiplist(
        z.order.map((m) => m.length),
        z.order.length,
      );
    } else {
      let bytes = 7;
      for (const [m, s] of sorted) bytes += lpEntrySize(m.length, intClassOfBytes(bytesOf(m))) + lpScoreSize(s, env.f.fpconvScores);
      z.mem.lpBytes = bytes;
    }
    return z;
  }
}

// ------------------------------------------------------------------ streams

export interface StreamId {
  ms: number;
  seq: number;
}

export interface LiveStreamEntry {
  ms: number;
  seq: number;
  fields: Buffer[];
}

export function cmpId(ams: number, aseq: number, bms: number, bseq: number): number {
  return ams !== bms ? (ams < bms ? -1 : 1) : aseq === bseq ? 0 : aseq < bseq ? -1 : 1;
}

export class StreamValue {
  readonly type = 'stream' as const;
  /** live entries in ID order, from `head` on */
  entries: LiveStreamEntry[] = [];
  head = 0;
  last: StreamId = { ms: 0, seq: 0 };
  first: StreamId = { ms: 0, seq: 0 };
  maxDeleted: StreamId = { ms: 0, seq: 0 };
  entriesAdded = 0;
  /** consumer groups of a loaded stream: reported, not modified */
  groups: unknown[] = [];
  readonly mem: StreamMemory;

  constructor(private readonly env: Env) {
    this.mem = new StreamMemory(env.f, env.cfg['stream-node-max-bytes'], env.cfg['stream-node-max-entries']);
  }

  get length(): number {
    return this.entries.length - this.head;
  }

  get encoding(): string {
    return this.env.f.streamEncoding;
  }

  get payload(): number {
    return this.mem.payload;
  }

  entry(i: number): LiveStreamEntry | undefined {
    if (i < 0 || i >= this.length) return undefined;
    return this.entries[this.head + i];
  }

  append(ms: number, seq: number, fields: Buffer[]): void {
    this.mem.append(ms, seq, fields);
    this.entries.push({ ms, seq, fields });
    if (this.length === 1) this.first = { ms, seq };
    this.last = { ms, seq };
    this.entriesAdded++;
  }

  /** XADD/XTRIM MAXLEN; returns entries removed */
  trimMaxlen(maxlen: number, approx: boolean, limit: number): number {
    return this.trim(maxlen, null, approx, limit);
  }

  /** drop the first n live entries from the list (trimmed or deleted at the front) */
  private dropFront(n: number): void {
    if (n <= 0) return;
    this.head += n;
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }

  private updateFirst(): void {
    const e = this.entry(0);
    this.first = e ? { ms: e.ms, seq: e.seq } : { ms: 0, seq: 0 };
  }

  /** node index holding entry (ms, seq): the last node whose master ID is not above it */
  private nodeOf(ms: number, seq: number): number {
    const nodes = this.mem.nodes;
    let lo = 0;
    let hi = nodes.length - 1;
    let ans = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const n = nodes[mid]!;
      if (cmpId(n.masterMs, n.masterSeq, ms, seq) <= 0) {
        ans = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return ans;
  }

  /** the last ID in node 0 (lpGetEdgeStreamID): tracked for appended nodes, else its last live entry */
  private lastIdOfFirstNode(liveInNode: number): StreamId {
    const n = this.mem.nodes[0]!;
    const e = this.entry(liveInNode - 1);
    let best: StreamId = e ? { ms: e.ms, seq: e.seq } : { ms: n.masterMs, seq: n.masterSeq };
    if (n.lastMs !== undefined && cmpId(n.lastMs, n.lastSeq!, best.ms, best.seq) > 0) best = { ms: n.lastMs, seq: n.lastSeq! };
    return best;
  }

  /**
   * streamTrim (t_stream.c, 7.0): MAXLEN (minid null) or MINID; whole nodes first, then (not
   * approx) entries of the first node marked deleted. `limit` bounds the entries removed with
   * whole nodes (0: none). Returns how many entries went.
   */
  trim(maxlen: number, minid: StreamId | null, approx: boolean, limit: number): number {
    let deleted = 0;
    const mem = this.mem;
    while (mem.nodes.length > 0) {
      if (minid === null && this.length <= maxlen) break;
      const node = mem.nodes[0]!;
      const entries = node.live;
      if (limit && deleted + entries > limit) break;
      let removeNode: boolean;
      if (minid === null) removeNode = this.length - entries >= maxlen;
      else {
        const last = this.lastIdOfFirstNode(entries);
        removeNode = cmpId(last.ms, last.seq, minid.ms, minid.seq) < 0;
      }
      if (removeNode) {
        mem.removeNode(0);
        this.dropFront(entries);
        deleted += entries;
        continue;
      }
      if (approx) break;
      let k = 0;
      while (k < entries) {
        if (minid === null) {
          if (this.length - k <= maxlen) break;
        } else {
          const e = this.entry(k)!;
          if (cmpId(e.ms, e.seq, minid.ms, minid.seq) >= 0) break;
        }
        k++;
      }
      mem.markDeleted(0, k);
      this.dropFront(k);
      deleted += k;
      break;
    }
    if (deleted > 0) this.updateFirst();
    return deleted;
  }

  /** XDEL of one ID: whether it was there */
  deleteId(ms: number, seq: number): boolean {
    const i = this.lowerBound(ms, seq);
    const e = this.entry(i);
    if (!e || e.ms !== ms || e.seq !== seq) return false;
    const ni = this.nodeOf(ms, seq);
    if (ni >= 0) this.mem.deleteEntry(ni);
    if (i === 0) this.dropFront(1);
    else this.entries.splice(this.head + i, 1);
    return true;
  }

  /** after XDEL: first ID and the maximal tombstone */
  afterDelete(maxDeleted: StreamId | null, firstDeleted: boolean): void {
    if (maxDeleted && cmpId(maxDeleted.ms, maxDeleted.seq, this.maxDeleted.ms, this.maxDeleted.seq) > 0) this.maxDeleted = maxDeleted;
    if (this.length === 0) this.first = { ms: 0, seq: 0 };
    else if (firstDeleted) this.updateFirst();
  }

  /** streamDup (COPY) */
  clone(): StreamValue {
    const v = new StreamValue(this.env);
    v.entries = this.entries.slice(this.head).map((e) => ({ ms: e.ms, seq: e.seq, fields: e.fields }));
    v.last = { ...this.last };
    v.first = { ...this.first };
    v.maxDeleted = { ...this.maxDeleted };
    v.entriesAdded = this.entriesAdded;
    v.groups = this.groups;
    v.mem.copyFrom(this.mem);
    return v;
  }

  /** index of the first entry with ID >= (ms, seq) */
  lowerBound(ms: number, seq: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const e = this.entries[this.head + mid]!;
      if (cmpId(e.ms, e.seq, ms, seq) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** The value type of a container. */
export function typeOfValue(v: LiveValue): ValueType {
  return v.type;
}
