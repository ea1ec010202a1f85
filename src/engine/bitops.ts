/**
 * Bit and string algorithms of Redis 7.0 as pure functions over Buffers (bitops.c,
 * t_string.c): BITCOUNT and BITPOS with BYTE|BIT ranges, BITOP AND/OR/XOR/NOT, BITFIELD
 * GET/SET/INCRBY with WRAP/SAT/FAIL, and LCS with IDX/LEN/MINMATCHLEN/WITHMATCHLEN.
 *
 * Range arguments are long longs (bigint) so that any value a client sends is handled as Redis
 * handles it. Errors are thrown as BitopsError whose message is the reply (no leading '-').
 * The command files do the key lookups (type checks, missing keys) and storage.
 */
import { string2ll } from './string2ll.js';

export class BitopsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BitopsError';
  }
}

export const ERR_SYNTAX = 'ERR syntax error';
export const ERR_NOT_INTEGER = 'ERR value is not an integer or out of range';
export const ERR_BIT_OFFSET = 'ERR bit offset is not an integer or out of range';
export const ERR_BIT_ARG = 'ERR The bit argument must be 1 or 0.';
export const ERR_BITFIELD_TYPE = 'ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.';
export const ERR_OVERFLOW_TYPE = 'ERR Invalid OVERFLOW type specified';
export const ERR_BITFIELD_RO = 'ERR BITFIELD_RO only supports the GET subcommand';
export const ERR_BITOP_NOT = 'ERR BITOP NOT must be called with a single source key.';
/** proto-max-bulk-len default */
export const PROTO_MAX_BULK_LEN = 512 * 1024 * 1024;

const lower = (b: Uint8Array) => Buffer.from(b).toString('latin1').toLowerCase();

/** getLongLongFromObjectOrReply */
export function parseLongLong(b: Uint8Array): bigint {
  const v = string2ll(b);
  if (v === null) throw new BitopsError(ERR_NOT_INTEGER);
  return v;
}

const POPCOUNT = new Uint8Array(256);
for (let i = 1; i < 256; i++) POPCOUNT[i] = (i & 1) + POPCOUNT[i >> 1]!;

/** redisPopcount over s[start, start + count) */
export function popcount(s: Uint8Array, start: number, count: number): number {
  let n = 0;
  for (let i = start; i < start + count; i++) n += POPCOUNT[s[i]!]!;
  return n;
}

/** redisBitpos: first bit equal to `bit` (MSB first); -1 for a missing 1, count*8 for a missing 0 */
export function redisBitpos(s: Uint8Array, start: number, count: number, bit: number): number {
  const skip = bit ? 0x00 : 0xff;
  for (let i = 0; i < count; i++) {
    const b = s[start + i]!;
    if (b === skip) continue;
    for (let k = 0; k < 8; k++) {
      if (((b >> (7 - k)) & 1) === bit) return i * 8 + k;
    }
  }
  return bit ? -1 : count * 8;
}

type Unit = 'byte' | 'bit';

function parseUnit(b: Uint8Array): Unit {
  const u = lower(b);
  if (u === 'bit') return 'bit';
  if (u === 'byte') return 'byte';
  throw new BitopsError(ERR_SYNTAX);
}

/**
 * BITCOUNT key [start end [BYTE|BIT]]: `args` are the arguments after the key (0, 2 or 3 of
 * them; other counts are a syntax error), `s` the string's bytes (an int-encoded value as its
 * decimal text). A missing key is the caller's (reply 0).
 */
export function bitcount(s: Uint8Array, args: readonly Uint8Array[]): number {
  const strlen = BigInt(s.length);
  let start: bigint;
  let end: bigint;
  let firstMask = 0;
  let lastMask = 0;
  if (args.length === 2 || args.length === 3) {
    start = parseLongLong(args[0]!);
    end = parseLongLong(args[1]!);
    if (start < 0n && end < 0n && start > end) return 0;
    let isbit = false;
    if (args.length === 3) isbit = parseUnit(args[2]!) === 'bit';
    ({ start, end, firstMask, lastMask } = byteRange(start, end, isbit ? strlen << 3n : strlen, isbit));
  } else if (args.length === 0) {
    start = 0n;
    end = strlen - 1n;
  } else {
    throw new BitopsError(ERR_SYNTAX);
  }
  if (start > end) return 0;
  const st = Number(start);
  const en = Number(end);
  let count = popcount(s, st, en - st + 1);
  if (firstMask !== 0 || lastMask !== 0) {
    const a = firstMask !== 0 ? s[st]! & firstMask : 0;
    const b = lastMask !== 0 ? s[en]! & lastMask : 0;
    count -= POPCOUNT[a]! + POPCOUNT[b]!;
  }
  return count;
}

