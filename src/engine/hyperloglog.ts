/**
 * HyperLogLog exactly as Redis 7.0 stores it (hyperloglog.c): a plain string value whose bytes
 * are the 16-byte header ("HYLL", encoding, 3 unused, 8-byte little-endian cached cardinality
 * whose top bit marks it stale) followed by either the sparse opcodes (ZERO 00xxxxxx, XZERO
 * 01xxxxxx xxxxxxxx, VAL 1vvvvvxx) or 16384 dense 6-bit registers. Every operation leaves the
 * same bytes Redis would, so GET / DUMP / MEMORY USAGE agree with a real server.
 *
 * Memory: the value is a raw-encoded string. Redis grows the sparse sds with sdsMakeRoomFor(3)
 * (greedy) before each register update, never shrinks it, and replaces it by a fresh
 * sdsnewlen(12304) on promotion to dense; HllSds tracks that capacity (`cap`, the sds alloc
 * field) and allocation size (`alloc`, what sdsZmallocSize reports) per the build's Features.
 */
import type { Features } from '../memory/sizes.js';
import { rawSdsCapacity, rawSdsNew, sdsGrow } from '../memory/live/string.js';

export const HLL_P = 14;
export const HLL_Q = 64 - HLL_P;
export const HLL_REGISTERS = 1 << HLL_P;
const HLL_P_MASK = HLL_REGISTERS - 1;
export const HLL_BITS = 6;
const HLL_REGISTER_MAX = (1 << HLL_BITS) - 1;
export const HLL_HDR_SIZE = 16;
export const HLL_DENSE_SIZE = HLL_HDR_SIZE + Math.floor((HLL_REGISTERS * HLL_BITS + 7) / 8);
export const HLL_DENSE = 0;
export const HLL_SPARSE = 1;
const HLL_MAX_ENCODING = 1;

const HLL_SPARSE_VAL_MAX_VALUE = 32;
const HLL_SPARSE_VAL_MAX_LEN = 4;
const HLL_SPARSE_ZERO_MAX_LEN = 64;
const HLL_SPARSE_XZERO_MAX_LEN = 16384;
/** 0.5 / ln(2) */
const HLL_ALPHA_INF = 0.72134752044448170368;
/** hll-sparse-max-bytes default (config.c) */
export const HLL_SPARSE_MAX_BYTES_DEFAULT = 3000;

/** Error replies (without the leading '-'), as hyperloglog.c sends them. */
export const HLL_INVALID_ERR = 'INVALIDOBJ Corrupted HLL object detected';
export const HLL_WRONGTYPE_ERR = 'WRONGTYPE Key is not a valid HyperLogLog string value.';
/** checkType's reply, for a key that is not a string at all */
export const WRONGTYPE_ERR = 'WRONGTYPE Operation against a key holding the wrong kind of value';

/** An HLL operation failed the way Redis reports it; `message` is the error reply. */
export class HllError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HllError';
  }
}

// ------------------------------------------------------------------ MurmurHash64A

const M_HI = 0xc6a4a793;
const M_LO = 0x5bd1e995;
/** seed hllPatLen uses */
export const HLL_HASH_SEED = 0xadc83b19;

// 64-bit results of mul64 as two uint32 halves.
let rHi = 0;
let rLo = 0;

/** (aHi:aLo) * (bHi:bLo) mod 2^64 into rHi:rLo. */
function mul64(aHi: number, aLo: number, bHi: number, bLo: number): void {
  const a0 = aLo & 0xffff;
  const a1 = aLo >>> 16;
  const b0 = bLo & 0xffff;
  const b1 = bLo >>> 16;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const p11 = a1 * b1;
  const t = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  const hiOfLo = p11 + (p01 >>> 16) + (p10 >>> 16) + Math.floor(t / 65536);
  rLo = Math.imul(aLo, bLo) >>> 0;
  rHi = (hiOfLo + Math.imul(aHi, bLo) + Math.imul(aLo, bHi)) >>> 0;
}

