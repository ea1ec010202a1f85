/**
 * DUMP / RESTORE payloads in Redis 7.0's format (cluster.c createDumpPayload /
 * verifyDumpPayload, rdb.c rdbSaveObject): the RDB type byte, the value as rdbSaveObject writes
 * it for the value's encoding, the RDB version (10) as two little-endian bytes and the CRC-64
 * of all that, little-endian.
 *
 * Encodings written (7.0): strings (int / raw, LZF when rdbcompression and longer than 20
 * bytes), lists as RDB_TYPE_LIST_QUICKLIST_2 with the live node boundaries, sets as
 * RDB_TYPE_SET_INTSET or RDB_TYPE_SET, sorted sets as RDB_TYPE_ZSET_LISTPACK or RDB_TYPE_ZSET_2,
 * hashes as RDB_TYPE_HASH_LISTPACK or RDB_TYPE_HASH, streams as RDB_TYPE_STREAM_LISTPACKS_2.
 * Reading goes through the project's RDB parser (src/rdb), then the same container builders a
 * dump load uses (loadShape + valueFromRecord), so a RESTOREd value is laid out as rdbLoadObject
 * lays it out.
 */
import { crc64 } from '../rdb/crc64.js';
import { RdbParser } from '../rdb/parser.js';
import { RdbError } from '../rdb/errors.js';
import type { KeyRecord } from '../rdb/records.js';
import { loadShape } from '../memory/load-encoding.js';
import { Shape } from '../memory/shape.js';
import { ENC_INTSET } from '../memory/live/collections.js';
import { STR_INT } from '../memory/live/string.js';
import { lzfCompressInto } from './lzf-compress.js';
import { string2ll } from './string2ll.js';

export { string2ll };
import { valueFromRecord } from './materialise.js';
import { bytesOf, type Env, type LiveValue } from './types/generic.js';
import type { HashValue } from './types/hash.js';
import type { ListValue } from './types/list.js';
import type { SetValue } from './types/set.js';
import type { StreamValue } from './types/stream.js';
import type { StringValue } from './types/string.js';
import type { ZsetValue } from './types/zset.js';

/** RDB_VERSION of 7.0 */
export const DUMP_RDB_VERSION = 10;
export const DUMP_ERR_BAD_PAYLOAD = 'ERR DUMP payload version or checksum are wrong';
export const DUMP_ERR_BAD_FORMAT = 'ERR Bad data format';

const RDB_TYPE_STRING = 0;
const RDB_TYPE_SET = 2;
const RDB_TYPE_HASH = 4;
const RDB_TYPE_ZSET_2 = 5;
const RDB_TYPE_SET_INTSET = 11;
const RDB_TYPE_HASH_LISTPACK = 16;
const RDB_TYPE_ZSET_LISTPACK = 17;
const RDB_TYPE_LIST_QUICKLIST_2 = 18;
const RDB_TYPE_STREAM_LISTPACKS_2 = 19;
const QUICKLIST_NODE_CONTAINER_PLAIN = 1;
const QUICKLIST_NODE_CONTAINER_PACKED = 2;
const STREAM_LISTPACK_MAX_SIZE = 1 << 30;
const STREAM_ITEM_FLAG_SAMEFIELDS = 2;

// ------------------------------------------------------------------ a growable byte sink

class Sink {
  buf = Buffer.alloc(256);
  len = 0;

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = Buffer.alloc(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  byte(b: number): void {
    this.room(1);
    this.buf[this.len++] = b;
  }

  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  u32le(v: number): void {
    this.room(4);
    this.buf.writeUInt32LE(v >>> 0, this.len);
    this.len += 4;
  }

  result(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.len));
  }
}

// ------------------------------------------------------------------ RDB primitives (rdb.c)

