/**
 * Live writes on a Database: the key-level half of Redis's write commands (t_string.c,
 * t_list.c, t_hash.c, t_set.c, t_zset.c, t_stream.c, expire.c, db.c, 7.0), each updating the
 * key's memory and the totals through Database.refresh. Errors carry Redis's reply text.
 *
 * Arguments may be views into a query buffer: anything kept is copied here.
 */
import { Database } from './database.js';
import { HashValue, ListValue, LiveValue, SetValue, StreamValue, StringValue, ZsetValue, bytesOf, cmpId, type StreamId } from './values.js';
import { addLongDouble, formatLongDouble, isFiniteLd, longDoubleFromInt, parseLongDouble, type LongDouble } from './long-double.js';
import { classifyIntegerText, INT_CLASS } from '../rdb/facts.js';

/** A write refused with Redis's error reply text (without the leading '-'). */
export class EngineError extends Error {
  override readonly name = 'EngineError';
}

export const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';
const NOT_INTEGER = 'ERR value is not an integer or out of range';
const OVERFLOW = 'ERR increment or decrement would overflow';

type Kind = LiveValue['type'];
type ValueOf<K extends Kind> = Extract<LiveValue, { type: K }>;

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/** An existing key's value for a write (materialised), null when absent; WRONGTYPE otherwise. */
export function openForWrite<K extends Kind>(db: Database, key: Uint8Array, kind: K): { id: number; v: ValueOf<K> } | null {
  const id = db.find(key);
  if (id < 0) return null;
  if (db.typeOf(id) !== kind) throw new EngineError(WRONGTYPE);
  const v = db.valueForWrite(id);
  if (v === null || v.type !== kind) throw new EngineError(WRONGTYPE);
  return { id, v: v as ValueOf<K> };
}

/** The key's value, created empty by `make` when absent. */
export function openOrCreate<K extends Kind>(db: Database, key: Uint8Array, kind: K, make: () => ValueOf<K>): { id: number; v: ValueOf<K>; created: boolean } {
  const id = db.find(key);
  if (id >= 0) {
    if (db.typeOf(id) !== kind) throw new EngineError(WRONGTYPE);
    const v = db.valueForWrite(id);
    if (v === null || v.type !== kind) throw new EngineError(WRONGTYPE);
    return { id, v: v as ValueOf<K>, created: false };
  }
  return { id: -1, v: make(), created: true };
}

/** Store a created value once it holds something (a new key is added only when not empty). */
function commit(db: Database, key: Uint8Array, o: { id: number; v: LiveValue; created: boolean }): void {
  if (o.created) {
    if (o.v.length > 0 || o.v.type === 'string') db.setValue(key, o.v);
  } else db.refresh(o.id);
}

// ---------------------------------------------------------------- strings

/** setKey with a new string value (the bytes are copied). */
export function setString(db: Database, key: Uint8Array, value: Uint8Array, keepTtl = false): number {
  return db.setValue(key, new StringValue(Buffer.from(value), db.shared.env), keepTtl);
}

/** the value as an int64 (string2ll rules), or null */
export function stringAsInt(b: Uint8Array): bigint | null {
  if (b.length === 0 || b.length > 20 || classifyIntegerText(b, 0, b.length) === INT_CLASS.STRING) return null;
  return BigInt(Buffer.from(b.buffer, b.byteOffset, b.length).latin1Slice(0, b.length));
}

/** INCRBY / DECRBY: the new value (int-encoded, TTL kept) */
export function incrBy(db: Database, key: Uint8Array, delta: bigint): bigint {
  const o = openForWrite(db, key, 'string');
  // fast path: both fit 15 digits, so the sum is exact as a Number
  if (delta > -1000000000000000n && delta < 1000000000000000n) {
    const b = o ? o.v.buf : null;
    if (b === null || (b.length <= 15 && b.length > 0 && classifyIntegerText(b, 0, b.length) !== INT_CLASS.STRING)) {
      const next = (b === null ? 0 : Number(b.latin1Slice(0, b.length))) + Number(delta);
      const buf = Buffer.from(String(next), 'latin1');
      if (o) {
        o.v.buf = buf;
        o.v.enc = 0;
        db.refresh(o.id);
      } else db.setValue(key, new StringValue(buf, db.shared.env, 0));
      return BigInt(next);
    }
  }
  let old = 0n;
  if (o) {
    const v = stringAsInt(o.v.buf);
    if (v === null) throw new EngineError(NOT_INTEGER);
    old = v;
  }
  const next = old + delta;
  if (next > INT64_MAX || next < INT64_MIN) throw new EngineError(OVERFLOW);
  const buf = Buffer.from(next.toString(), 'latin1');
  if (o) {
    o.v.buf = buf;
    o.v.enc = 0; // STR_INT: incrDecrCommand always leaves an integer object
    db.refresh(o.id);
  } else {
    db.setValue(key, new StringValue(buf, db.shared.env, 0));
  }
  return next;
}

