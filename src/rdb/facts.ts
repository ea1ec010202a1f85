/**
 * Facts about a value that a memory calculator needs, gathered while parsing without decoding
 * elements to JS strings. One `ElementStats` lives in the parser and is reused from key to key:
 * its typed arrays are only valid while the record is being handled.
 */

/**
 * Integer classes of an element that Redis would store as an integer in a ziplist or listpack
 * (string2ll-compatible text, or an integer entry). 0 means "a string". Each class fixes both
 * the ziplist and the listpack entry size (encoding byte(s) + data, without prevlen/backlen).
 */
export const INT_CLASS = {
  STRING: 0,
  /** 0..12: ziplist immediate (1), listpack 7-bit uint (1) */
  IMM: 1,
  /** 13..127: ziplist int8 (2), listpack 7-bit uint (1) */
  UINT7: 2,
  /** -128..-1: ziplist int8 (2), listpack 13-bit (2) */
  NEG8: 3,
  /** other 13-bit: ziplist int16 (3), listpack 13-bit (2) */
  INT13: 4,
  /** other 16-bit: ziplist int16 (3), listpack int16 (3) */
  INT16: 5,
  /** 24-bit: 4 and 4 */
  INT24: 6,
  /** 32-bit: 5 and 5 */
  INT32: 7,
  /** 64-bit: 9 and 9 */
  INT64: 8,
} as const;

/** Listpack entry size (encoding + data) per INT_CLASS; the backlen adds 1. */
export const LP_INT_SIZE = [0, 1, 1, 2, 2, 3, 4, 5, 9] as const;
/** Ziplist entry size (encoding + data) per INT_CLASS; the prevlen adds 1 or 5. */
export const ZL_INT_SIZE = [0, 1, 2, 2, 3, 3, 4, 5, 9] as const;
/** Smallest intset width (bytes) per INT_CLASS. */
export const INTSET_WIDTH = [0, 2, 2, 2, 2, 2, 4, 4, 8] as const;

export function intClassOf(v: number): number {
  if (v >= 0 && v <= 12) return INT_CLASS.IMM;
  if (v >= 13 && v <= 127) return INT_CLASS.UINT7;
  if (v >= -128 && v < 0) return INT_CLASS.NEG8;
  if (v >= -4096 && v <= 4095) return INT_CLASS.INT13;
  if (v >= -32768 && v <= 32767) return INT_CLASS.INT16;
  if (v >= -8388608 && v <= 8388607) return INT_CLASS.INT24;
  if (v >= -2147483648 && v <= 2147483647) return INT_CLASS.INT32;
  return INT_CLASS.INT64;
}

/** Number of characters of the decimal form of an integer (as ll2string writes it). */
export function decimalLength(v: number): number {
  if (v < 0) return 1 + decimalLength(-v);
  if (v < 10) return 1;
  if (v < 100) return 2;
  if (v < 1000) return 3;
  if (v < 10000) return 4;
  if (v < 100000) return 5;
  if (v < 1e6) return 6;
  if (v < 1e7) return 7;
  if (v < 1e8) return 8;
  if (v < 1e9) return 9;
  if (v < 1e10) return 10;
  // beyond here a Number may be inexact; the caller passes exact values up to 2^53 only
  return String(v).length;
}

const CH_0 = 0x30;
const CH_9 = 0x39;
const CH_MINUS = 0x2d;
const INT64_MAX_DIGITS = '9223372036854775807';
const INT64_MIN_DIGITS = '9223372036854775808';

/**
 * The INT_CLASS of the text in buf[off, off+len) if Redis's string2ll would accept it (no '+',
 * no leading zeros, no spaces, fits in int64), else INT_CLASS.STRING. Mirrors string2ll (util.c)
 * as used by lpStringToInt64 and zipTryEncoding.
 */
export function classifyIntegerText(buf: Uint8Array, off: number, len: number): number {
  if (len === 0 || len > 20) return INT_CLASS.STRING;
  let p = off;
  const end = off + len;
  let neg = false;
  if (buf[p] === CH_MINUS) {
    neg = true;
    p++;
    if (p === end) return INT_CLASS.STRING;
  }
  const first = buf[p]!;
  if (first === CH_0) {
    // "0" alone is fine; "-0" and leading zeros are not integers for string2ll
    return len === 1 ? INT_CLASS.IMM : INT_CLASS.STRING;
  }
  if (first < CH_0 || first > CH_9) return INT_CLASS.STRING;
  const digits = end - p;
  if (digits > 19) return INT_CLASS.STRING;
  let v = 0;
  for (let i = p; i < end; i++) {
    const c = buf[i]!;
    if (c < CH_0 || c > CH_9) return INT_CLASS.STRING;
    v = v * 10 + (c - CH_0);
  }
  if (digits === 19) {
    // compare exactly against the int64 limits
    const lim = neg ? INT64_MIN_DIGITS : INT64_MAX_DIGITS;
    for (let i = 0; i < 19; i++) {
      const c = buf[p + i]!;
      const l = lim.charCodeAt(i);
      if (c < l) break;
      if (c > l) return INT_CLASS.STRING;
    }
    return INT_CLASS.INT64;
  }
  return intClassOf(neg ? -v : v);
}