/** rdbSaveLen */
function saveLen(out: Sink, len: number | bigint): void {
  const v = typeof len === 'bigint' ? BigInt.asUintN(64, len) : len;
  if (typeof v === 'number' && v < 64) out.byte(v);
  else if (typeof v === 'number' && v < 16384) {
    out.byte(((v >> 8) & 0x3f) | 0x40);
    out.byte(v & 0xff);
  } else if (BigInt(v) <= 0xffffffffn) {
    const n = Number(v);
    if (n < 64) return saveLen(out, n);
    if (n < 16384) return saveLen(out, n);
    out.byte(0x80);
    out.byte((n >>> 24) & 0xff);
    out.byte((n >>> 16) & 0xff);
    out.byte((n >>> 8) & 0xff);
    out.byte(n & 0xff);
  } else {
    out.byte(0x81);
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(BigInt(v));
    out.bytes(b);
  }
}

/** rdbEncodeInteger: the int8/16/32 special encodings, or null */
function encodeInteger(v: bigint): number[] | null {
  if (v >= -128n && v <= 127n) return [0xc0, Number(v) & 0xff];
  if (v >= -32768n && v <= 32767n) {
    const n = Number(v);
    return [0xc1, n & 0xff, (n >> 8) & 0xff];
  }
  if (v >= -2147483648n && v <= 2147483647n) {
    const n = Number(v);
    return [0xc2, n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff];
  }
  return null;
}

/** rdbSaveLzfBlob */
function saveLzfBlob(out: Sink, compressed: Uint8Array, originalLen: number): void {
  out.byte(0xc3);
  saveLen(out, compressed.length);
  saveLen(out, originalLen);
  out.bytes(compressed);
}

let lzfOut = Buffer.alloc(1024);

/** rdbSaveRawString: int encoding for short integer text, LZF above 20 bytes, else raw */
function saveRawString(out: Sink, s: Uint8Array, compress: boolean): void {
  const len = s.length;
  if (len <= 11) {
    const v = string2ll(s);
    if (v !== null) {
      const enc = encodeInteger(v);
      if (enc) {
        for (const b of enc) out.byte(b);
        return;
      }
    }
  }
  if (compress && len > 20) {
    // rdbSaveLzfStringObject: out buffer of len - 4 bytes
    const outlen = len - 4;
    if (lzfOut.length < outlen + 64) lzfOut = Buffer.alloc(outlen + 64);
    const comprlen = lzfCompressInto(s, lzfOut, outlen);
    if (comprlen > 0) {
      saveLzfBlob(out, lzfOut.subarray(0, comprlen), len);
      return;
    }
  }
  saveLen(out, len);
  out.bytes(s);
}

/** rdbSaveLongLongAsStringObject */
function saveLongLongAsString(out: Sink, v: bigint): void {
  const enc = encodeInteger(v);
  if (enc) {
    for (const b of enc) out.byte(b);
    return;
  }
  const text = Buffer.from(v.toString(), 'latin1');
  saveLen(out, text.length);
  out.bytes(text);
}

/** rdbSaveBinaryDoubleValue */
function saveBinaryDouble(out: Sink, d: number): void {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(d);
  out.bytes(b);
}

/** rdbSaveMillisecondTime */
function saveMillis(out: Sink, ms: number): void {
  const b = Buffer.alloc(8);
  b.writeBigInt64LE(BigInt(Math.trunc(ms)));
  out.bytes(b);
}

// ------------------------------------------------------------------ listpack (listpack.c)

/** Builds a listpack the way lpAppend / lpAppendInteger do. */
export class ListpackBuilder {
  private readonly s = new Sink();
  private count = 0;

  constructor() {
    this.s.u32le(0);
    this.s.byte(0);
    this.s.byte(0);
  }

  /** lpAppend: strings that are canonical integers are stored as integers */
  append(b: Uint8Array): void {
    const v = b.length <= 20 ? string2ll(b) : null;
    if (v !== null) this.appendInteger(v);
    else this.appendString(b);
  }

  appendString(b: Uint8Array): void {
    const len = b.length;
    let hdr: number[];
    if (len < 64) hdr = [0x80 | len];
    else if (len < 4096) hdr = [0xe0 | (len >> 8), len & 0xff];
    else hdr = [0xf0, len & 0xff, (len >> 8) & 0xff, (len >> 16) & 0xff, (len >>> 24) & 0xff];
    for (const h of hdr) this.s.byte(h);
    this.s.bytes(b);
    this.backlen(hdr.length + len);
  }

