/**
 * Helpers shared by the command files: typed key lookups (WRONGTYPE as Redis words it),
 * argument parsing with Redis's error texts, and common reply shapes.
 */
import type { Context } from './context.js';
import { ReplyError, ERR } from './errors.js';
import { parseLongLong } from '../protocol/decoder.js';
import type { HashValue } from '../engine/types/hash.js';
import type { ListValue } from '../engine/types/list.js';
import type { LiveValue } from '../engine/types/generic.js';
import type { SetValue } from '../engine/types/set.js';
import type { StreamValue } from '../engine/types/stream.js';
import type { StringValue } from '../engine/types/string.js';
import type { ZsetValue } from '../engine/types/zset.js';
import { bytesOf } from '../engine/types/generic.js';

export interface ByType {
  string: StringValue;
  list: ListValue;
  hash: HashValue;
  set: SetValue;
  zset: ZsetValue;
  stream: StreamValue;
}

export type TypeName = keyof ByType;

/**
 * Whether the command's arguments are objects the query parser of a normal client made
 * (processMultibulkBuffer: not the primary's stream, CLIENT_MASTER, nor a script's redis.call):
 * a string command that keeps its value argument keeps that sds (StringValue.stored).
 */
export function argsFromQuery(c: Context): boolean {
  return c.conn !== null && (c.caller === 'client' || c.caller === 'transaction');
}

/** lookupKeyRead: the record id of a live key, counting keyspace hits and misses; -1 when absent */
export function lookupRead(c: Context, key: Uint8Array, noTouch = false): number {
  const id = c.db.find(key, noTouch);
  const st = c.db.shared.stats;
  if (id < 0) st.misses++;
  else st.hits++;
  return id;
}

/** The value of a key of the given type for reading; null when absent; WRONGTYPE otherwise. */
export function readTyped<T extends TypeName>(c: Context, key: Uint8Array, type: T): ByType[T] | null {
  const id = lookupRead(c, key);
  if (id < 0) return null;
  if (c.db.typeOf(id) !== type) throw new ReplyError(ERR.WRONGTYPE);
  const v = c.db.value(id);
  if (v === null) throw new ReplyError(ERR.WRONGTYPE);
  return v as ByType[T];
}

/** The value of an existing key of the given type, materialised for a write; null when absent. */
export function writeTyped<T extends TypeName>(c: Context, key: Uint8Array, type: T): { id: number; v: ByType[T] } | null {
  const id = c.db.find(key);
  if (id < 0) return null;
  if (c.db.typeOf(id) !== type) throw new ReplyError(ERR.WRONGTYPE);
  const v = c.db.valueForWrite(id);
  if (v === null) throw new ReplyError(ERR.WRONGTYPE);
  return { id, v: v as ByType[T] };
}

/** Store a new value under a key (a copy of the key is kept by the keyspace). */
export function addValue(c: Context, key: Uint8Array, v: LiveValue): number {
  return c.db.setValue(key, v);
}

/** getLongLongFromObjectOrReply: an integer argument, else `msg` (default NOT_INTEGER) */
export function argInt(b: Uint8Array, msg: string = ERR.NOT_INTEGER): number {
  const v = parseLongLong(b, 0, b.length);
  if (v === null) throw new ReplyError(msg);
  return v;
}

/** an integer argument as a bigint (exact across int64) */
export function argBigInt(b: Uint8Array, msg: string = ERR.NOT_INTEGER): bigint {
  const s = Buffer.from(b.buffer, b.byteOffset, b.length).latin1Slice(0, b.length);
  if (!/^-?[1-9][0-9]*$|^0$/.test(s)) throw new ReplyError(msg);
  const v = BigInt(s);
  if (v > 9223372036854775807n || v < -9223372036854775808n) throw new ReplyError(msg);
  return v;
}

/** getLongFromObjectOrReply with a positive range check ("value is out of range, must be positive") */
export function argPositive(b: Uint8Array): number {
  const v = argInt(b);
  if (v <= 0) throw new ReplyError(ERR.POSITIVE);
  return v;
}

/**
 * string2d / getDoubleFromObject (util.c, object.c): strtod over the whole argument, no
 * spaces, no NaN; "inf", "+inf", "-inf" (any case) are infinities.
 */
