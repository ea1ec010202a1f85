/**
 * Strings (mirrors t_string.c, 7.0): the string value (int, embstr and raw objects, the sds
 * growth of APPEND/SETRANGE/SETBIT) and the string writes (SET, INCRBY, INCRBYFLOAT, APPEND,
 * SETRANGE, SETBIT).
 *
 * Values keep their data and a memory model (src/memory/live) that each operation updates per
 * element; writes take a Database, open or create the key (generic.ts) and refresh its figures.
 * Arguments may be views into a query buffer: anything kept is copied.
 */
import { queryArgSds, rawSdsCapacity, sdsGrow, STR_EMBSTR, STR_INT, STR_RAW, STRING_ENCODINGS, stringEncodingOf, stringPayload } from '../../memory/live/string.js';
import { classifyIntegerText, INT_CLASS } from '../../rdb/facts.js';
import type { Database } from '../database.js';
import { addLongDouble, formatLongDouble, isFiniteLd, type LongDouble, longDoubleFromInt, parseLongDouble } from '../long-double.js';
import { EngineError, type Env, INT64_MAX, INT64_MIN, LD_NAN, NOT_FLOAT, NOT_INTEGER, openForWrite, OVERFLOW } from './generic.js';

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

  /** a raw value's sds capacity and zmalloc size (HyperLogLog's sds model); null unless raw */
  get sds(): { cap: number; alloc: number } | null {
    return this.enc === STR_RAW ? { cap: this.cap, alloc: this.alloc } : null;
  }

  /** the value becomes this raw sds (bytes copied by the caller), with its capacity and zmalloc size */
  setRawSds(buf: Buffer, cap: number, alloc: number): void {
    this.buf = buf;
    this.enc = STR_RAW;
    this.cap = cap;
    this.alloc = alloc;
  }

  /** a raw value of these bytes with a known sds capacity and zmalloc size */
  static rawWith(buf: Buffer, cap: number, alloc: number, env: Env): StringValue {
    const v = new StringValue(buf, env, STR_INT);
    v.setRawSds(buf, cap, alloc);
    return v;
  }

  /** createRawStringObject / sdsnewlen: a raw sds with the allocator's spare room, not trimmed */
  static raw(buf: Buffer, env: Env): StringValue {
    const v = new StringValue(buf, env, STR_INT);
    v.enc = STR_RAW;
    v.cap = rawSdsCapacity(buf.length, env.f);
    v.alloc = stringPayload(STR_RAW, buf.length, 0, env.f);
    return v;
  }

  /**
   * SET and friends: the argument object after tryObjectEncoding. `queryArg`: it came from a
   * normal client's query buffer, where one of PROTO_MBULK_BIG_ARG bytes or more is the buffer
   * itself (queryArgSds); else it was copied into an sdsnewlen (the primary's stream, scripts).
   */
  static stored(buf: Buffer, env: Env, queryArg: boolean): StringValue {
    const v = new StringValue(buf, env);
    const q = queryArg && v.enc === STR_RAW ? queryArgSds(buf.length, env.f) : null;
    if (q) v.setRawSds(buf, q.cap, q.alloc);
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

// ------------------------------------------------------------------ writes

/** setKey with a new string value (the bytes are copied); `queryArg` as in StringValue.stored */
export function setString(db: Database, key: Uint8Array, value: Uint8Array, keepTtl = false, queryArg = false): number {
  return db.setValue(key, StringValue.stored(Buffer.from(value), db.shared.env, queryArg), keepTtl);
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
        o.v.enc = STR_INT;
        db.refresh(o.id);
      } else db.setValue(key, new StringValue(buf, db.shared.env, STR_INT));
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
    o.v.enc = STR_INT; // incrDecrCommand always leaves an integer object
    db.refresh(o.id);
  } else {
    db.setValue(key, new StringValue(buf, db.shared.env, STR_INT));
  }
  return next;
}

/** APPEND: the new length (a new key is the argument object, `queryArg` as in StringValue.stored) */
export function append(db: Database, key: Uint8Array, extra: Uint8Array, maxLen: number, queryArg = false): number {
  const o = openForWrite(db, key, 'string');
  if (!o) {
    setString(db, key, extra, false, queryArg);
    return extra.length;
  }
  if (o.v.length + extra.length > maxLen) throw new EngineError('ERR string exceeds maximum allowed size (proto-max-bulk-len)');
  o.v.append(extra);
  db.refresh(o.id);
  return o.v.length;
}

/** INCRBYFLOAT: the new value's text (long double arithmetic, kept TTL, an embstr/raw object) */
export function incrByFloat(db: Database, key: Uint8Array, incrArg: Uint8Array): Buffer {
  const o = openForWrite(db, key, 'string');
  let cur: LongDouble = { kind: 'finite', neg: false, m: 0n, e: 0 };
  if (o) {
    const p = o.v.enc === STR_INT ? longDoubleFromIntText(o.v.buf) : parseLongDouble(o.v.buf);
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

export function longDoubleFromIntText(b: Buffer): LongDouble | null {
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