/** APPEND: the new length */
export function append(db: Database, key: Uint8Array, extra: Uint8Array, maxLen: number): number {
  const o = openForWrite(db, key, 'string');
  if (!o) {
    setString(db, key, extra);
    return extra.length;
  }
  if (o.v.length + extra.length > maxLen) throw new EngineError('ERR string exceeds maximum allowed size (proto-max-bulk-len)');
  o.v.append(extra);
  db.refresh(o.id);
  return o.v.length;
}

// ---------------------------------------------------------------- keys

/** setExpire / EXPIRE with an absolute time in ms; a time in the past deletes the key. */
export function expireAt(db: Database, id: number, at: number): void {
  if (at <= db.shared.now()) {
    db.removeId(id);
    db.shared.stats.expiredKeys += 0;
    return;
  }
  db.setExpire(id, at);
}

// ---------------------------------------------------------------- lists

export function listPush(db: Database, key: Uint8Array, elems: Buffer[], from: number, tail: boolean, createIfMissing = true): number {
  const o = openForWrite(db, key, 'list');
  if (!o && !createIfMissing) return 0;
  const copies: Buffer[] = [];
  for (let i = from; i < elems.length; i++) copies.push(Buffer.from(elems[i]!));
  if (o) {
    o.v.push(tail, copies);
    db.refresh(o.id);
    return o.v.length;
  }
  const v = new ListValue(db.shared.env);
  v.push(tail, copies);
  db.setValue(key, v);
  return v.length;
}

/** LPOP / RPOP of up to `count` elements; null when the key is absent */
export function listPop(db: Database, key: Uint8Array, tail: boolean, count: number): Buffer[] | null {
  const o = openForWrite(db, key, 'list');
  if (!o) return null;
  const out: Buffer[] = [];
  while (out.length < count && o.v.length > 0) out.push(o.v.pop(tail)!);
  o.v.afterShrink();
  db.refresh(o.id);
  return out;
}

export function listTrim(db: Database, key: Uint8Array, start: number, end: number): void {
  const o = openForWrite(db, key, 'list');
  if (!o) return;
  const llen = o.v.length;
  if (start < 0) start = llen + start;
  if (end < 0) end = llen + end;
  if (start < 0) start = 0;
  let ltrim: number;
  let rtrim: number;
  if (start > end || start >= llen) {
    ltrim = llen;
    rtrim = 0;
  } else {
    if (end >= llen) end = llen - 1;
    ltrim = start;
    rtrim = llen - end - 1;
  }
  for (let i = 0; i < ltrim; i++) o.v.pop(false);
  for (let i = 0; i < rtrim; i++) o.v.pop(true);
  o.v.afterShrink();
  db.refresh(o.id);
}

// ---------------------------------------------------------------- hashes

/** HSET field value ...: how many fields were new */
export function hashSet(db: Database, key: Uint8Array, argv: Buffer[], from: number): number {
  const o = openOrCreate(db, key, 'hash', () => new HashValue(db.shared.env));
  o.v.tryConversion(argv, from);
  let added = 0;
  for (let i = from; i + 1 < argv.length; i += 2) if (o.v.set(Buffer.from(argv[i]!), Buffer.from(argv[i + 1]!))) added++;
  commit(db, key, o);
  return added;
}

