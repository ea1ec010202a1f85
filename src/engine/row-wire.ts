/**
 * Analysed keys as bytes, for keyspaces filled on another thread than the one parsing: a worker
 * reading a part of a dump (two threads on one dump, cli/split-load.ts) encodes its key rows and
 * the RESIZEDB hints before them into transferable batches; the thread holding the keyspaces
 * decodes them into a KeyspaceFill. A batch is a run of records, little-endian:
 *
 *   key       u8 0, u8 type (VALUE_TYPES index), u8 encoding code, u32 db, u32 key length,
 *             7 numbers (MEMORY USAGE, length, longest element, expire time, idle, freq,
 *             record offset), the key's bytes
 *   hint      u8 1, u32 db, 2 numbers (RESIZEDB's db_size and expires_size)
 *   encoding  u8 2, u8 code, u8 length, the name (latin1): before the first key that uses it
 *
 * A number (all are >= -1) is a u32 of value + 1 when that fits, else 0xffffffff and an f64.
 * Codes are per stream: one encoder per part, one decoder per part.
 */
import type { KeyRow } from '../memory/sizer.js';
import { VALUE_TYPES, type KeyInfo } from './keyspace.js';

const KEY = 0;
const HINT = 1;
const ENCODING = 2;
const ESCAPE = 0xffffffff;
/** a key record's bytes besides the key, at most: 11 of header and 7 numbers of 12 */
const KEY_HEAD_MAX = 11 + 7 * 12;
/** an encoding record at most: 3 and a name of up to 255 */
const ENCODING_MAX = 3 + 255;
const TYPE_CODE = new Map(VALUE_TYPES.map((t, i) => [t, i]));

function putU32(buf: Buffer, off: number, v: number): number {
  buf[off] = v;
  buf[off + 1] = v >>> 8;
  buf[off + 2] = v >>> 16;
  buf[off + 3] = v >>> 24;
  return off + 4;
}

function putNumber(buf: Buffer, off: number, v: number): number {
  const e = v + 1;
  if (e >= 0 && e < ESCAPE && Number.isInteger(e)) return putU32(buf, off, e);
  putU32(buf, off, ESCAPE);
  buf.writeDoubleLE(v, off + 4);
  return off + 12;
}

function getU32(buf: Buffer, off: number): number {
  return (buf[off]! | (buf[off + 1]! << 8) | (buf[off + 2]! << 16)) + buf[off + 3]! * 0x1000000;
}

/** Key rows and hints of one stream as records (see the file's comment). */
export class KeyRowEncoder {
  private readonly codes = new Map<string, number>();
  /** the last row's encoding and type, and their codes (runs of keys share them) */
  private lastEncoding = '';
  private lastCode = -1;
  private lastType = '';
  private lastTypeCode = 0;

  /** Write `row` at `off`; returns the end, or -2 when `buf` has no room for it from `off`. */
  encode(row: KeyRow, buf: Buffer, off: number): number {
    const key = row.key;
    let code = row.encoding === this.lastEncoding ? this.lastCode : this.codes.get(row.encoding);
    if (off + KEY_HEAD_MAX + key.length + (code === undefined ? ENCODING_MAX : 0) > buf.length) return -2;
    if (code === undefined) {
      code = this.codes.size;
      if (code > 255) throw new Error(`more than 256 encodings in one dump part (${row.encoding})`);
      this.codes.set(row.encoding, code);
      const name = Buffer.from(row.encoding, 'latin1').subarray(0, 255);
      buf[off] = ENCODING;
      buf[off + 1] = code;
      buf[off + 2] = name.length;
      name.copy(buf, off + 3);
      off += 3 + name.length;
    }
    this.lastEncoding = row.encoding;
    this.lastCode = code;
    if (row.type !== this.lastType) {
      this.lastType = row.type;
      this.lastTypeCode = TYPE_CODE.get(row.type) ?? 0;
    }
    buf[off] = KEY;
    buf[off + 1] = this.lastTypeCode;
    buf[off + 2] = code;
    off = putU32(buf, off + 3, row.db);
    off = putU32(buf, off, key.length);
    off = putNumber(buf, off, row.bytes);
    off = putNumber(buf, off, row.length);
    off = putNumber(buf, off, row.maxElementLength);
    off = putNumber(buf, off, row.expireAt);
    off = putNumber(buf, off, row.idle);
    off = putNumber(buf, off, row.freq);
    off = putNumber(buf, off, row.offset);
    const n = key.length;
    // short keys (most): a plain loop beats Buffer#copy's fixed cost
    if (n <= 32) for (let i = 0; i < n; i++) buf[off + i] = key[i]!;
    else key.copy(buf, off);
    return off + n;
  }