/** MurmurHash64A (hyperloglog.c) of `key` into rHi:rLo. */
function murmur64(key: Uint8Array, seed: number): void {
  const len = key.length;
  // h = seed ^ (len * m)
  mul64(0, len >>> 0, M_HI, M_LO);
  let hHi = rHi;
  let hLo = (rLo ^ seed) >>> 0;
  const blocks = len - (len & 7);
  let i = 0;
  for (; i < blocks; i += 8) {
    const kLo = (key[i]! | (key[i + 1]! << 8) | (key[i + 2]! << 16) | (key[i + 3]! << 24)) >>> 0;
    const kHi = (key[i + 4]! | (key[i + 5]! << 8) | (key[i + 6]! << 16) | (key[i + 7]! << 24)) >>> 0;
    mul64(kHi, kLo, M_HI, M_LO); // k *= m
    let xHi = rHi;
    let xLo = (rLo ^ (rHi >>> 15)) >>> 0; // k ^= k >> 47
    mul64(xHi, xLo, M_HI, M_LO); // k *= m
    xHi = rHi;
    xLo = rLo;
    hHi = (hHi ^ xHi) >>> 0; // h ^= k
    hLo = (hLo ^ xLo) >>> 0;
    mul64(hHi, hLo, M_HI, M_LO); // h *= m
    hHi = rHi;
    hLo = rLo;
  }
  const rest = len & 7;
  if (rest > 0) {
    for (let j = rest - 1; j >= 0; j--) {
      const b = key[i + j]!;
      if (j >= 4) hHi = (hHi ^ (b << (8 * (j - 4)))) >>> 0;
      else hLo = (hLo ^ (b << (8 * j))) >>> 0;
    }
    mul64(hHi, hLo, M_HI, M_LO);
    hHi = rHi;
    hLo = rLo;
  }
  hLo = (hLo ^ (hHi >>> 15)) >>> 0; // h ^= h >> 47
  mul64(hHi, hLo, M_HI, M_LO);
  hHi = rHi;
  hLo = (rLo ^ (rHi >>> 15)) >>> 0;
  rHi = hHi;
  rLo = hLo;
}

/** MurmurHash64A(key, len, seed) (hyperloglog.c) as an unsigned 64-bit bigint. */
export function murmurHash64A(key: Uint8Array, seed: number = HLL_HASH_SEED): bigint {
  murmur64(key, seed >>> 0);
  return (BigInt(rHi) << 32n) | BigInt(rLo);
}

/**
 * hllPatLen: the register an element maps to and the length of its run of zeroes plus one,
 * packed as `index * 64 + count` (count is 1..51).
 */
export function hllPatLen(ele: Uint8Array): number {
  murmur64(ele, HLL_HASH_SEED);
  const index = rLo & HLL_P_MASK;
  // hash >>= 14; hash |= 1 << 50; count trailing zeros + 1
  const lo = ((rLo >>> HLL_P) | (rHi << (32 - HLL_P))) >>> 0;
  const hi = ((rHi >>> HLL_P) | (1 << (HLL_Q - 32))) >>> 0;
  let count: number;
  if (lo !== 0) count = 1 + (31 - Math.clz32(lo & -lo));
  else count = 33 + (31 - Math.clz32(hi & -hi));
  return index * 64 + count;
}

// ------------------------------------------------------------------ the sds

/**
 * The string value of an HLL key: `bytes()` is what GET returns; `cap` and `alloc` are the
 * sds capacity and allocation size as Redis's sds would have them (see the module comment).
 */
export class HllSds {
  /** storage; the first `len` bytes are the value */
  private store: Buffer;
  len: number;
  cap: number;
  alloc: number;

  private constructor(
    store: Buffer,
    len: number,
    cap: number,
    alloc: number,
    /** the build's features (sizes the sds) */
    readonly f: Features,
  ) {
    this.store = store;
    this.len = len;
    this.cap = cap;
    this.alloc = alloc;
  }

  /** An existing raw sds with known capacity and allocation (the key's StringValue). */
  static of(bytes: Uint8Array, cap: number, alloc: number, f: Features): HllSds {
    const store = Buffer.alloc(Math.max(bytes.length + 8, 32));
    store.set(bytes);
    return new HllSds(store, bytes.length, cap, alloc, f);
  }

  /**
   * dbUnshareStringValue of a shared / embstr / int value: a fresh sdsnewlen copy (no trim).
   * Also the right model for a raw value of unknown history.
   */
  static unshared(bytes: Uint8Array, f: Features): HllSds {
    return HllSds.of(bytes, rawSdsCapacity(bytes.length, f), rawSdsNew(bytes.length, f), f);
  }