/**
 * The byte range of BITCOUNT/BITPOS start..end (as bitcountCommand and bitposCommand in
 * bitops.c): negative indexes count from the end, both are clamped to [0, totlen - 1]; in BIT
 * units the byte range and the masks of the bits outside it in its first and last byte.
 */
function byteRange(start: bigint, end: bigint, totlen: bigint, isbit: boolean): { start: bigint; end: bigint; firstMask: number; lastMask: number } {
  let firstMask = 0;
  let lastMask = 0;
  if (start < 0n) start = totlen + start;
  if (end < 0n) end = totlen + end;
  if (start < 0n) start = 0n;
  if (end < 0n) end = 0n;
  if (end >= totlen) end = totlen - 1n;
  if (isbit && start <= end) {
    firstMask = ~((1 << (8 - Number(start & 7n))) - 1) & 0xff;
    lastMask = (1 << (7 - Number(end & 7n))) - 1;
    start >>= 3n;
    end >>= 3n;
  }
  return { start, end, firstMask, lastMask };
}

/**
 * BITPOS key bit [start [end [BYTE|BIT]]]: `bitArg` is the bit argument, `args` what follows
 * it (0 to 3); `s` null for a missing key (reply -1 for bit 1, 0 for bit 0 — the bit is
 * validated first, as in Redis).
 */
export function bitpos(s: Uint8Array | null, bitArg: Uint8Array, args: readonly Uint8Array[]): number {
  const bitv = string2ll(bitArg);
  if (bitv === null || bitv < -(2n ** 63n) || bitv > 2n ** 63n - 1n) throw new BitopsError(ERR_NOT_INTEGER);
  if (bitv !== 0n && bitv !== 1n) throw new BitopsError(ERR_BIT_ARG);
  const bit = Number(bitv);
  if (s === null) return bit ? -1 : 0;
  const strlen = BigInt(s.length);
  let start: bigint;
  let end: bigint;
  let endGiven = false;
  let firstMask = 0;
  let lastMask = 0;
  if (args.length >= 1 && args.length <= 3) {
    start = parseLongLong(args[0]!);
    let isbit = false;
    if (args.length === 3) isbit = parseUnit(args[2]!) === 'bit';
    if (args.length >= 2) {
      end = parseLongLong(args[1]!);
      endGiven = true;
    } else end = isbit ? (strlen << 3n) + 7n : strlen - 1n;
    ({ start, end, firstMask, lastMask } = byteRange(start, end, isbit ? strlen << 3n : strlen, isbit));
  } else if (args.length === 0) {
    start = 0n;
    end = strlen - 1n;
  } else {
    throw new BitopsError(ERR_SYNTAX);
  }
  if (start > end) return -1;
  let st = Number(start);
  const en = Number(end);
  let bytes = en - st + 1;
  let pos: number;
  const tmp = new Uint8Array(1);
  result: {
    if (firstMask) {
      let t = bit ? s[st]! & ~firstMask : s[st]! | firstMask;
      if (lastMask && bytes === 1) t = bit ? t & ~lastMask : t | lastMask;
      tmp[0] = t;
      pos = redisBitpos(tmp, 0, 1, bit);
      if (bytes === 1 || (pos !== -1 && pos !== 8)) break result;
      st++;
      bytes--;
    }
    const curbytes = bytes - (lastMask ? 1 : 0);
    if (curbytes > 0) {
      pos = redisBitpos(s, st, curbytes, bit);
      if (bytes === curbytes || (pos !== -1 && pos !== curbytes * 8)) break result;
      st += curbytes;
      bytes -= curbytes;
    }
    tmp[0] = bit ? s[en]! & ~lastMask : s[en]! | lastMask;
    pos = redisBitpos(tmp, 0, 1, bit);
  }
  if (endGiven && bit === 0 && pos === bytes * 8) return -1;
  if (pos !== -1) pos += st * 8;
  return pos;
}

export type BitopName = 'and' | 'or' | 'xor' | 'not';

/** BITOP's operation name (case-insensitive), else a syntax error. */
export function parseBitop(b: Uint8Array): BitopName {
  const n = lower(b);
  if (n === 'and' || n === 'or' || n === 'xor' || n === 'not') return n;
  throw new BitopsError(ERR_SYNTAX);
}