  /** lpAppendInteger (lpEncodeIntegerGetType) */
  appendInteger(v: bigint | number): void {
    const x = BigInt(v);
    const bytes: number[] = [];
    if (x >= 0n && x <= 127n) bytes.push(Number(x));
    else if (x >= -4096n && x <= 4095n) {
      const u = x < 0n ? Number((1n << 13n) + x) : Number(x);
      bytes.push((u >> 8) | 0xc0, u & 0xff);
    } else {
      let width: number;
      let tag: number;
      if (x >= -32768n && x <= 32767n) [width, tag] = [2, 0xf1];
      else if (x >= -8388608n && x <= 8388607n) [width, tag] = [3, 0xf2];
      else if (x >= -2147483648n && x <= 2147483647n) [width, tag] = [4, 0xf3];
      else [width, tag] = [8, 0xf4];
      let u = BigInt.asUintN(width * 8, x);
      bytes.push(tag);
      for (let i = 0; i < width; i++) {
        bytes.push(Number(u & 0xffn));
        u >>= 8n;
      }
    }
    for (const b of bytes) this.s.byte(b);
    this.backlen(bytes.length);
  }

  /** lpEncodeBacklen */
  private backlen(l: number): void {
    this.count++;
    if (l <= 127) this.s.byte(l);
    else if (l < 16383) {
      this.s.byte(l >> 7);
      this.s.byte((l & 127) | 128);
    } else if (l < 2097151) {
      this.s.byte(l >> 14);
      this.s.byte(((l >> 7) & 127) | 128);
      this.s.byte((l & 127) | 128);
    } else if (l < 268435455) {
      this.s.byte(l >> 21);
      this.s.byte(((l >> 14) & 127) | 128);
      this.s.byte(((l >> 7) & 127) | 128);
      this.s.byte((l & 127) | 128);
    } else {
      this.s.byte(l >>> 28);
      this.s.byte(((l >> 21) & 127) | 128);
      this.s.byte(((l >> 14) & 127) | 128);
      this.s.byte(((l >> 7) & 127) | 128);
      this.s.byte((l & 127) | 128);
    }
  }

  /** Current total bytes (lpBytes) including the terminator to come. */
  get bytes(): number {
    return this.s.len + 1;
  }

  finish(): Buffer {
    this.s.byte(0xff);
    const out = this.s.result();
    out.writeUInt32LE(out.length, 0);
    out.writeUInt16LE(this.count < 65535 ? this.count : 65535, 4);
    return out;
  }
}

// ------------------------------------------------------------------ %.17g (d2string, 7.0)

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** printf("%.17g", x) of a finite non-zero double, exact (round half to even). */
function g17(x: number): string {
  const neg = x < 0;
  f64[0] = Math.abs(x);
  const hi = u32[1]!;
  const exp = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(u32[0]!);
  let e: number;
  if (exp === 0) e = -1074;
  else {
    m |= 1n << 52n;
    e = exp - 1075;
  }
  // value = m * 2^e; find 17 significant digits: q = round(value / 10^(X-16))
  let X = Math.floor(Math.log10(Math.abs(x)));
  const digitsFor = (X0: number): bigint => {
    // value * 10^(16 - X0), rounded half-even
    const p = 16 - X0;
    let num = m;
    let den = 1n;
    if (e >= 0) num <<= BigInt(e);
    else den <<= BigInt(-e);
    if (p >= 0) num *= 10n ** BigInt(p);
    else den *= 10n ** BigInt(-p);
    let q = num / den;
    const r = num % den;
    if (r * 2n > den || (r * 2n === den && (q & 1n) === 1n)) q++;
    return q;
  };
  let q = digitsFor(X);
  if (q >= 10n ** 17n) {
    X++;
    q = digitsFor(X);
  } else if (q < 10n ** 16n) {
    X--;
    q = digitsFor(X);
  }
  const digits = q.toString(); // 17 digits
  let s: string;
  if (X < -4 || X >= 17) {
    const mant = (digits[0] + '.' + digits.slice(1)).replace(/0+$/, '').replace(/\.$/, '');
    s = `${mant}e${X < 0 ? '-' : '+'}${String(Math.abs(X)).padStart(2, '0')}`;
  } else if (X >= 0) {
    const ip = digits.slice(0, X + 1);
    const fp = digits.slice(X + 1).replace(/0+$/, '');
    s = fp ? `${ip}.${fp}` : ip;
  } else {
    const fp = ('0'.repeat(-X - 1) + digits).replace(/0+$/, '');
    s = `0.${fp}`;
  }
  return (neg ? '-' : '') + s;
}