  /** sdsnewlen(NULL, len): zero bytes */
  static zeroed(len: number, f: Features): HllSds {
    return new HllSds(Buffer.alloc(len + 8), len, rawSdsCapacity(len, f), rawSdsNew(len, f), f);
  }

  /** createHLLObject: an empty sparse HLL (XZERO opcodes covering every register). */
  static create(f: Features): HllSds {
    const sparselen = HLL_HDR_SIZE + Math.floor((HLL_REGISTERS + (HLL_SPARSE_XZERO_MAX_LEN - 1)) / HLL_SPARSE_XZERO_MAX_LEN) * 2;
    const h = HllSds.zeroed(sparselen, f);
    const s = h.store;
    let p = HLL_HDR_SIZE;
    for (let aux = HLL_REGISTERS; aux > 0; ) {
      const xzero = Math.min(HLL_SPARSE_XZERO_MAX_LEN, aux);
      xzeroSet(s, p, xzero);
      p += 2;
      aux -= xzero;
    }
    s.write('HYLL', 0, 'latin1');
    s[4] = HLL_SPARSE;
    return h;
  }

  /** The value's bytes (a view: copy it before the next operation if you keep it). */
  bytes(): Buffer {
    return this.store.subarray(0, this.len);
  }

  /** The raw storage (index < len is the value). */
  get raw(): Buffer {
    return this.store;
  }

  get encoding(): number {
    return this.store[4]!;
  }

  /** sdsMakeRoomFor(s, addlen), greedy */
  makeRoomFor(addlen: number): void {
    const grown = sdsGrow(this.len, this.cap, addlen, this.f);
    if (grown) {
      this.cap = grown.cap;
      this.alloc = grown.alloc;
    }
    if (this.store.length < this.len + addlen) {
      const next = Buffer.alloc(Math.max(this.store.length * 2, this.len + addlen));
      this.store.copy(next, 0, 0, this.len);
      this.store = next;
    }
  }

  /** Replace the contents by a new sds (sdsfree + o->ptr = new). */
  replaceWith(other: HllSds): void {
    this.store = other.store;
    this.len = other.len;
    this.cap = other.cap;
    this.alloc = other.alloc;
  }
}

function xzeroSet(s: Uint8Array, p: number, len: number): void {
  const l = len - 1;
  s[p] = (l >> 8) | 0x40;
  s[p + 1] = l & 0xff;
}

const isZero = (b: number) => (b & 0xc0) === 0;
const isXzero = (b: number) => (b & 0xc0) === 0x40;
const isVal = (b: number) => (b & 0x80) !== 0;
const zeroLen = (b: number) => (b & 0x3f) + 1;
const xzeroLen = (s: Uint8Array, p: number) => (((s[p]! & 0x3f) << 8) | s[p + 1]!) + 1;
const valValue = (b: number) => ((b >> 2) & 0x1f) + 1;
const valLen = (b: number) => (b & 0x3) + 1;
const valByte = (val: number, len: number) => (((val - 1) << 2) | (len - 1)) | 0x80;

function invalidateCache(s: Uint8Array): void {
  s[15] = s[15]! | 0x80;
}

// ------------------------------------------------------------------ dense registers

/** HLL_DENSE_GET_REGISTER (registers start at `base`) */
export function denseGet(s: Uint8Array, base: number, regnum: number): number {
  const bit = regnum * HLL_BITS;
  const byte = base + (bit >>> 3);
  const fb = bit & 7;
  const b0 = s[byte]!;
  const b1 = byte + 1 < s.length ? s[byte + 1]! : 0;
  return ((b0 >> fb) | (b1 << (8 - fb))) & HLL_REGISTER_MAX;
}

/** HLL_DENSE_SET_REGISTER */
function denseSetRaw(s: Uint8Array, base: number, regnum: number, val: number): void {
  const bit = regnum * HLL_BITS;
  const byte = base + (bit >>> 3);
  const fb = bit & 7;
  const fb8 = 8 - fb;
  s[byte] = (s[byte]! & ~(HLL_REGISTER_MAX << fb)) | ((val << fb) & 0xff);
  if (fb > 2) s[byte + 1] = (s[byte + 1]! & ~(HLL_REGISTER_MAX >> fb8)) | (val >> fb8);
}