export function argDouble(b: Uint8Array, msg: string = ERR.NOT_FLOAT): number {
  const s = Buffer.from(b.buffer, b.byteOffset, b.length).latin1Slice(0, b.length);
  if (s.length === 0 || /^\s|\s$/.test(s)) throw new ReplyError(msg);
  const low = s.toLowerCase();
  if (low === 'inf' || low === '+inf' || low === 'infinity' || low === '+infinity') return Infinity;
  if (low === '-inf' || low === '-infinity') return -Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s) && !/^[+-]?0x[0-9a-f]+(\.[0-9a-f]*)?(p[+-]?\d+)?$/i.test(s)) throw new ReplyError(msg);
  const v = /^[+-]?0x/i.test(s) ? Number.parseFloat(String(Number(s.replace(/^[+-]/, '')))) * (s.startsWith('-') ? -1 : 1) : Number(s);
  if (Number.isNaN(v)) throw new ReplyError(msg);
  return v;
}

/** case-insensitive option match (strcasecmp) */
export function is(b: Uint8Array, word: string): boolean {
  if (b.length !== word.length) return false;
  for (let i = 0; i < b.length; i++) {
    let c = b[i]!;
    if (c >= 0x61 && c <= 0x7a) c -= 32;
    if (c !== word.charCodeAt(i)) return false;
  }
  return true;
}

/** the argument as a lowercase string (option names) */
export function lower(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.length).latin1Slice(0, b.length).toLowerCase();
}

/** A copy of an argument to keep (arguments are views into the query buffer). */
export function keep(b: Buffer): Buffer {
  return Buffer.from(b);
}

/** Range of [start, end] (inclusive, negatives from the end) over n items, or null when empty. */
export function clampRange(start: number, end: number, n: number): [number, number] | null {
  if (start < 0) start = n + start;
  if (end < 0) end = n + end;
  if (start < 0) start = 0;
  if (start > end || start >= n) return null;
  if (end >= n) end = n - 1;
  return [start, end];
}

/**
 * SCAN-family cursor (parseScanCursorOrReply, db.c 7.0): strtoul base 10 over the C string, so
 * a sign is allowed ("-1" is 18446744073709551615), no leading space, nothing after the digits,
 * ERANGE refused; "invalid cursor" otherwise. Cursors past the keyspace are simply the end.
 */
export function argCursor(b: Uint8Array): number {
  let end = b.indexOf(0);
  if (end < 0) end = b.length;
  const bad = () => new ReplyError('ERR invalid cursor');
  if (b.length > 0 && (b[0] === 0x20 || (b[0]! >= 0x09 && b[0]! <= 0x0d))) throw bad();
  if (end === 0) return 0; // strtoul of "" stops at the NUL: cursor 0
  let i = 0;
  let neg = false;
  if (b[0] === 0x2b || b[0] === 0x2d) {
    neg = b[0] === 0x2d;
    i = 1;
  }
  if (i >= end || b[i]! < 0x30 || b[i]! > 0x39) throw bad();
  let v = 0n;
  for (; i < end; i++) {
    const d = b[i]!;
    if (d < 0x30 || d > 0x39) throw bad();
    v = v * 10n + BigInt(d - 0x30);
    if (v > 18446744073709551615n) throw bad();
  }
  if (neg) v = (18446744073709551616n - v) % 18446744073709551616n;
  return Number(v);
}

/**
 * The reply of HSCAN/SSCAN/ZSCAN over a collection's element names (insertion order): compact
 * encodings answer everything in one call as Redis does (it walks the whole listpack or intset);
 * hashtables page by COUNT with the cursor as an index. `write` writes one element's items.
 */
export function replyScanPage(
  c: Context,
  names: readonly string[],
  cursor: number,
  o: { count: number; match: ((key: Uint8Array) => boolean) | null },
  compact: boolean,
  itemsPer: 1 | 2,
  write: (name: string) => void,
): void {
  const from = compact ? 0 : cursor;
  const to = compact ? names.length : Math.min(names.length, from + o.count);
  const out: string[] = [];
  for (let i = from; i < to; i++) {
    const k = names[i]!;
    if (o.match && !o.match(bytesOf(k))) continue;
    out.push(k);
  }
  const w = c.reply;
  w.array(2);
  w.bulkStr(to >= names.length ? '0' : String(to));
  w.array(out.length * itemsPer);
  for (const k of out) write(k);
}

/** The empty reply of a *SCAN on a missing key. */
export function replyEmptyScan(c: Context): void {
  c.reply.array(2);
  c.reply.bulkStr('0');
  c.reply.array(0);
}

/** A positive integer argument (getRangeLongFromObjectOrReply 1..LONG_MAX): `ERR <msg>` otherwise. */
export function argPositiveLong(b: Buffer, msg: string): number {
  const v = parseLongLong(b, 0, b.length);
  if (v === null || v < 1) throw new ReplyError(`ERR ${msg}`);
  return v;
}