export function hashDel(db: Database, key: Uint8Array, fields: Buffer[], from: number): number {
  const o = openForWrite(db, key, 'hash');
  if (!o) return 0;
  let n = 0;
  for (let i = from; i < fields.length; i++) if (o.v.delete(fields[i]!)) n++;
  db.refresh(o.id);
  return n;
}

export function hashIncrBy(db: Database, key: Uint8Array, field: Buffer, delta: bigint): bigint {
  const o = openOrCreate(db, key, 'hash', () => new HashValue(db.shared.env));
  const cur = o.v.map.get(Buffer.from(field).latin1Slice());
  let old = 0n;
  if (cur !== undefined) {
    const v = stringAsInt(cur);
    if (v === null) throw new EngineError('ERR hash value is not an integer');
    old = v;
  }
  const next = old + delta;
  if (next > INT64_MAX || next < INT64_MIN) throw new EngineError(OVERFLOW);
  o.v.set(Buffer.from(field), Buffer.from(next.toString(), 'latin1'));
  commit(db, key, o);
  return next;
}

// ---------------------------------------------------------------- sets

export function setAdd(db: Database, key: Uint8Array, members: Buffer[], from: number): number {
  const env = db.shared.env;
  const o = openOrCreate(db, key, 'set', () => new SetValue(env, members[from], members.length - from));
  let n = 0;
  for (let i = from; i < members.length; i++) if (o.v.add(members[i]!)) n++;
  commit(db, key, o);
  return n;
}

export function setRemove(db: Database, key: Uint8Array, members: Buffer[], from: number): number {
  const o = openForWrite(db, key, 'set');
  if (!o) return 0;
  let n = 0;
  for (let i = from; i < members.length; i++) if (o.v.remove(members[i]!)) n++;
  db.refresh(o.id);
  return n;
}

/** SPOP [count]: the popped members (null when the key is absent) */
export function setPop(db: Database, key: Uint8Array, count: number, rand: () => number): string[] | null {
  const o = openForWrite(db, key, 'set');
  if (!o) return null;
  const out: string[] = [];
  if (count >= o.v.length) {
    out.push(...o.v.members());
    db.removeId(o.id);
    return out;
  }
  while (out.length < count) {
    const m = o.v.random(rand)!;
    o.v.remove(Buffer.from(m, 'latin1'));
    out.push(m);
  }
  db.refresh(o.id);
  return out;
}

// ---------------------------------------------------------------- sorted sets

export const ZADD_NX = 1;
export const ZADD_XX = 2;
export const ZADD_GT = 4;
export const ZADD_LT = 8;
export const ZADD_INCR = 16;

/** zsetAdd over several pairs; returns added, updated, processed and the last score */
export function zsetAdd(
  db: Database,
  key: Uint8Array,
  pairs: { score: number; member: Buffer }[],
  flags: number,
): { added: number; updated: number; processed: number; score: number } {
  const res = { added: 0, updated: 0, processed: 0, score: 0 };
  const env = db.shared.env;
  let o: { id: number; v: ZsetValue; created: boolean } | null = null;
  const ex = openForWrite(db, key, 'zset');
  if (ex) o = { ...ex, created: false };
  else {
    if (flags & ZADD_XX) return res;
    const first = pairs[0]!.member;
    const skiplist = env.cfg['zset-max-listpack-entries'] === 0 || env.cfg['zset-max-listpack-value'] < first.length;
    o = { id: -1, v: new ZsetValue(env, skiplist), created: true };
  }
  const z = o.v;
  for (const p of pairs) {
    const member = p.member;
    let score = p.score;
    const cur = z.scores.get(Buffer.from(member).latin1Slice());
    if (cur !== undefined) {
      if (flags & ZADD_NX) continue;
      if (flags & ZADD_INCR) {
        score += cur;
        if (Number.isNaN(score)) {
          commit(db, key, o);
          throw new EngineError('ERR resulting score is not a number (NaN)');
        }
      }
      if ((flags & ZADD_LT && score >= cur) || (flags & ZADD_GT && score <= cur)) continue;
      res.processed++;
      res.score = score;
      if (score !== cur) {
        z.set(Buffer.from(member), score);
        res.updated++;
      }
    } else {
      if (flags & ZADD_XX) continue;
      z.set(Buffer.from(member), score);
      res.added++;
      res.processed++;
      res.score = score;
    }
  }
  commit(db, key, o);
  return res;
}