  /** The bytes a row takes at most (a batch of its own for a key longer than a batch). */
  static maxBytes(row: KeyRow): number {
    return KEY_HEAD_MAX + ENCODING_MAX + row.key.length;
  }

  /** A RESIZEDB hint for `db`, before its keys; -2 when there is no room. */
  hint(db: number, dbSize: number, expiresSize: number, buf: Buffer, off: number): number {
    if (off + 5 + 24 > buf.length) return -2;
    buf[off] = HINT;
    off = putU32(buf, off + 1, db);
    off = putNumber(buf, off, dbSize);
    return putNumber(buf, off, expiresSize);
  }
}

/** Where decoded records go. */
export interface KeyRowSink {
  /** a key of `db`, named by `len` bytes of `src` at `off` (valid during the call) */
  key(db: number, info: Omit<KeyInfo, 'key'>, src: Buffer, off: number, len: number): void;
  hint(db: number, dbSize: number, expiresSize: number): void;
}

/** Records of one stream back: one decoder per encoder. */
export class KeyRowDecoder {
  private readonly encodings: string[] = [];
  private readonly info: Omit<KeyInfo, 'key'> = { type: 'string', encoding: '', memory: 0, length: 0, maxElementLength: 0, expireAt: -1, idle: -1, freq: -1, offset: 0, file: 0 };
  private off = 0;

  constructor(readonly file: number) {
    this.info.file = file;
  }

  private number(buf: Buffer): number {
    const e = getU32(buf, this.off);
    if (e !== ESCAPE) {
      this.off += 4;
      return e - 1;
    }
    const v = buf.readDoubleLE(this.off + 4);
    this.off += 12;
    return v;
  }

  /**
   * The records of one batch from byte `start`, in order, `maxRecords` at most; returns where it
   * stopped (buf.length: the batch is done). A batch is whole records (the encoder's).
   */
  decode(buf: Buffer, sink: KeyRowSink, start = 0, maxRecords = Infinity): number {
    const info = this.info;
    this.off = start;
    for (let n = 0; this.off < buf.length && n < maxRecords; n++) {
      const kind = buf[this.off]!;
      if (kind === KEY) {
        const type = VALUE_TYPES[buf[this.off + 1]!]!;
        const encoding = this.encodings[buf[this.off + 2]!];
        if (encoding === undefined) throw new Error(`key row at ${this.off}: encoding code ${buf[this.off + 2]} was never defined`);
        const db = getU32(buf, this.off + 3);
        const len = getU32(buf, this.off + 7);
        this.off += 11;
        info.type = type;
        info.encoding = encoding;
        info.memory = this.number(buf);
        info.length = this.number(buf);
        info.maxElementLength = this.number(buf);
        info.expireAt = this.number(buf);
        info.idle = this.number(buf);
        info.freq = this.number(buf);
        info.offset = this.number(buf);
        sink.key(db, info, buf, this.off, len);
        this.off += len;
      } else if (kind === HINT) {
        const db = getU32(buf, this.off + 1);
        this.off += 5;
        const size = this.number(buf);
        sink.hint(db, size, this.number(buf));
      } else if (kind === ENCODING) {
        const len = buf[this.off + 2]!;
        this.encodings[buf[this.off + 1]!] = buf.toString('latin1', this.off + 3, this.off + 3 + len);
        this.off += 3 + len;
      } else throw new Error(`key rows: unknown record kind ${kind} at byte ${this.off}`);
    }
    return this.off;
  }
}