/**
 * BITOP op dest src...: the result over the source strings (null = missing key, treated as
 * empty), as long as the longest source. Reply = its length; an empty result deletes dest,
 * otherwise dest becomes a raw string of these bytes (sdsnewlen(maxlen), untrimmed).
 */
export function bitop(op: BitopName, srcs: readonly (Uint8Array | null)[]): Buffer {
  if (op === 'not' && srcs.length !== 1) throw new BitopsError(ERR_BITOP_NOT);
  let maxlen = 0;
  for (const s of srcs) if (s && s.length > maxlen) maxlen = s.length;
  const res = Buffer.alloc(maxlen);
  if (maxlen === 0) return res;
  if (op === 'not') {
    const s = srcs[0]!;
    for (let i = 0; i < maxlen; i++) res[i] = ~(s[i] ?? 0) & 0xff;
    return res;
  }
  for (let i = 0; i < maxlen; i++) {
    let out = srcs[0] && i < srcs[0].length ? srcs[0][i]! : 0;
    for (let j = 1; j < srcs.length; j++) {
      const s = srcs[j];
      const b = s && i < s.length ? s[i]! : 0;
      if (op === 'and') out &= b;
      else if (op === 'or') out |= b;
      else out ^= b;
    }
    res[i] = out;
  }
  return res;
}

// ------------------------------------------------------------------ bit offsets, GETBIT/SETBIT

/**
 * getBitOffsetFromArgument: a bit offset, `#N` meaning N*bits when `hash`; refused when negative
 * or (offset >> 3) >= proto-max-bulk-len (not for the master's stream, `fromMaster`).
 */
export function parseBitOffset(b: Uint8Array, hash: boolean, bits: number, protoMaxBulkLen = PROTO_MAX_BULK_LEN, fromMaster = false): bigint {
  const usehash = b.length > 0 && b[0] === 0x23 && hash && bits > 0;
  let v = string2ll(usehash ? b.subarray(1) : b);
  if (v === null) throw new BitopsError(ERR_BIT_OFFSET);
  if (usehash) v = BigInt.asIntN(64, v * BigInt(bits));
  if (v < 0n || (!fromMaster && v >> 3n >= BigInt(protoMaxBulkLen))) throw new BitopsError(ERR_BIT_OFFSET);
  return v;
}

/** GETBIT's value at a bit offset (0 beyond the string) */
export function getbit(s: Uint8Array | null, offset: bigint): number {
  if (!s) return 0;
  const byte = offset >> 3n;
  if (byte >= BigInt(s.length)) return 0;
  const bit = 7 - Number(offset & 7n);
  return (s[Number(byte)]! >> bit) & 1;
}

// ------------------------------------------------------------------ BITFIELD

export type Overflow = 'wrap' | 'sat' | 'fail';

export interface BitfieldOp {
  opcode: 'get' | 'set' | 'incrby';
  offset: bigint;
  /** SET value / INCRBY increment */
  i64: bigint;
  owtype: Overflow;
  bits: number;
  sign: boolean;
}

export interface BitfieldPlan {
  ops: BitfieldOp[];
  readonly: boolean;
  /** the farthest bit a SET/INCRBY reaches (lookupStringForBitCommand grows to it) */
  highestWriteOffset: bigint;
}

/** getBitfieldTypeFromArgument */
function parseBitfieldType(b: Uint8Array): { sign: boolean; bits: number } {
  let sign: boolean;
  if (b[0] === 0x69) sign = true;
  else if (b[0] === 0x75) sign = false;
  else throw new BitopsError(ERR_BITFIELD_TYPE);
  // strlen(p+1): the argument is a C string here, so it ends at a NUL byte
  let rest = b.subarray(1);
  const nul = rest.indexOf(0);
  if (nul >= 0) rest = rest.subarray(0, nul);
  const bits = string2ll(rest);
  if (bits === null || bits < 1n || (sign && bits > 64n) || (!sign && bits > 63n)) throw new BitopsError(ERR_BITFIELD_TYPE);
  return { sign, bits: Number(bits) };
}

/**
 * bitfieldGeneric's argument pass: `args` are the arguments after the key. Errors come in
 * Redis's order (the first bad argument wins). `ro` is BITFIELD_RO: a SET/INCRBY there is
 * refused only after parsing — and after the key's type check, which the caller does between
 * this and bitfieldRun (use `assertReadonlyAllowed`).
 */