/**
 * Whether a string value would become an OBJ_ENCODING_INT robj on load (tryObjectEncoding):
 * at most 20 bytes and string2l accepts it (a long is 64-bit on the servers we model).
 */
export function isIntegerText(buf: Uint8Array, off: number, len: number): boolean {
  return classifyIntegerText(buf, off, len) !== INT_CLASS.STRING;
}

/**
 * A little-endian int64 as a Number when it is exactly representable (|v| < 2^53), else NaN;
 * callers then read it as a bigint. Avoids a BigInt per 64-bit integer entry.
 */
export function readInt64Safe(buf: Uint8Array, off: number): number {
  const lo = buf[off]! | (buf[off + 1]! << 8) | (buf[off + 2]! << 16) | (buf[off + 3]! << 24);
  const hi = buf[off + 4]! | (buf[off + 5]! << 8) | (buf[off + 6]! << 16) | (buf[off + 7]! << 24);
  if (hi >= -0x200000 && hi < 0x200000) return hi * 0x100000000 + (lo >>> 0);
  return NaN;
}

const INITIAL = 64;
/** Beyond this many elements per key, lengths are folded into a histogram (bounded memory). */
export const ELEMENT_ARRAY_CAP = 1 << 22;

/**
 * Per-element facts of the collection being parsed: each element's length as Redis would hold it
 * in an sds (integers by their decimal length) and its INT_CLASS; for hashes fields and values
 * alternate. Plus totals over the encoded blob(s) as stored.
 */
export class ElementStats {
  count = 0;
  lengths = new Uint32Array(INITIAL);
  intClasses = new Uint8Array(INITIAL);
  /** Lengths of elements beyond ELEMENT_ARRAY_CAP: length -> count. */
  overflow: Map<number, number> | null = null;
  maxLength = 0;
  /** True while every element is an integer (for intset decisions). */
  allIntegers = true;
  /** Widest intset width needed so far (2, 4 or 8; 0 while empty). */
  intsetWidth = 0;
  /** Sum of element lengths. */
  totalLength = 0;
  /** Hashes with field TTLs: 1 where pair i's field has a TTL, for the first pairTtlCount pairs. */
  pairTtl = new Uint8Array(INITIAL);
  pairTtlCount = 0;
  /** Zset scores (hashtable-encoded zsets only), in file order. */
  scores = new Float64Array(INITIAL);
  scoreCount = 0;

  reset(): void {
    this.count = 0;
    this.overflow = null;
    this.maxLength = 0;
    this.allIntegers = true;
    this.intsetWidth = 0;
    this.totalLength = 0;
    this.scoreCount = 0;
    this.pairTtlCount = 0;
  }

  /** Record whether the next field (pair) of a hash with field TTLs has a TTL. */
  addPairTtl(has: boolean): void {
    const i = this.pairTtlCount++;
    if (i >= ELEMENT_ARRAY_CAP) return;
    if (i === this.pairTtl.length) {
      const n = new Uint8Array(this.pairTtl.length * 2);
      n.set(this.pairTtl);
      this.pairTtl = n;
    }
    this.pairTtl[i] = has ? 1 : 0;
  }

  /** An element of `len` bytes whose integer class is `cls`. */
  add(len: number, cls: number): void {
    const i = this.count++;
    if (i < ELEMENT_ARRAY_CAP) {
      if (i === this.lengths.length) this.grow();
      this.lengths[i] = len;
      this.intClasses[i] = cls;
    } else {
      const m = (this.overflow ??= new Map());
      m.set(len, (m.get(len) ?? 0) + 1);
    }
    if (len > this.maxLength) this.maxLength = len;
    this.totalLength += len;
    if (cls === 0) this.allIntegers = false;
    else {
      const w = INTSET_WIDTH[cls]!;
      if (w > this.intsetWidth) this.intsetWidth = w;
    }
  }

  /** An element given as text: classified with string2ll rules. */
  addText(buf: Uint8Array, off: number, len: number): void {
    this.add(len, len <= 20 ? classifyIntegerText(buf, off, len) : 0);
  }

  /** An element held as an integer (intset, ziplist or listpack integer entry). */
  addInt(v: number): void {
    this.add(decimalLength(v), intClassOf(v));
  }

  /** A 64-bit integer outside Number's exact range. */
  addBigInt(v: bigint): void {
    this.add(v.toString().length, INT_CLASS.INT64);
  }

  addScore(score: number): void {
    const i = this.scoreCount++;
    if (i >= ELEMENT_ARRAY_CAP) return;
    if (i === this.scores.length) {
      const n = new Float64Array(this.scores.length * 2);
      n.set(this.scores);
      this.scores = n;
    }
    this.scores[i] = score;
  }

  private grow(): void {
    const n = this.lengths.length * 2;
    const l = new Uint32Array(n);
    l.set(this.lengths);
    this.lengths = l;
    const c = new Uint8Array(n);
    c.set(this.intClasses);
    this.intClasses = c;
  }
}