export function zsetRemove(db: Database, key: Uint8Array, members: Buffer[], from: number): number {
  const o = openForWrite(db, key, 'zset');
  if (!o) return 0;
  let n = 0;
  for (let i = from; i < members.length; i++) if (o.v.remove(members[i]!)) n++;
  db.refresh(o.id);
  return n;
}

// ---------------------------------------------------------------- streams

export interface XaddArgs {
  /** null: '*' (the next ID from the clock) */
  ms: number | null;
  seq: number | null;
  noMkStream: boolean;
  maxlen: number;
  /** MINID threshold (null: none) */
  minid?: StreamId | null;
  approx: boolean;
  limit: number;
}

/** XADD: the new entry's ID, or null when NOMKSTREAM and the key is absent */
export function streamAdd(db: Database, key: Uint8Array, a: XaddArgs, fields: Buffer[]): string | null {
  const o = openForWrite(db, key, 'stream');
  if (!o && a.noMkStream) return null;
  const s = o ? o.v : new StreamValue(db.shared.env);
  let ms: number;
  let seq: number;
  if (a.ms === null) {
    const now = db.shared.now();
    if (now > s.last.ms) {
      ms = now;
      seq = 0;
    } else {
      ms = s.last.ms;
      seq = s.last.seq + 1;
    }
  } else if (a.seq === null) {
    ms = a.ms;
    seq = s.last.ms === ms ? s.last.seq + 1 : 0;
  } else {
    ms = a.ms;
    seq = a.seq;
  }
  if (cmpId(ms, seq, s.last.ms, s.last.seq) <= 0) {
    throw new EngineError('ERR The ID specified in XADD is equal or smaller than the target stream top item');
  }
  s.append(ms, seq, fields.map((f) => Buffer.from(f)));
  if (a.maxlen >= 0) s.trimMaxlen(a.maxlen, a.approx, a.limit);
  else if (a.minid) s.trim(0, a.minid, a.approx, a.limit);
  if (o) db.refresh(o.id);
  else db.setValue(key, s);
  return `${ms}-${seq}`;
}

// ---------------------------------------------------------------- more strings

const NOT_FLOAT = 'ERR value is not a valid float';
const LD_NAN = 'ERR increment would produce NaN or Infinity';

/** INCRBYFLOAT: the new value's text (long double arithmetic, kept TTL, an embstr/raw object) */
export function incrByFloat(db: Database, key: Uint8Array, incrArg: Uint8Array): Buffer {
  const o = openForWrite(db, key, 'string');
  let cur: LongDouble = { kind: 'finite', neg: false, m: 0n, e: 0 };
  if (o) {
    const p = o.v.enc === 0 ? longDoubleFromIntText(o.v.buf) : parseLongDouble(o.v.buf);
    if (p === null) throw new EngineError(NOT_FLOAT);
    cur = p;
  }
  const incr = parseLongDouble(incrArg);
  if (incr === null) throw new EngineError(NOT_FLOAT);
  const next = addLongDouble(cur, incr);
  if (!isFiniteLd(next)) throw new EngineError(LD_NAN);
  const buf = Buffer.from(formatLongDouble(next), 'latin1');
  db.setValue(key, StringValue.created(buf, db.shared.env), true);
  return buf;
}

function longDoubleFromIntText(b: Buffer): LongDouble | null {
  const v = stringAsInt(b);
  return v === null ? parseLongDouble(b) : longDoubleFromInt(v);
}

/** SETRANGE: the new length */
export function setRange(db: Database, key: Uint8Array, offset: number, value: Uint8Array, maxLen: number): number {
  const o = openForWrite(db, key, 'string');
  if (!o) {
    if (value.length === 0) return 0;
    if (offset + value.length > maxLen) throw new EngineError('ERR string exceeds maximum allowed size (proto-max-bulk-len)');
    const buf = Buffer.alloc(offset + value.length);
    buf.set(value, offset);
    db.setValue(key, StringValue.raw(buf, db.shared.env));
    return buf.length;
  }
  if (value.length === 0) return o.v.length;
  if (offset + value.length > maxLen) throw new EngineError('ERR string exceeds maximum allowed size (proto-max-bulk-len)');
  o.v.growZero(offset + value.length);
  o.v.buf.set(value, offset);
  db.refresh(o.id);
  return o.v.length;
}