/** d2string (util.c, 7.0): the text a zset score becomes in a listpack */
export function d2string(score: number): string {
  if (Number.isNaN(score)) return 'nan';
  if (score === Infinity) return 'inf';
  if (score === -Infinity) return '-inf';
  if (score === 0) return Object.is(score, -0) ? '-0' : '0';
  // "if (value > min && value < max && value == ((long long)value))" with (-2^52, 2^52)
  if (score > -4503599627370495 && score < 4503599627370496 && Number.isInteger(score)) return String(score);
  return g17(score);
}

// ------------------------------------------------------------------ values

export interface DumpOptions {
  /** rdbcompression (default yes) */
  compression?: boolean;
}

function saveString(out: Sink, v: StringValue, compress: boolean): void {
  if (v.enc === STR_INT) {
    const n = string2ll(v.buf);
    if (n !== null) return saveLongLongAsString(out, n);
  }
  saveRawString(out, v.buf, compress);
}

function saveList(out: Sink, v: ListValue, compress: boolean): void {
  const mem = v.mem;
  const n = mem.cnt.length;
  saveLen(out, n);
  let at = 0;
  for (let i = 0; i < n; i++) {
    const cnt = mem.cnt[i]!;
    if (mem.plain[i]) {
      saveLen(out, QUICKLIST_NODE_CONTAINER_PLAIN);
      saveRawString(out, v.items.get(at)!, compress);
    } else {
      saveLen(out, QUICKLIST_NODE_CONTAINER_PACKED);
      const lp = new ListpackBuilder();
      for (let k = 0; k < cnt; k++) lp.append(v.items.get(at + k)!);
      saveRawString(out, lp.finish(), compress);
    }
    at += cnt;
  }
}

function intsetBlob(members: bigint[], width: number): Buffer {
  const sorted = [...members].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const b = Buffer.alloc(8 + width * sorted.length);
  b.writeUInt32LE(width, 0);
  b.writeUInt32LE(sorted.length, 4);
  sorted.forEach((m, i) => {
    if (width === 2) b.writeInt16LE(Number(m), 8 + i * 2);
    else if (width === 4) b.writeInt32LE(Number(m), 8 + i * 4);
    else b.writeBigInt64LE(m, 8 + i * 8);
  });
  return b;
}

function saveSet(out: Sink, v: SetValue, compress: boolean): number {
  const members = v.members();
  if (v.mem.enc === ENC_INTSET) {
    const ints = members.map((m) => string2ll(bytesOf(m))!);
    saveRawString(out, intsetBlob(ints, v.mem.intsetWidth), compress);
    return RDB_TYPE_SET_INTSET;
  }
  saveLen(out, members.length);
  for (const m of members) saveRawString(out, bytesOf(m), compress);
  return RDB_TYPE_SET;
}

function saveZset(out: Sink, v: ZsetValue, compress: boolean): number {
  const order = v.order;
  const scores = v.orderScores;
  if (v.encoding === 'listpack') {
    const lp = new ListpackBuilder();
    for (let i = 0; i < order.length; i++) {
      lp.append(bytesOf(order[i]!));
      lp.append(Buffer.from(d2string(scores[i]!), 'latin1'));
    }
    saveRawString(out, lp.finish(), compress);
    return RDB_TYPE_ZSET_LISTPACK;
  }
  // RDB_TYPE_ZSET_2: from the skiplist's tail to its head
  saveLen(out, order.length);
  for (let i = order.length - 1; i >= 0; i--) {
    saveRawString(out, bytesOf(order[i]!), compress);
    saveBinaryDouble(out, scores[i]!);
  }
  return RDB_TYPE_ZSET_2;
}

