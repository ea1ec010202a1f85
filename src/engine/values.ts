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
import { rawSdsCapacity, sdsGrow, stringEncodingOf, stringPayload, STR_RAW, STRING_ENCODINGS } from '../memory/live/string.js';
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
  readonly items = new Deque<Buffer>();
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
  /** members in rank order, and their scores */
  order: string[] = [];
  orderScores: number[] = [];
  readonly mem: ZsetMemory;

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

  private insertOrder(score: number, member: string): void {
    const i = this.lowerBound(score, member);
    this.order.splice(i, 0, member);
    this.orderScores.splice(i, 0, score);
  }

  private removeOrder(score: number, member: string): void {
    const i = this.lowerBound(score, member);
    this.order.splice(i, 1);
    this.orderScores.splice(i, 1);
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
    const n = this.mem.trimMaxlen(this.length, maxlen, approx, limit);
    if (n > 0) {
      this.head += n;
      if (this.head > 1024 && this.head * 2 > this.entries.length) {
        this.entries = this.entries.slice(this.head);
        this.head = 0;
      }
      const e = this.entry(0);
      this.first = e ? { ms: e.ms, seq: e.seq } : { ms: 0, seq: 0 };
    }
    return n;
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