/** SETBIT: the bit's previous value */
export function setBit(db: Database, key: Uint8Array, bitoffset: number, on: boolean): number {
  const byte = Math.floor(bitoffset / 8);
  const o = openForWrite(db, key, 'string');
  let v: StringValue;
  if (!o) {
    v = StringValue.raw(Buffer.alloc(byte + 1), db.shared.env);
    db.setValue(key, v);
  } else {
    v = o.v;
    v.growZero(byte + 1);
  }
  const bit = 7 - (bitoffset & 7);
  const old = (v.buf[byte]! >> bit) & 1;
  if (on) v.buf[byte] = v.buf[byte]! | (1 << bit);
  else v.buf[byte] = v.buf[byte]! & ~(1 << bit);
  db.refresh(o ? o.id : db.find(key));
  return old;
}

// ---------------------------------------------------------------- more keys

/** dupStringObject / listTypeDup / setTypeDup / zsetDup / hashTypeDup / streamDup */
export function cloneValue(v: LiveValue): LiveValue {
  return v.clone();
}

/** COPY: 1 when copied */
export function copyKey(db: Database, dst: Database, key: Uint8Array, newkey: Uint8Array, replace: boolean): number {
  const id = db.find(key);
  if (id < 0) return 0;
  const v = db.value(id);
  if (v === null) return 0;
  const at = db.ks.expireOf(id);
  if (dst.find(newkey) >= 0 && !replace) return 0;
  const nid = dst.setValue(newkey, v.clone());
  if (at >= 0) dst.setExpire(nid, at);
  return 1;
}

/** MOVE: 1 when moved (the value and its TTL go as they are) */
export function moveKey(db: Database, dst: Database, key: Uint8Array): number {
  const id = db.find(key);
  if (id < 0) return 0;
  if (dst.find(key) >= 0) return 0;
  const v = db.valueForWrite(id);
  if (v === null) return 0;
  const at = db.ks.expireOf(id);
  db.removeId(id);
  const nid = dst.setValue(key, v);
  if (at >= 0) dst.setExpire(nid, at);
  return 1;
}

// ---------------------------------------------------------------- more lists

/** LREM: how many were removed */
export function listRemove(db: Database, key: Uint8Array, count: number, elem: Uint8Array): number {
  const o = openForWrite(db, key, 'list');
  if (!o) return 0;
  const n = o.v.removeEqual(elem, Math.abs(count), count < 0);
  if (n > 0) {
    o.v.afterShrink();
    db.refresh(o.id);
  }
  return n;
}

/** LSET */
export function listSet(db: Database, key: Uint8Array, index: number, elem: Uint8Array): void {
  const o = openForWrite(db, key, 'list');
  if (!o) throw new EngineError('ERR no such key');
  const n = o.v.length;
  const i = index < 0 ? n + index : index;
  if (i < 0 || i >= n) throw new EngineError('ERR index out of range');
  o.v.setAt(i, Buffer.from(elem));
  o.v.afterShrink();
  db.refresh(o.id);
}

/** LINSERT: the new length, -1 when the pivot is absent, 0 when the key is */
export function listInsert(db: Database, key: Uint8Array, after: boolean, pivot: Uint8Array, elem: Uint8Array): number {
  const o = openForWrite(db, key, 'list');
  if (!o) return 0;
  const p = Buffer.from(pivot.buffer, pivot.byteOffset, pivot.length);
  let at = -1;
  let i = 0;
  for (const e of o.v.items) {
    if (e.equals(p)) {
      at = i;
      break;
    }
    i++;
  }
  if (at < 0) return -1;
  o.v.insertAt(at, after, Buffer.from(elem));
  db.refresh(o.id);
  return o.v.length;
}

