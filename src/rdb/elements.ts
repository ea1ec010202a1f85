/**
 * The unit readers of the RDB encodings that store one string per element (rdbLoadObject,
 * rdb.c): RDB_TYPE_LIST and RDB_TYPE_SET (linked list, hashtable), RDB_TYPE_HASH (field,
 * value), RDB_TYPE_ZSET and ZSET_2 (member, score as text or binary double), and the hashes
 * with field TTLs (7.4's HASH_METADATA, Valkey's HASH_2). Each call reads one unit (one
 * element, one half of a pair, a count) of the parser's current key; see parser.ts for how
 * units make the parse resumable.
 */
import { RDB_TYPE } from './constants.js';
import type { RdbParser } from './parser.js';

/** Read one element string into stats (and `into` in values mode). */
export function readElement(p: RdbParser, into: Buffer[] | null): Buffer | null {
  p.readStringHeader();
  if (into !== null || p.wantValues) {
    const v = p.takeString();
    p.stats.addText(v, 0, v.length);
    into?.push(v);
    return v;
  }
  const len = p.sLen;
  const cls = p.measureString();
  p.stats.add(len, cls);
  return null;
}

/** One element of a linked list or hashtable set. */
export function readElementsUnit(p: RdbParser): void {
  const rec = p.cur!;
  if (p.beginCount(1, 'elements')) {
    p.length0 = p.remaining;
    if (p.wantValues) p.listValues = [];
    return;
  }
  if (p.remaining === 0) {
    if (p.listValues) rec.value = { type: rec.type as 'list' | 'set', value: p.listValues };
    p.finishKey(p.length0);
    return;
  }
  readElement(p, p.listValues);
  p.remaining--;
}

export function readHashUnit(p: RdbParser): void {
  const rec = p.cur!;
  if (p.beginCount(2, 'fields')) {
    p.length0 = p.remaining;
    if (p.wantValues) p.hashValues = [];
    return;
  }
  if (p.remaining === 0) {
    if (p.hashValues) rec.value = { type: 'hash', value: p.hashValues };
    p.finishKey(p.length0);
    return;
  }
  if (p.phase === 0) {
    p.pendingField = readElement(p, null);
    p.phase = 1;
  } else {
    const v = readElement(p, null);
    p.hashValues?.push({ field: p.pendingField!, value: v!, expireAt: -1 });
    p.phase = 0;
    p.remaining--;
  }
}

export function readZsetUnit(p: RdbParser): void {
  const rec = p.cur!;
  if (p.beginCount(2, 'members')) {
    p.length0 = p.remaining;
    if (p.wantValues) p.zsetValues = [];
    return;
  }
  if (p.remaining === 0) {
    if (p.zsetValues) rec.value = { type: 'zset', value: p.zsetValues };
    p.finishKey(p.length0);
    return;
  }
  if (p.phase === 0) {
    p.pendingField = readElement(p, null);
    p.phase = 1;
    return;
  }
  let score: number;
  if (rec.rdbType === RDB_TYPE.ZSET_2) {
    p.need(8);
    score = p.buf.readDoubleLE(p.pos);
    p.pos += 8;
  } else {
    // rdbLoadDoubleValue: length byte, 253 NaN, 254 +inf, 255 -inf, else ASCII
    const n = p.u8();
    if (n === 253) score = NaN;
    else if (n === 254) score = Infinity;
    else if (n === 255) score = -Infinity;
    else {
      p.need(n);
      score = parseScore(p.buf.toString('latin1', p.pos, p.pos + n));
      p.pos += n;
      if (Number.isNaN(score)) throw p.fail('corrupt_value', 'zset score is not a number', p.offset - n - 1);
    }
  }
  p.stats.addScore(score);
  p.zsetValues?.push([p.pendingField!, score]);
  p.phase = 0;
  p.remaining--;
}

/** HASH_METADATA (ttl, field, value) and Valkey's HASH_2 (field, value, ttl). */
export function readHashTtlUnit(p: RdbParser, valkey: boolean): void {
  const rec = p.cur!;
  if (p.remaining < 0) {
    if (!valkey && rec.rdbType === RDB_TYPE.HASH_METADATA && p.phase === 0) {
      p.minFieldExpire = p.msTime();
      p.phase = 1;
      return;
    }
    p.remaining = p.readCountOf(2, 'fields');
    p.length0 = p.remaining;
    if (p.wantValues) p.hashValues = [];
    p.phase = 0;
    return;
  }
  if (p.remaining === 0) {
    if (p.hashValues) rec.value = { type: 'hash', value: p.hashValues };
    rec.facts.fieldTtl = { fieldsWithTtl: p.fieldsWithTtl, minExpireAt: p.lowestTtl };
    p.finishKey(p.length0);
    return;
  }
  // unit order: valkey field(0) value(1) ttl(2); redis ttl(0) field(1) value(2)
  const ttlPhase = valkey ? 2 : 0;
  if (p.phase === ttlPhase) {
    let expireAt: number;
    if (valkey) {
      expireAt = p.msTime();
    } else {
      const ttl = p.readCount();
      // HASH_METADATA stores ttl - minExpire + 1 (0: none); the pre-GA form is absolute
      expireAt = ttl === 0 ? -1 : rec.rdbType === RDB_TYPE.HASH_METADATA ? ttl + p.minFieldExpire - 1 : ttl;
    }
    if (expireAt >= 0) {
      p.fieldsWithTtl++;
      if (p.lowestTtl < 0 || expireAt < p.lowestTtl) p.lowestTtl = expireAt;
    }
    p.pendingTtl = expireAt;
  } else if (p.phase === (valkey ? 0 : 1)) {
    p.pendingField = readElement(p, null);
  } else {
    p.pendingBuf = readElement(p, null);
  }
  if (++p.phase === 3) {
    p.phase = 0;
    p.remaining--;
    p.stats.addPairTtl(p.pendingTtl >= 0);
    p.hashValues?.push({ field: p.pendingField!, value: p.pendingBuf!, expireAt: p.pendingTtl });
  }
}

/** A score written as text, as strtod reads it ("inf", "-inf", "1.5e3"); NaN when it is not one. */
export function parseScore(text: string): number {
  const t = text.trim().toLowerCase();
  if (t === 'inf' || t === '+inf' || t === 'infinity' || t === '+infinity') return Infinity;
  if (t === '-inf' || t === '-infinity') return -Infinity;
  return t === '' ? NaN : Number(t);
}