export function bitfieldParse(args: readonly Uint8Array[], protoMaxBulkLen = PROTO_MAX_BULK_LEN, fromMaster = false): BitfieldPlan {
  const ops: BitfieldOp[] = [];
  let owtype: Overflow = 'wrap';
  let readonly = true;
  let highest = 0n;
  for (let j = 0; j < args.length; j++) {
    const remargs = args.length - j - 1;
    const sub = lower(args[j]!);
    let opcode: BitfieldOp['opcode'];
    if (sub === 'get' && remargs >= 2) opcode = 'get';
    else if (sub === 'set' && remargs >= 3) opcode = 'set';
    else if (sub === 'incrby' && remargs >= 3) opcode = 'incrby';
    else if (sub === 'overflow' && remargs >= 1) {
      const t = lower(args[++j]!);
      if (t === 'wrap' || t === 'sat' || t === 'fail') owtype = t;
      else throw new BitopsError(ERR_OVERFLOW_TYPE);
      continue;
    } else throw new BitopsError(ERR_SYNTAX);
    const { sign, bits } = parseBitfieldType(args[j + 1]!);
    const offset = parseBitOffset(args[j + 2]!, true, bits, protoMaxBulkLen, fromMaster);
    let i64 = 0n;
    if (opcode !== 'get') {
      readonly = false;
      const last = BigInt.asUintN(64, offset + BigInt(bits) - 1n);
      if (highest < last) highest = last;
      i64 = parseLongLong(args[j + 3]!);
    }
    ops.push({ opcode, offset, i64, owtype, bits, sign });
    j += opcode === 'get' ? 2 : 3;
  }
  return { ops, readonly, highestWriteOffset: highest };
}

/** BITFIELD_RO with a write subcommand */
export function assertReadonlyAllowed(plan: BitfieldPlan): void {
  if (!plan.readonly) throw new BitopsError(ERR_BITFIELD_RO);
}

const U64 = (v: bigint) => BigInt.asUintN(64, v);
const I64 = (v: bigint) => BigInt.asIntN(64, v);

function getUnsigned(p: Uint8Array, offset: bigint, bits: number): bigint {
  let value = 0n;
  let off = Number(offset);
  for (let j = 0; j < bits; j++, off++) {
    const byte = Math.floor(off / 8);
    const bit = 7 - (off % 8);
    const bv = byte < p.length ? (p[byte]! >> bit) & 1 : 0;
    value = (value << 1n) | BigInt(bv);
  }
  return value;
}

function getSigned(p: Uint8Array, offset: bigint, bits: number): bigint {
  let v = I64(getUnsigned(p, offset, bits));
  if (bits < 64 && (v & (1n << BigInt(bits - 1))) !== 0n) v = I64(v | U64(-1n << BigInt(bits)));
  return v;
}

function setBits(p: Uint8Array, offset: bigint, bits: number, value: bigint): void {
  let off = Number(offset);
  const v = U64(value);
  for (let j = 0; j < bits; j++, off++) {
    const bitval = (v >> BigInt(bits - 1 - j)) & 1n ? 1 : 0;
    const byte = Math.floor(off / 8);
    const bit = 7 - (off % 8);
    p[byte] = ((p[byte]! & ~(1 << bit)) | (bitval << bit)) & 0xff;
  }
}

/** checkUnsignedBitfieldOverflow: [overflow -1/0/1, limit] (value, incr as C's uint64/int64) */
function checkUnsigned(value: bigint, incr: bigint, bits: number, owtype: Overflow): [number, bigint] {
  const max = bits === 64 ? (1n << 64n) - 1n : (1n << BigInt(bits)) - 1n;
  const maxincr = I64(max - value);
  const minincr = I64(-value);
  const wrap = (): bigint => U64(value + incr) & ~U64(-1n << BigInt(bits)) & ((1n << 64n) - 1n);
  if (value > max || (incr > 0n && incr > maxincr)) {
    if (owtype === 'wrap') return [1, wrap()];
    return [1, owtype === 'sat' ? max : 0n];
  } else if (incr < 0n && incr < minincr) {
    if (owtype === 'wrap') return [1, wrap()]; // handle_wrap returns 1 for both directions
    return [-1, 0n]; // SAT's limit is 0
  }
  return [0, 0n];
}