/** hllDenseSet: 1 when the register grew */
function hllDenseSet(s: Uint8Array, index: number, count: number): number {
  if (count > denseGet(s, HLL_HDR_SIZE, index)) {
    denseSetRaw(s, HLL_HDR_SIZE, index, count);
    return 1;
  }
  return 0;
}

// ------------------------------------------------------------------ sparse

/** hllSparseToDense; throws HllError(INVALIDOBJ) on a corrupt sparse HLL. */
export function hllSparseToDense(o: HllSds): void {
  const s = o.raw;
  if (s[4] === HLL_DENSE) return;
  const dense = HllSds.zeroed(HLL_DENSE_SIZE, o.f);
  const d = dense.raw;
  s.copy(d, 0, 0, HLL_HDR_SIZE); // magic and cached cardinality
  d[4] = HLL_DENSE;
  let idx = 0;
  let p = HLL_HDR_SIZE;
  const end = o.len;
  while (p < end) {
    const b = s[p]!;
    if (isZero(b)) {
      idx += zeroLen(b);
      p++;
    } else if (isXzero(b)) {
      idx += xzeroLen(s, p);
      p += 2;
    } else {
      let runlen = valLen(b);
      const regval = valValue(b);
      if (runlen + idx > HLL_REGISTERS) break; // overflow
      while (runlen--) denseSetRaw(d, HLL_HDR_SIZE, idx++, regval);
      p++;
    }
  }
  if (idx !== HLL_REGISTERS) throw new HllError(HLL_INVALID_ERR);
  o.replaceWith(dense);
}

/**
 * hllSparseSet: set register `index` to `count` if greater. Returns 1 when updated, 0 when
 * not; promotes to dense when the count exceeds 32 or the sparse form would pass
 * `sparseMaxBytes`. Throws HllError(INVALIDOBJ) on a corrupt representation (Redis's -1).
 */
function hllSparseSet(o: HllSds, index: number, count: number, sparseMaxBytes: number): number {
  if (count > HLL_SPARSE_VAL_MAX_VALUE) return promote(o, index, count);
  o.makeRoomFor(3);
  let s = o.raw;
  const sparse = HLL_HDR_SIZE;
  let end = o.len;
  let p = sparse;
  let first = 0;
  let prev = -1;
  let span = 0;
  while (p < end) {
    const b = s[p]!;
    let oplen = 1;
    if (isZero(b)) span = zeroLen(b);
    else if (isVal(b)) span = valLen(b);
    else {
      span = xzeroLen(s, p);
      oplen = 2;
    }
    if (index <= first + span - 1) break;
    prev = p;
    p += oplen;
    first += span;
  }
  if (span === 0 || p >= end) throw new HllError(HLL_INVALID_ERR);

  const op = s[p]!;
  let next = isXzero(op) ? p + 2 : p + 1;
  if (next >= end) next = -1;
  const isz = isZero(op);
  const isx = isXzero(op);
  const runlen = isz ? zeroLen(op) : isx ? xzeroLen(s, p) : valLen(op);

  let updatedInPlace = false;
  if (!isz && !isx) {
    if (valValue(op) >= count) return 0; // case A
    if (runlen === 1) {
      s[p] = valByte(count, 1); // case B
      updatedInPlace = true;
    }
  }
  if (!updatedInPlace && isz && runlen === 1) {
    s[p] = valByte(count, 1); // case C
    updatedInPlace = true;
  }
  if (!updatedInPlace) {
    // case D: split the opcode into up to three
    const seq: number[] = [];
    const last = first + span - 1;
    if (isz || isx) {
      if (index !== first) pushZeros(seq, index - first);
      seq.push(valByte(count, 1));
      if (index !== last) pushZeros(seq, last - index);
    } else {
      const curval = valValue(op);
      if (index !== first) seq.push(valByte(curval, index - first));
      seq.push(valByte(count, 1));
      if (index !== last) seq.push(valByte(curval, last - index));
    }
    const oldlen = isx ? 2 : 1;
    const deltalen = seq.length - oldlen;
    if (deltalen > 0 && o.len + deltalen > sparseMaxBytes) return promote(o, index, count);
    s = o.raw;
    if (deltalen !== 0 && next >= 0) s.copyWithin(next + deltalen, next, end);
    o.len += deltalen;
    for (let i = 0; i < seq.length; i++) s[p + i] = seq[i]!;
    end += deltalen;
  }

  // Step 4: merge adjacent VAL opcodes of equal value, scanning up to 5 opcodes from prev.
  p = prev >= 0 ? prev : sparse;
  let scanlen = 5;
  while (p < end && scanlen-- > 0) {
    const b = s[p]!;
    if (isXzero(b)) {
      p += 2;
      continue;
    } else if (isZero(b)) {
      p++;
      continue;
    }
    if (p + 1 < end && isVal(s[p + 1]!)) {
      const v1 = valValue(b);
      const v2 = valValue(s[p + 1]!);
      if (v1 === v2) {
        const len = valLen(b) + valLen(s[p + 1]!);
        if (len <= HLL_SPARSE_VAL_MAX_LEN) {
          s[p + 1] = valByte(v1, len);
          s.copyWithin(p, p + 1, end);
          o.len -= 1;
          end--;
          continue;
        }
      }
    }
    p++;
  }
  invalidateCache(s);
  return 1;
}