/** LMOVE / RPOPLPUSH: the moved element, null when the source is absent */
export function listMove(db: Database, src: Uint8Array, dst: Uint8Array, fromTail: boolean, toTail: boolean): Buffer | null {
  const s = openForWrite(db, src, 'list');
  if (!s || s.v.length === 0) return null;
  const sameKey = Buffer.compare(Buffer.from(src), Buffer.from(dst)) === 0;
  let d: { id: number; v: ListValue } | null = null;
  if (!sameKey) d = openForWrite(db, dst, 'list');
  const e = s.v.pop(fromTail)!;
  if (sameKey) {
    s.v.push(toTail, [e]);
    s.v.afterShrink();
    db.refresh(s.id);
    return e;
  }
  s.v.afterShrink();
  if (d) {
    d.v.push(toTail, [e]);
    db.refresh(d.id);
  } else {
    const v = new ListValue(db.shared.env);
    v.push(toTail, [e]);
    db.setValue(dst, v);
  }
  const sid = db.find(src);
  if (sid >= 0) db.refresh(sid);
  return e;
}

// ---------------------------------------------------------------- more hashes

/** HSETNX: 1 when set */
export function hashSetNx(db: Database, key: Uint8Array, argv: Buffer[], from: number): number {
  const o = openOrCreate(db, key, 'hash', () => new HashValue(db.shared.env));
  if (o.v.get(argv[from]!) !== undefined) {
    commit(db, key, o);
    return 0;
  }
  o.v.tryConversion(argv, from);
  o.v.set(Buffer.from(argv[from]!), Buffer.from(argv[from + 1]!));
  commit(db, key, o);
  return 1;
}

/** HINCRBYFLOAT: the new value's text */
export function hashIncrByFloat(db: Database, key: Uint8Array, field: Buffer, incrArg: Uint8Array): Buffer {
  const incr = parseLongDouble(incrArg);
  if (incr === null) throw new EngineError(NOT_FLOAT);
  if (!isFiniteLd(incr)) throw new EngineError('ERR value is NaN or Infinity');
  const o = openOrCreate(db, key, 'hash', () => new HashValue(db.shared.env));
  const curBuf = o.v.get(field);
  let cur: LongDouble = { kind: 'finite', neg: false, m: 0n, e: 0 };
  if (curBuf !== undefined) {
    const p = longDoubleFromIntText(curBuf);
    if (p === null) throw new EngineError('ERR hash value is not a float');
    cur = p;
  }
  const next = addLongDouble(cur, incr);
  if (!isFiniteLd(next)) throw new EngineError(LD_NAN);
  const buf = Buffer.from(formatLongDouble(next), 'latin1');
  o.v.set(Buffer.from(field), buf);
  commit(db, key, o);
  return buf;
}

// ---------------------------------------------------------------- more sets

/** SMOVE: 1 when moved */
export function setMove(db: Database, src: Uint8Array, dst: Uint8Array, member: Uint8Array): number {
  const sid = db.find(src);
  if (sid < 0) return 0;
  if (db.typeOf(sid) !== 'set') throw new EngineError(WRONGTYPE);
  const did = db.find(dst);
  if (did >= 0 && db.typeOf(did) !== 'set') throw new EngineError(WRONGTYPE);
  const s = openForWrite(db, src, 'set')!;
  if (sid === did) return s.v.has(member) ? 1 : 0;
  if (!s.v.remove(member)) return 0;
  db.refresh(s.id);
  const env = db.shared.env;
  const d = openOrCreate(db, dst, 'set', () => new SetValue(env, member, 1));
  d.v.add(member);
  commit(db, dst, d);
  return 1;
}

/** The sets named by keys (null: absent); WRONGTYPE when one is another type. */
function setsOf(db: Database, keys: Uint8Array[]): (SetValue | null)[] {
  return keys.map((k) => {
    const id = db.find(k);
    if (id < 0) return null;
    if (db.typeOf(id) !== 'set') throw new EngineError(WRONGTYPE);
    return db.valueForWrite(id) as SetValue;
  });
}

/** members as setTypeNext walks them (an intset ascending, else insertion order) */
function walk(s: SetValue): string[] {
  return s.mem.enc === ENC_INTSET_ ? s.members() : [...s.set];
}
const ENC_INTSET_ = 2;

/** store a set op's result (setKey, TTL dropped) or delete the destination; the result size */
function storeSet(db: Database, dst: Uint8Array, out: SetValue): number {
  if (out.length > 0) {
    db.setValue(dst, out);
    return out.length;
  }
  db.delete(dst);
  return 0;
}