/** checkSignedBitfieldOverflow */
function checkSigned(value: bigint, incr: bigint, bits: number, owtype: Overflow): [number, bigint] {
  const max = bits === 64 ? (1n << 63n) - 1n : (1n << BigInt(bits - 1)) - 1n;
  const min = -max - 1n;
  const maxincr = I64(U64(max) - U64(value));
  const minincr = I64(min - value);
  const wrap = (): bigint => {
    const msb = 1n << BigInt(bits - 1);
    let c = U64(U64(value) + U64(incr));
    if (bits < 64) {
      const mask = U64(-1n << BigInt(bits));
      c = (c & msb) !== 0n ? c | mask : c & ~mask & ((1n << 64n) - 1n);
    }
    return I64(c);
  };
  if (value > max || (bits !== 64 && incr > maxincr) || (value >= 0n && incr > 0n && incr > maxincr)) {
    if (owtype === 'wrap') return [1, wrap()];
    return [1, owtype === 'sat' ? max : 0n];
  } else if (value < min || (bits !== 64 && incr < minincr) || (value < 0n && incr < 0n && incr < minincr)) {
    if (owtype === 'wrap') return [1, wrap()];
    return [-1, owtype === 'sat' ? min : 0n];
  }
  return [0, 0n];
}

/**
 * bitfieldGeneric's execution. `p` is the string's bytes: for a plan with writes, already grown
 * with zeros to (highestWriteOffset >> 3) + 1 bytes (lookupStringForBitCommand: a new key is
 * sdsnewlen(byte + 1); an existing one is unshared and sdsgrowzero'd) and modified in place;
 * `grown` is lookupStringForBitCommand's `dirty` (key created or string lengthened). For a
 * read-only plan `p` may be null (missing key). Replies: bigint values, null for a FAIL
 * overflow. `changes` > 0 means signal + "setbit" event + dirty += changes.
 */
export function bitfieldRun(p: Uint8Array | null, plan: BitfieldPlan, grown: boolean): { replies: (bigint | null)[]; changes: number } {
  const replies: (bigint | null)[] = [];
  let changes = 0;
  for (const op of plan.ops) {
    if (op.opcode === 'get') {
      // GET reads through a zero-padded copy of up to 9 bytes
      const byte = op.offset >> 3n;
      const buf = new Uint8Array(9);
      if (p) for (let i = 0; i < 9; i++) {
        const at = byte + BigInt(i);
        if (at >= BigInt(p.length)) break;
        buf[i] = p[Number(at)]!;
      }
      const rel = op.offset - byte * 8n;
      replies.push(op.sign ? getSigned(buf, rel, op.bits) : getUnsigned(buf, rel, op.bits));
      continue;
    }
    if (!p) throw new Error('bitfieldRun: a write plan needs the grown string');
    let oldval: bigint;
    let newval: bigint;
    let retval: bigint;
    let overflow: number;
    if (op.sign) {
      oldval = getSigned(p, op.offset, op.bits);
      if (op.opcode === 'incrby') {
        const [o, wrapped] = checkSigned(oldval, op.i64, op.bits, op.owtype);
        overflow = o;
        newval = o ? wrapped : I64(oldval + op.i64);
        retval = newval;
      } else {
        newval = op.i64;
        const [o, wrapped] = checkSigned(newval, 0n, op.bits, op.owtype);
        overflow = o;
        if (o) newval = wrapped;
        retval = oldval;
      }
    } else {
      oldval = getUnsigned(p, op.offset, op.bits);
      if (op.opcode === 'incrby') {
        newval = U64(oldval + op.i64);
        const [o, wrapped] = checkUnsigned(oldval, op.i64, op.bits, op.owtype);
        overflow = o;
        if (o) newval = wrapped;
        retval = newval;
      } else {
        newval = U64(op.i64);
        const [o, wrapped] = checkUnsigned(newval, 0n, op.bits, op.owtype);
        overflow = o;
        if (o) newval = wrapped;
        retval = oldval;
      }
      // addReplyLongLong of a uint64: values are < 2^63 here (bits <= 63)
      retval = I64(retval);
    }
    if (!(overflow && op.owtype === 'fail')) {
      replies.push(retval);
      setBits(p, op.offset, op.bits, newval);
      if (grown || oldval !== newval) changes++;
    } else replies.push(null);
  }
  return { replies, changes };
}

// ------------------------------------------------------------------ LCS