function pushZeros(seq: number[], len: number): void {
  if (len > HLL_SPARSE_ZERO_MAX_LEN) {
    const l = len - 1;
    seq.push((l >> 8) | 0x40, l & 0xff);
  } else {
    seq.push(len - 1);
  }
}

function promote(o: HllSds, index: number, count: number): number {
  hllSparseToDense(o);
  const r = hllDenseSet(o.raw, index, count);
  if (r !== 1) throw new Error(`hllSparseSet promotion: register ${index} did not grow to ${count}`);
  return r;
}

/** hllAdd: add one element; 1 if a register changed. Throws HllError on a corrupt value. */
export function hllAdd(o: HllSds, ele: Uint8Array, sparseMaxBytes = HLL_SPARSE_MAX_BYTES_DEFAULT): number {
  const pl = hllPatLen(ele);
  const index = Math.floor(pl / 64);
  const count = pl & 63;
  const enc = o.raw[4];
  if (enc === HLL_DENSE) return hllDenseSet(o.raw, index, count);
  if (enc === HLL_SPARSE) return hllSparseSet(o, index, count, sparseMaxBytes);
  throw new HllError(HLL_INVALID_ERR);
}

// ------------------------------------------------------------------ counting

/** hllSigma */
function hllSigma(x: number): number {
  if (x === 1) return Infinity;
  let zPrime: number;
  let y = 1;
  let z = x;
  do {
    x *= x;
    zPrime = z;
    z += x * y;
    y += y;
  } while (zPrime !== z);
  return z;
}

/** hllTau */
function hllTau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let zPrime: number;
  let y = 1.0;
  let z = 1 - x;
  do {
    x = Math.sqrt(x);
    zPrime = z;
    y *= 0.5;
    const d = 1 - x;
    z -= d * d * y; // pow(1 - x, 2) is correctly rounded, as is d * d
  } while (zPrime !== z);
  return z / 3;
}

const LLONG_MIN_AS_U64 = 1n << 63n;

/** hllCount's estimator from a register histogram (64 slots). */
function estimate(reghisto: Float64Array): bigint {
  const m = HLL_REGISTERS;
  let z = m * hllTau((m - reghisto[HLL_Q + 1]!) / m);
  for (let j = HLL_Q; j >= 1; --j) {
    z += reghisto[j]!;
    z *= 0.5;
  }
  z += m * hllSigma(reghisto[0]! / m);
  const e = (HLL_ALPHA_INF * m * m) / z;
  // llroundl: half away from zero; out of range (or NaN) gives LLONG_MIN on x86-64
  if (!(e < 9223372036854775808)) return LLONG_MIN_AS_U64;
  const t = Math.trunc(e);
  return BigInt(e - t >= 0.5 ? t + 1 : t);
}

/**
 * hllCount of an HLL value (dense or sparse). Throws HllError(INVALIDOBJ) when a sparse value
 * does not cover exactly 16384 registers (the `invalid` flag).
 */
export function hllCount(s: Uint8Array, len = s.length): bigint {
  const reghisto = new Float64Array(64);
  if (s[4] === HLL_DENSE) {
    for (let j = 0; j < HLL_REGISTERS; j++) reghisto[denseGet(s, HLL_HDR_SIZE, j)]!++;
  } else {
    let idx = 0;
    let p = HLL_HDR_SIZE;
    while (p < len) {
      const b = s[p]!;
      if (isZero(b)) {
        const r = zeroLen(b);
        idx += r;
        reghisto[0] += r;
        p++;
      } else if (isXzero(b)) {
        const r = xzeroLen(s, p);
        idx += r;
        reghisto[0] += r;
        p += 2;
      } else {
        const r = valLen(b);
        idx += r;
        reghisto[valValue(b)] += r;
        p++;
      }
    }
    if (idx !== HLL_REGISTERS) throw new HllError(HLL_INVALID_ERR);
  }
  return estimate(reghisto);
}

