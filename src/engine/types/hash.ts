/**
 * Hashes (mirrors t_hash.c, 7.0): the hash value (listpack or hashtable, converted at the
 * thresholds) and the hash writes (HSET, HDEL, HINCRBY, HSETNX, HINCRBYFLOAT).
 *
 * Values keep their data and a memory model (src/memory/live) that each operation updates per
 * element; writes take a Database, open or create the key (generic.ts) and refresh its figures.
 * Arguments may be views into a query buffer: anything kept is copied.
 */
import { LISTPACK_MAX_SAFETY_SIZE } from '../../memory/sizes.js';
import { ENC_HASHTABLE, ENC_LISTPACK, HashMemory } from '../../memory/live/collections.js';
import { lpSizeOf } from '../../memory/live/listpack.js';
import type { Database } from '../database.js';
import { addLongDouble, formatLongDouble, isFiniteLd, type LongDouble, parseLongDouble } from '../long-double.js';
import { commit, EngineError, type Env, INT64_MAX, INT64_MIN, latin1Key as lat, LD_NAN, NOT_FLOAT, openForWrite, openOrCreate, OVERFLOW } from './generic.js';
import { longDoubleFromIntText, stringAsInt } from './string.js';

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

// ------------------------------------------------------------------ writes

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