export interface LcsOptions {
  idx: boolean;
  len: boolean;
  minmatchlen: bigint;
  withmatchlen: boolean;
}

/** LCS's options after the two keys. */
export function parseLcsOptions(args: readonly Uint8Array[]): LcsOptions {
  const o: LcsOptions = { idx: false, len: false, minmatchlen: 0n, withmatchlen: false };
  for (let j = 0; j < args.length; j++) {
    const opt = lower(args[j]!);
    const more = args.length - 1 - j;
    if (opt === 'idx') o.idx = true;
    else if (opt === 'len') o.len = true;
    else if (opt === 'withmatchlen') o.withmatchlen = true;
    else if (opt === 'minmatchlen' && more) {
      o.minmatchlen = parseLongLong(args[++j]!);
      if (o.minmatchlen < 0n) o.minmatchlen = 0n;
    } else throw new BitopsError(ERR_SYNTAX);
  }
  if (o.len && o.idx) throw new BitopsError('ERR If you want both the length and indexes, please just use IDX.');
  return o;
}

export interface LcsMatch {
  a: [number, number];
  b: [number, number];
  len: number;
}

export type LcsResult =
  | { kind: 'string'; lcs: Buffer }
  | { kind: 'len'; len: number }
  | { kind: 'idx'; matches: LcsMatch[]; len: number; withmatchlen: boolean };

/**
 * lcsCommand's computation (a missing key is the empty string; a non-string key is the
 * caller's "ERR The specified keys must contain string values"). Replies: the LCS as a bulk
 * string; LEN: an integer; IDX: the map ["matches", [[[a0, a1], [b0, b1](, len)], …], "len", n].
 */
export function lcs(a: Uint8Array, b: Uint8Array, o: LcsOptions, protoMaxBulkLen = PROTO_MAX_BULK_LEN): LcsResult {
  if (a.length >= 0xffffffff - 1 || b.length >= 0xffffffff - 1) throw new BitopsError('ERR String too long for LCS');
  const alen = a.length;
  const blen = b.length;
  const size = (alen + 1) * (blen + 1);
  if (size * 4 > protoMaxBulkLen) throw new BitopsError('ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len');
  let t: Uint32Array;
  try {
    t = new Uint32Array(size);
  } catch (err) {
    if (err instanceof RangeError) throw new BitopsError('ERR Insufficient memory, failed allocating transient memory for LCS');
    throw err;
  }
  const w = blen + 1;
  for (let i = 1; i <= alen; i++) {
    const ai = a[i - 1];
    for (let j = 1; j <= blen; j++) {
      if (ai === b[j - 1]) t[i * w + j] = t[(i - 1) * w + j - 1]! + 1;
      else {
        const l1 = t[(i - 1) * w + j]!;
        const l2 = t[i * w + j - 1]!;
        t[i * w + j] = l1 > l2 ? l1 : l2;
      }
    }
  }
  const total = t[alen * w + blen]!;
  if (o.len && !o.idx) return { kind: 'len', len: total };
  const result = Buffer.alloc(total);
  const matches: LcsMatch[] = [];
  let idx = total;
  let aStart = alen; // alen: no range open
  let aEnd = 0;
  let bStart = 0;
  let bEnd = 0;
  let i = alen;
  let j = blen;
  while (i > 0 && j > 0) {
    let emit = false;
    if (a[i - 1] === b[j - 1]) {
      result[idx - 1] = a[i - 1]!;
      if (aStart === alen) {
        aStart = i - 1;
        aEnd = i - 1;
        bStart = j - 1;
        bEnd = j - 1;
      } else if (aStart === i && bStart === j) {
        aStart--;
        bStart--;
      } else emit = true;
      if (aStart === 0 || bStart === 0) emit = true;
      idx--;
      i--;
      j--;
    } else {
      const l1 = t[(i - 1) * w + j]!;
      const l2 = t[i * w + j - 1]!;
      if (l1 > l2) i--;
      else j--;
      if (aStart !== alen) emit = true;
    }
    const matchLen = (aEnd - aStart + 1) >>> 0;
    if (emit) {
      if (o.minmatchlen === 0n || BigInt(matchLen) >= o.minmatchlen) {
        matches.push({ a: [aStart, aEnd], b: [bStart, bEnd], len: matchLen });
      }
      aStart = alen;
    }
  }
  if (o.idx) return { kind: 'idx', matches, len: total, withmatchlen: o.withmatchlen };
  return { kind: 'string', lcs: result };
}