/** hllMerge: max[i] = MAX(max[i], register i). Throws HllError(INVALIDOBJ) on a bad sparse. */
export function hllMerge(max: Uint8Array, s: Uint8Array, len = s.length): void {
  if (s[4] === HLL_DENSE) {
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const v = denseGet(s, HLL_HDR_SIZE, i);
      if (v > max[i]!) max[i] = v;
    }
    return;
  }
  let i = 0;
  let p = HLL_HDR_SIZE;
  while (p < len) {
    const b = s[p]!;
    if (isZero(b)) {
      i += zeroLen(b);
      p++;
    } else if (isXzero(b)) {
      i += xzeroLen(s, p);
      p += 2;
    } else {
      let runlen = valLen(b);
      const regval = valValue(b);
      if (runlen + i > HLL_REGISTERS) break;
      while (runlen--) {
        if (regval > max[i]!) max[i] = regval;
        i++;
      }
      p++;
    }
  }
  if (i !== HLL_REGISTERS) throw new HllError(HLL_INVALID_ERR);
}

/** The estimator over raw byte registers (HLL_RAW, PFCOUNT of several keys). */
export function hllCountRaw(max: Uint8Array): bigint {
  const reghisto = new Float64Array(64);
  for (let i = 0; i < HLL_REGISTERS; i++) reghisto[max[i]! & 63]!++;
  return estimate(reghisto);
}

// ------------------------------------------------------------------ commands' cores

/**
 * isHLLObjectOrReply minus the type check: whether a string value's bytes are an HLL
 * (length ≥ 16, "HYLL", encoding 0 or 1, dense exactly 12304 bytes). An int-encoded string
 * is never one (it fails `sdsEncodedObject`); its text is never "HYLL…" anyway.
 */
export function isHll(s: Uint8Array): boolean {
  if (s.length < HLL_HDR_SIZE) return false;
  if (s[0] !== 0x48 || s[1] !== 0x59 || s[2] !== 0x4c || s[3] !== 0x4c) return false;
  if (s[4]! > HLL_MAX_ENCODING) return false;
  if (s[4] === HLL_DENSE && s.length !== HLL_DENSE_SIZE) return false;
  return true;
}

/** Throws HllError(WRONGTYPE …) unless isHll. */
export function assertHll(s: Uint8Array): void {
  if (!isHll(s)) throw new HllError(HLL_WRONGTYPE_ERR);
}

/**
 * PFADD's core (pfaddCommand): `o` is the key's value (null when the key is missing: a new
 * sparse HLL is created and counts as an update), already checked with assertHll and
 * unshared. Returns the value and whether anything changed (reply :1 / :0; `changes`, what
 * server.dirty adds: the creation and each register raised). When something
 * changed the cached cardinality is invalidated. Throws HllError(INVALIDOBJ) on a corrupt value
 * — Redis has then already applied the earlier elements, and so has this.
 */
export function pfadd(
  o: HllSds | null,
  elements: readonly Uint8Array[],
  f: Features,
  sparseMaxBytes = HLL_SPARSE_MAX_BYTES_DEFAULT,
): { value: HllSds; updated: boolean; created: boolean; changes: number } {
  let updated = 0;
  const created = o === null;
  const value = o ?? HllSds.create(f);
  if (created) updated++;
  for (const ele of elements) updated += hllAdd(value, ele, sparseMaxBytes);
  if (updated) invalidateCache(value.raw);
  return { value, updated: updated > 0, created, changes: updated };
}

/**
 * PFCOUNT of one key (pfcountCommand case 2): the cached cardinality when valid, else the
 * estimate, written back into the header (`cacheWritten`: Redis then signals the key as
 * modified and bumps dirty). `s` must pass assertHll and be the (unshared) value's bytes,
 * which are updated in place.
 */
