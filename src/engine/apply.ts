/**
 * Live writes on a Database: the key-level half of Redis's write commands (t_string.c,
 * t_list.c, t_hash.c, t_set.c, t_zset.c, t_stream.c, expire.c, db.c, 7.0), each updating the
 * key's memory and the totals through Database.refresh. Errors carry Redis's reply text.
 *
 * Arguments may be views into a query buffer: anything kept is copied here.
 */
import { Database } from './database.js';
import { HashValue, ListValue, LiveValue, SetValue, StreamValue, StringValue, ZsetValue, cmpId } from './values.js';
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
  if (o) db.refresh(o.id);
  else db.setValue(key, s);
  return `${ms}-${seq}`;
}