/** SINTERSTORE (sinterGenericCommand, 7.0) */
export function setInterStore(db: Database, dst: Uint8Array, keys: Uint8Array[]): number {
  const sets = setsOf(db, keys);
  if (sets.some((s) => s === null)) {
    db.delete(dst);
    return 0;
  }
  const ss = (sets as SetValue[]).slice().sort((a, b) => a.length - b.length);
  const out = SetValue.emptyIntset(db.shared.env);
  for (const m of walk(ss[0]!)) {
    const mb = bytesOf(m);
    let j = 1;
    for (; j < ss.length; j++) {
      if (ss[j] === ss[0]) continue;
      if (!ss[j]!.has(mb)) break;
    }
    if (j === ss.length) out.add(mb);
  }
  return storeSet(db, dst, out);
}

/** SUNIONSTORE / SDIFFSTORE (sunionDiffGenericCommand, 7.0) */
export function setUnionDiffStore(db: Database, dst: Uint8Array, keys: Uint8Array[], diff: boolean): number {
  const sets = setsOf(db, keys);
  const out = SetValue.emptyIntset(db.shared.env);
  if (!diff) {
    for (const s of sets) if (s) for (const m of walk(s)) out.add(bytesOf(m));
    return storeSet(db, dst, out);
  }
  const first = sets[0];
  if (!first) return storeSet(db, dst, out);
  let sameset = false;
  for (let j = 1; j < sets.length; j++) if (sets[j] === first) sameset = true;
  if (sameset) return storeSet(db, dst, out);
  let one = 0;
  let two = 0;
  for (const s of sets) {
    if (!s) continue;
    one += first.length;
    two += s.length;
  }
  one = Math.floor(one / 2);
  if (one <= two) {
    const rest = sets.slice(1).sort((a, b) => (b ? b.length : 0) - (a ? a.length : 0));
    for (const m of walk(first)) {
      const mb = bytesOf(m);
      let found = false;
      for (const s of rest) {
        if (!s) continue;
        if (s.has(mb)) {
          found = true;
          break;
        }
      }
      if (!found) out.add(mb);
    }
  } else {
    let card = 0;
    for (let j = 0; j < sets.length; j++) {
      const s = sets[j];
      if (!s) continue;
      for (const m of walk(s)) {
        if (j === 0) {
          if (out.add(bytesOf(m))) card++;
        } else if (out.remove(bytesOf(m))) card--;
      }
      if (card === 0) break;
    }
  }
  return storeSet(db, dst, out);
}

// ---------------------------------------------------------------- more sorted sets

/** ZPOPMIN / ZPOPMAX of up to `count`: [member, score] pairs; null when the key is absent */
export function zsetPop(db: Database, key: Uint8Array, max: boolean, count: number): [string, number][] | null {
  const o = openForWrite(db, key, 'zset');
  if (!o) return null;
  const out: [string, number][] = [];
  const z = o.v;
  while (out.length < count && z.length > 0) {
    const i = max ? z.order.length - 1 : 0;
    const m = z.order[i]!;
    const s = z.orderScores[i]!;
    z.remove(bytesOf(m));
    out.push([m, s]);
  }
  db.refresh(o.id);
  return out;
}

/** ZREMRANGEBY*: remove ranks [from, to] of an existing zset; how many went */
export function zsetRemoveRanks(db: Database, key: Uint8Array, rank: (z: ZsetValue) => [number, number] | null): number {
  const o = openForWrite(db, key, 'zset');
  if (!o) return 0;
  const r = rank(o.v);
  if (r === null || r[1] < r[0]) return 0;
  const n = o.v.removeRanks(r[0], r[1]);
  db.refresh(o.id);
  return n;
}

export const AGG_SUM = 0;
export const AGG_MIN = 1;
export const AGG_MAX = 2;

function aggregate(target: number, val: number, agg: number): number {
  if (agg === AGG_SUM) {
    const r = target + val;
    return Number.isNaN(r) ? 0 : r;
  }
  if (agg === AGG_MIN) return val < target ? val : target;
  return val > target ? val : target;
}