export function pfcountOne(s: Uint8Array): { card: bigint; cacheWritten: boolean } {
  if ((s[15]! & 0x80) === 0) {
    let card = 0n;
    for (let i = 7; i >= 0; i--) card = (card << 8n) | BigInt(s[8 + i]!);
    return { card, cacheWritten: false };
  }
  const card = hllCount(s);
  let c = card;
  for (let i = 0; i < 8; i++) {
    s[8 + i] = Number(c & 0xffn);
    c >>= 8n;
  }
  return { card, cacheWritten: true };
}

/**
 * PFCOUNT of several keys (case 1): the estimate of the union. `values` are the existing keys'
 * string values in argument order (missing keys left out, `null` for a key of another type);
 * they are checked and merged one after the other, so the first bad one decides the error,
 * as in Redis. Nothing is written.
 */
export function pfcountUnion(values: readonly (Uint8Array | null)[]): bigint {
  const max = new Uint8Array(HLL_REGISTERS);
  for (const v of values) {
    if (v === null) throw new HllError(WRONGTYPE_ERR);
    assertHll(v);
    hllMerge(max, v);
  }
  return hllCountRaw(max);
}

/**
 * PFMERGE's core (pfmergeCommand): `sources` are the string values of the keys argv[1..] that
 * exist, in order — the destination included, Redis merges it too — with `null` for a key of
 * another type; each is checked (WRONGTYPE / INVALIDOBJ, first bad one wins) and merged before
 * anything is written. `dest` is the unshared
 * destination value or null to create one. Returns the destination value (dense when any
 * source was dense, else sparse unless promoted), cache invalidated.
 */
export function pfmerge(
  dest: HllSds | null,
  sources: readonly (Uint8Array | null)[],
  f: Features,
  sparseMaxBytes = HLL_SPARSE_MAX_BYTES_DEFAULT,
): HllSds {
  const max = new Uint8Array(HLL_REGISTERS);
  let useDense = false;
  for (const s of sources) {
    if (s === null) throw new HllError(WRONGTYPE_ERR);
    assertHll(s);
    if (s[4] === HLL_DENSE) useDense = true;
    hllMerge(max, s);
  }
  const o = dest ?? HllSds.create(f);
  if (useDense) hllSparseToDense(o);
  for (let j = 0; j < HLL_REGISTERS; j++) {
    if (max[j] === 0) continue;
    if (o.raw[4] === HLL_DENSE) hllDenseSet(o.raw, j, max[j]!);
    else hllSparseSet(o, j, max[j]!, sparseMaxBytes);
  }
  invalidateCache(o.raw);
  return o;
}

// ------------------------------------------------------------------ PFDEBUG

/** PFDEBUG GETREG: converts a sparse value to dense (`converted`), then the 16384 registers. */
export function pfdebugGetreg(o: HllSds): { registers: number[]; converted: boolean } {
  const converted = o.raw[4] === HLL_SPARSE;
  if (converted) hllSparseToDense(o);
  const regs: number[] = new Array(HLL_REGISTERS);
  for (let j = 0; j < HLL_REGISTERS; j++) regs[j] = denseGet(o.raw, HLL_HDR_SIZE, j);
  return { registers: regs, converted };
}

/** PFDEBUG DECODE: "z:<len> Z:<len> v:<val>,<len> …"; HllError when not sparse. */
export function pfdebugDecode(s: Uint8Array): string {
  if (s[4] !== HLL_SPARSE) throw new HllError('ERR HLL encoding is not sparse');
  const out: string[] = [];
  let p = HLL_HDR_SIZE;
  while (p < s.length) {
    const b = s[p]!;
    if (isZero(b)) {
      out.push(`z:${zeroLen(b)}`);
      p++;
    } else if (isXzero(b)) {
      out.push(`Z:${xzeroLen(s, p)}`);
      p += 2;
    } else {
      out.push(`v:${valValue(b)},${valLen(b)}`);
      p++;
    }
  }
  return out.join(' ');
}

/** PFDEBUG ENCODING */
export function pfdebugEncoding(s: Uint8Array): 'dense' | 'sparse' {
  return s[4] === HLL_DENSE ? 'dense' : 'sparse';
}

/** PFDEBUG TODENSE: 1 when converted */
export function pfdebugTodense(o: HllSds): number {
  if (o.raw[4] !== HLL_SPARSE) return 0;
  hllSparseToDense(o);
  return 1;
}