function saveHash(out: Sink, v: HashValue, compress: boolean): number {
  if (v.encoding === 'listpack') {
    const lp = new ListpackBuilder();
    for (const [f, val] of v.map) {
      lp.append(bytesOf(f));
      lp.append(val);
    }
    saveRawString(out, lp.finish(), compress);
    return RDB_TYPE_HASH_LISTPACK;
  }
  saveLen(out, v.map.size);
  for (const [f, val] of v.map) {
    saveRawString(out, bytesOf(f), compress);
    saveRawString(out, val, compress);
  }
  return RDB_TYPE_HASH;
}

function rawId(ms: bigint, seq: bigint): Buffer {
  const b = Buffer.alloc(16);
  b.writeBigUInt64BE(BigInt.asUintN(64, ms), 0);
  b.writeBigUInt64BE(BigInt.asUintN(64, seq), 8);
  return b;
}

/** Bytes one listpack integer entry takes (encoding + backlen). */
function lpIntEntrySize(v: number): number {
  const lp = new ListpackBuilder();
  lp.appendInteger(v);
  return lp.bytes - 7;
}

/**
 * The stream's nodes as XADD would have built them from its live entries (streamAppendItem's
 * node split by stream-node-max-bytes / -entries); deleted entries are not kept.
 */
function streamNodes(v: StreamValue, env: Env): { key: Buffer; lp: Buffer }[] {
  const maxBytesCfg = env.cfg['stream-node-max-bytes'];
  const maxEntries = env.cfg['stream-node-max-entries'];
  const nodeMaxBytes = maxBytesCfg === 0 || maxBytesCfg > STREAM_LISTPACK_MAX_SIZE ? STREAM_LISTPACK_MAX_SIZE : maxBytesCfg;
  const nodes: { key: Buffer; lp: Buffer }[] = [];
  let open = false;
  let masterMs = 0n;
  let masterSeq = 0n;
  let masterFields: Buffer[] = [];
  let count = 0;
  // lpBytes of the open node = 7 (header, terminator) + the count entry + restBytes
  let restBytes = 0;
  let key: Buffer = Buffer.alloc(16);
  let items: StreamItem[] = [];
  const flush = () => {
    if (!open) return;
    nodes.push({ key, lp: assembleStreamNode(count, masterFields, items) });
    open = false;
  };
  for (let i = 0; i < v.length; i++) {
    const e = v.entry(i)!;
    let totelelen = 0;
    for (const f of e.fields) totelelen += f.length;
    if (open) {
      const lpBytes = 7 + lpIntEntrySize(count) + restBytes;
      if (lpBytes + totelelen >= nodeMaxBytes || (maxEntries && count >= maxEntries)) flush();
    }
    const ms = BigInt(e.ms);
    const seq = BigInt(e.seq);
    let flags = 0;
    if (!open) {
      open = true;
      masterMs = ms;
      masterSeq = seq;
      key = rawId(ms, seq);
      masterFields = [];
      for (let k = 0; k < e.fields.length; k += 2) masterFields.push(e.fields[k]!);
      count = 0;
      items = [];
      restBytes = assembleStreamNode(0, masterFields, []).length - 7 - lpIntEntrySize(0);
      flags = STREAM_ITEM_FLAG_SAMEFIELDS;
    } else if (e.fields.length / 2 === masterFields.length) {
      let same = true;
      for (let k = 0; k < masterFields.length; k++) if (!masterFields[k]!.equals(e.fields[k * 2]!)) same = false;
      if (same) flags = STREAM_ITEM_FLAG_SAMEFIELDS;
    }
    count++;
    const item: StreamItem = { flags, ms: ms - masterMs, seq: seq - masterSeq, fields: e.fields };
    items.push(item);
    const one = new ListpackBuilder();
    appendStreamItem(one, item);
    restBytes += one.bytes - 7;
  }
  flush();
  return nodes;
}