interface ZSource {
  z: ZsetValue | null;
  s: SetValue | null;
  weight: number;
}

function zsrcLength(x: ZSource): number {
  return x.z ? x.z.length : x.s ? x.s.length : 0;
}

/** members and scores in the order zuiNext walks them */
function zsrcWalk(x: ZSource): [string, number][] {
  if (x.z) return x.z.order.map((m, i) => [m, x.z!.orderScores[i]!]);
  if (x.s) return walk(x.s).map((m) => [m, 1]);
  return [];
}

function zsrcFind(x: ZSource, m: string): number | undefined {
  if (x.z) return x.z.score(bytesOf(m));
  if (x.s) return x.s.has(bytesOf(m)) ? 1 : undefined;
  return undefined;
}

/** ZUNIONSTORE / ZINTERSTORE (zunionInterDiffGenericCommand, 7.0): the result's length */
export function zsetUnionInterStore(db: Database, dst: Uint8Array, keys: Uint8Array[], weights: number[], agg: number, inter: boolean): number {
  const src: ZSource[] = keys.map((k, i) => {
    const id = db.find(k);
    const w = weights[i] ?? 1;
    if (id < 0) return { z: null, s: null, weight: w };
    const t = db.typeOf(id);
    if (t !== 'zset' && t !== 'set') throw new EngineError(WRONGTYPE);
    const v = db.valueForWrite(id);
    return t === 'zset' ? { z: v as ZsetValue, s: null, weight: w } : { z: null, s: v as SetValue, weight: w };
  });
  src.sort((a, b) => zsrcLength(a) - zsrcLength(b));
  const result: [string, number][] = [];
  if (inter) {
    if (zsrcLength(src[0]!) > 0) {
      for (const [m, sc] of zsrcWalk(src[0]!)) {
        let score = src[0]!.weight * sc;
        if (Number.isNaN(score)) score = 0;
        let j = 1;
        for (; j < src.length; j++) {
          const x = src[j]!;
          if ((x.z && x.z === src[0]!.z) || (x.s && x.s === src[0]!.s)) score = aggregate(score, sc * x.weight, agg);
          else {
            const v = zsrcFind(x, m);
            if (v === undefined) break;
            score = aggregate(score, v * x.weight, agg);
          }
        }
        if (j === src.length) result.push([m, score]);
      }
    }
  } else {
    const acc = new Map<string, number>();
    for (const x of src) {
      for (const [m, sc] of zsrcWalk(x)) {
        let score = x.weight * sc;
        if (Number.isNaN(score)) score = 0;
        const cur = acc.get(m);
        acc.set(m, cur === undefined ? score : aggregate(cur, score, agg));
      }
    }
    for (const e of acc) result.push(e);
  }
  if (result.length === 0) {
    db.delete(dst);
    return 0;
  }
  db.setValue(dst, ZsetValue.fromResult(db.shared.env, result, !inter));
  return result.length;
}

// ---------------------------------------------------------------- more streams

/** XDEL: how many of the IDs were deleted */
export function streamDelete(db: Database, key: Uint8Array, ids: StreamId[]): number {
  const o = openForWrite(db, key, 'stream');
  if (!o) return 0;
  const s = o.v;
  let deleted = 0;
  let firstDeleted = false;
  let maxDel: StreamId | null = null;
  for (const id of ids) {
    const wasFirst = s.length > 0 && s.first.ms === id.ms && s.first.seq === id.seq;
    if (s.deleteId(id.ms, id.seq)) {
      if (wasFirst) firstDeleted = true;
      if (!maxDel || cmpId(id.ms, id.seq, maxDel.ms, maxDel.seq) > 0) maxDel = id;
      deleted++;
    }
  }
  if (deleted) {
    s.afterDelete(maxDel, firstDeleted);
    db.refresh(o.id);
  }
  return deleted;
}

/** XTRIM: how many entries went */
export function streamTrim(db: Database, key: Uint8Array, maxlen: number, minid: StreamId | null, approx: boolean, limit: number): number {
  const o = openForWrite(db, key, 'stream');
  if (!o) return 0;
  const n = o.v.trim(maxlen, minid, approx, limit);
  if (n > 0) db.refresh(o.id);
  return n;
}