interface StreamItem {
  flags: number;
  ms: bigint;
  seq: bigint;
  fields: Buffer[];
}

function appendStreamItem(lp: ListpackBuilder, it: StreamItem): void {
  const numfields = it.fields.length / 2;
  const same = (it.flags & STREAM_ITEM_FLAG_SAMEFIELDS) !== 0;
  lp.appendInteger(it.flags);
  lp.appendInteger(BigInt.asIntN(64, it.ms));
  lp.appendInteger(BigInt.asIntN(64, it.seq));
  if (!same) lp.appendInteger(numfields);
  for (let k = 0; k < numfields; k++) {
    if (!same) lp.append(it.fields[k * 2]!);
    lp.append(it.fields[k * 2 + 1]!);
  }
  lp.appendInteger(same ? numfields + 3 : 2 * numfields + 4);
}

function assembleStreamNode(count: number, masterFields: Buffer[], items: StreamItem[]): Buffer {
  const lp = new ListpackBuilder();
  lp.appendInteger(count);
  lp.appendInteger(0);
  lp.appendInteger(masterFields.length);
  for (const f of masterFields) lp.append(f);
  lp.appendInteger(0);
  for (const it of items) appendStreamItem(lp, it);
  return lp.finish();
}

function saveStream(out: Sink, v: StreamValue, env: Env, compress: boolean): void {
  const nodes = streamNodes(v, env);
  saveLen(out, nodes.length);
  for (const n of nodes) {
    saveRawString(out, n.key, compress);
    saveRawString(out, n.lp, compress);
  }
  saveLen(out, v.length);
  saveLen(out, BigInt(v.last.ms));
  saveLen(out, BigInt(v.last.seq));
  const first = v.length > 0 ? v.entry(0)! : { ms: 0, seq: 0 };
  saveLen(out, BigInt(first.ms));
  saveLen(out, BigInt(first.seq));
  saveLen(out, BigInt(v.maxDeleted.ms));
  saveLen(out, BigInt(v.maxDeleted.seq));
  saveLen(out, BigInt(v.entriesAdded));
  // rdbSaveObject: the cgroups rax, then per group its PEL and consumers, each in key order
  saveLen(out, v.groups.length);
  for (const g of v.groups) {
    saveRawString(out, g.name, compress);
    saveLen(out, BigInt(g.lastId.ms));
    saveLen(out, BigInt(g.lastId.seq));
    // entries_read: SCG_INVALID_ENTRIES_READ (-1) is written as a 64-bit length
    saveLen(out, BigInt(g.entriesRead));
    saveLen(out, g.pel.size);
    for (const p of g.pel.items) {
      out.bytes(rawId(BigInt(p.ms), BigInt(p.seq)));
      saveMillis(out, p.deliveryTime);
      saveLen(out, p.deliveryCount);
    }
    saveLen(out, g.consumers.length);
    for (const c of g.consumers) {
      saveRawString(out, c.name, compress);
      saveMillis(out, c.seenTime);
      saveLen(out, c.pel.size);
      for (const p of c.pel.items) out.bytes(rawId(BigInt(p.ms), BigInt(p.seq)));
    }
  }
}

/**
 * createDumpPayload: the DUMP reply for a live value. `env` is the modelled server (its
 * stream-node-* settings shape stream nodes).
 */
export function createDumpPayload(v: LiveValue, env: Env, opts: DumpOptions = {}): Buffer {
  const compress = opts.compression ?? true;
  const body = new Sink();
  let type: number;
  switch (v.type) {
    case 'string':
      type = RDB_TYPE_STRING;
      saveString(body, v, compress);
      break;
    case 'list':
      type = RDB_TYPE_LIST_QUICKLIST_2;
      saveList(body, v, compress);
      break;
    case 'set':
      type = saveSet(body, v, compress);
      break;
    case 'zset':
      type = saveZset(body, v, compress);
      break;
    case 'hash':
      type = saveHash(body, v, compress);
      break;
    case 'stream':
      type = RDB_TYPE_STREAM_LISTPACKS_2;
      saveStream(body, v, env, compress);
      break;
  }
  const out = new Sink();
  out.byte(type);
  out.bytes(body.result());
  out.byte(DUMP_RDB_VERSION & 0xff);
  out.byte((DUMP_RDB_VERSION >> 8) & 0xff);
  const crc = crc64(out.result());
  const tail = Buffer.alloc(8);
  tail.writeBigUInt64LE(crc);
  out.bytes(tail);
  return out.result();
}

// ------------------------------------------------------------------ RESTORE side

/** The error RESTORE replies with, without the leading '-'. */
export class DumpPayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DumpPayloadError';
  }
}

/**
 * verifyDumpPayload: the payload's RDB version, or null when it is shorter than 10 bytes,
 * newer than 10, or its CRC-64 does not match (unless `skipChecksum`, skip-checksum-validation).
 */
export function verifyDumpPayload(p: Uint8Array, skipChecksum = false): number | null {
  if (p.length < 10) return null;
  const footer = p.length - 10;
  const rdbver = (p[footer + 1]! << 8) | p[footer]!;
  if (rdbver > DUMP_RDB_VERSION) return null;
  if (skipChecksum) return rdbver;
  const crc = crc64(p.subarray(0, p.length - 8));
  const stored = Buffer.from(p.buffer, p.byteOffset + p.length - 8, 8).readBigUInt64LE(0);
  return crc === stored ? rdbver : null;
}

/**
 * Decode a payload (already verified) into a key record with its value, via the RDB parser:
 * the payload's type byte and value become one key record (empty key name) of a dump of the
 * payload's RDB version. Throws DumpPayloadError("ERR Bad data format") when it does not parse.
 * Bytes after the value are ignored, as rdbLoadObject ignores them.
 */
export function decodeDumpPayload(p: Uint8Array): KeyRecord {
  const rdbver = (p[p.length - 9]! << 8) | p[p.length - 10]!;
  const body = p.subarray(0, p.length - 10);
  if (body.length < 1) throw new DumpPayloadError(DUMP_ERR_BAD_FORMAT);
  // type byte, a zero-length key, the value
  const rec = Buffer.alloc(body.length + 1);
  rec[0] = body[0]!;
  rec[1] = 0;
  rec.set(body.subarray(1), 2);
  let found: KeyRecord | null = null;
  try {
    const parser = new RdbParser({
      values: true,
      file: 'DUMP payload',
      totalSize: rec.length,
      resume: { offset: 0, version: Math.max(rdbver, 1), valkey: false, db: 0 },
      onRecord: (r) => {
        if (r.kind === 'key') found = r;
      },
    });
    parser.write(rec);
    if (!parser.done) parser.end();
  } catch (err) {
    if (err instanceof RdbError) throw new DumpPayloadError(DUMP_ERR_BAD_FORMAT);
    throw err;
  }
  if (found === null) throw new DumpPayloadError(DUMP_ERR_BAD_FORMAT);
  return found;
}

/**
 * RESTORE's value: verify (DumpPayloadError "ERR DUMP payload version or checksum are wrong"),
 * decode ("ERR Bad data format"), and build the live container with the encoding rdbLoadObject
 * gives it under the modelled config. Module values (null container) are refused as bad data.
 */
export function restoreValue(p: Uint8Array, env: Env, skipChecksum = false): { value: LiveValue; encoding: string; record: KeyRecord } {
  if (verifyDumpPayload(p, skipChecksum) === null) throw new DumpPayloadError(DUMP_ERR_BAD_PAYLOAD);
  const record = decodeDumpPayload(p);
  const shape = loadShape(record, env.f, env.cfg, new Shape());
  const value = valueFromRecord(record, shape.encoding, env);
  if (value === null) throw new DumpPayloadError(DUMP_ERR_BAD_FORMAT);
  return { value, encoding: shape.encoding, record };
}
