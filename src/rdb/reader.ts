/**
 * The parser's window over its input and the primitive reads on it (rdbLoadLen,
 * rdbGenericLoadStringObject, ...). All reads are synchronous over buf[pos, lim); a read that runs
 * past the window throws NEED_MORE, which the parser turns into "rewind to the last checkpoint
 * and wait for the next chunk".
 */
import { RDB_ENC_INT8, RDB_ENC_INT16, RDB_ENC_INT32, RDB_ENC_LZF } from './constants.js';
import type { RdbError, RdbErrorCode } from './errors.js';
import { Crc64 } from './crc64.js';
import { LzfCheck, lzfDecompress } from './lzf.js';
import { classifyIntegerText, decimalLength, intClassOf } from './facts.js';
import { decimalBuffer } from './encoded.js';

/** Thrown when the window runs out; caught by the parser's loop, never escapes it. */
export const NEED_MORE: unique symbol = Symbol('need more input');

/** Strings at least this long whose bytes are not needed are skipped as they stream by. */
const SKIP_MIN = 1 << 16;

/**
 * How a dump stored a string (rdbGenericLoadStringObject): plain, as an RDB_ENC_INT* integer or
 * LZF-compressed. Not the object encoding a server gives it after loading (STR_INT, STR_EMBSTR,
 * STR_RAW in src/memory/live/string.ts).
 */
export const RDB_STR_RAW = 0;
export const RDB_STR_INT = 1;
export const RDB_STR_LZF = 2;

/** A tail up to BRIDGE_MAX bytes is bridged to the next chunk's first BRIDGE_HEAD bytes. */
const BRIDGE_MAX = 1 << 14;
const BRIDGE_HEAD = 1 << 15;

/** See checkFits: how far past the end of the input a length may point before it is a lie. */
const IMPLAUSIBLE_SLACK = 1 << 20;

export const EMPTY = Buffer.alloc(0);

export abstract class RdbReader {
  protected readonly file: string | undefined;
  protected readonly totalSize: number;
  protected readonly verify: boolean;

  // the window
  buf: Buffer = EMPTY;
  pos = 0;
  protected lim = 0;
  /** absolute offset of buf[0] */
  protected base = 0;
  protected scratch: Buffer = EMPTY;
  /** a chunk whose head was copied into the window behind a small tail (see bridge) */
  protected pending: Buffer | null = null;
  /** window offset where the chunk's bytes begin while bridging */
  protected bridgeLeft = 0;
  protected ended = false;
  /** bytes still to skip of a string whose content is not needed */
  protected skip = 0;
  /** absolute offset the current retry needs to reach before it can succeed */
  protected wantAbs = 0;

  protected readonly crc = new Crc64();
  protected crcPos = 0;

  // string header read by readStringHeader
  sKind = 0;
  sLen = 0;
  sClen = 0;
  protected sInt = 0;
  /** absolute offset of the string's length field */
  sAt = 0;

  constructor(file: string | undefined, totalSize: number, verify: boolean) {
    this.file = file;
    this.totalSize = totalSize;
    this.verify = verify;
  }

  /** Absolute offset of the next unread byte. */
  get offset(): number {
    return this.base + this.pos;
  }

  /** An RdbError with the context of what is being read. */
  abstract fail(code: RdbErrorCode, reason: string, at: number): RdbError;

  /** Check the lengths of the LZF strings that are skipped (rdbLoadLzfStringObject's check). */
  protected checkLzf = false;
  protected readonly lzf = new LzfCheck();
  /** a skipped LZF string is being checked as it streams by (see skipPayload) */
  protected lzfSkipping = false;
  /** An LZF string skipped whole (or, lzfSkipping, the one just finished) does not decode to its claimed length. */
  protected lzfDamaged(_at: number): void {}

  // ---------------------------------------------------------------- window management

  protected append(chunk: Buffer): void {
    const left = this.lim - this.pos;
    this.updateCrc();
    if (left === 0) {
      // everything consumed: read straight from the new chunk
      this.base += this.lim;
      this.buf = chunk;
      this.pos = 0;
      this.lim = chunk.length;
      this.crcPos = 0;
      return;
    }
    const need = left + chunk.length;
    if (this.buf === this.scratch && this.scratch.length >= need) {
      if (this.pos > 0) this.scratch.copyWithin(0, this.pos, this.lim);
    } else {
      let cap = Math.max(this.scratch.length, 1 << 16);
      while (cap < need) cap *= 2;
      const next = cap === this.scratch.length && this.buf !== this.scratch ? this.scratch : Buffer.allocUnsafe(cap);
      this.buf.copy(next, 0, this.pos, this.lim);
      this.scratch = next;
    }
    chunk.copy(this.scratch, left);
    this.base += this.pos;
    this.buf = this.scratch;
    this.pos = 0;
    this.lim = need;
    this.crcPos = 0;
  }

  /** Take in the next chunk: bridged behind a small unconsumed tail, else appended. */
  protected feed(chunk: Buffer): void {
    const left = this.lim - this.pos;
    if (left > 0 && left <= BRIDGE_MAX && chunk.length >= 4 * BRIDGE_HEAD) this.bridge(chunk, left);
    else this.append(chunk);
  }

  /**
   * Join a small unconsumed tail to a big chunk without copying the whole chunk: the window
   * becomes tail + the chunk's head; once parsing has moved past the tail, it continues straight
   * in the chunk (leaveBridge). A unit longer than the head merges the rest (mergePending).
   */
  protected bridge(chunk: Buffer, left: number): void {
    this.append(chunk.subarray(0, BRIDGE_HEAD));
    this.pending = chunk;
    this.bridgeLeft = left;
  }

  protected leaveBridge(): void {
    this.updateCrc();
    const chunk = this.pending!;
    this.pending = null;
    const inChunk = this.pos - this.bridgeLeft;
    this.base += this.bridgeLeft;
    this.buf = chunk;
    this.pos = inChunk;
    this.lim = chunk.length;
    this.crcPos = inChunk;
  }

  protected mergePending(): void {
    const chunk = this.pending!;
    this.pending = null;
    this.append(chunk.subarray(BRIDGE_HEAD));
  }

  protected updateCrc(): void {
    if (this.verify && this.pos > this.crcPos) this.crc.update(this.buf, this.crcPos, this.pos);
    this.crcPos = this.pos;
  }

  // ---------------------------------------------------------------- primitive reads

  // The reads from here on are public for the parser's unit readers (src/rdb/elements.ts,
  // blob.ts, quicklist.ts, stream.ts, module.ts), which run on the parser.

  need(n: number): void {
    if (this.pos + n > this.lim) {
      this.wantAbs = this.base + this.pos + n;
      throw NEED_MORE;
    }
  }

  u8(): number {
    if (this.pos >= this.lim) {
      this.wantAbs = this.base + this.pos + 1;
      throw NEED_MORE;
    }
    return this.buf[this.pos++]!;
  }

  /** Last length read by readLen was an encoded-string marker (rdbLoadLen's isencoded). */
  protected lenEncoded = false;

  /** rdbLoadLen: a length, or with lenEncoded set, a special string encoding. */
  protected readLen(): number {
    const b = this.u8();
    const t = b >> 6;
    this.lenEncoded = false;
    if (t === 0) return b & 0x3f;
    if (t === 1) return ((b & 0x3f) << 8) | this.u8();
    if (t === 3) {
      this.lenEncoded = true;
      return b & 0x3f;
    }
    if (b === 0x80) {
      this.need(4);
      const v = this.buf.readUInt32BE(this.pos);
      this.pos += 4;
      return v;
    }
    if (b === 0x81) {
      this.need(8);
      const hi = this.buf.readUInt32BE(this.pos);
      const lo = this.buf.readUInt32BE(this.pos + 4);
      this.pos += 8;
      return hi * 0x100000000 + lo; // beyond 2^53 only for absurd lengths, which fail the checks
    }
    throw this.fail('corrupt_value', `unknown length encoding 0x${b.toString(16)}`, this.offset - 1);
  }

  /** A plain length (not a string encoding marker). */
  readCount(): number {
    const at = this.offset;
    const n = this.readLen();
    if (this.lenEncoded) throw this.fail('corrupt_value', 'expected a length, found a string encoding marker', at);
    return n;
  }

  /** A 64-bit length as bigint (stream IDs, module ids). */
  readLenBig(): bigint {
    const b = this.u8();
    if (b === 0x81) {
      this.need(8);
      const v = this.buf.readBigUInt64BE(this.pos);
      this.pos += 8;
      return v;
    }
    this.pos--;
    return BigInt(this.readCount());
  }

  /** A count of items that each take at least `minBytes` of input: checked against what remains. */
  readCountOf(minBytes: number, what: string): number {
    const at = this.offset;
    const n = this.readCount();
    if (this.totalSize >= 0 && n * minBytes > this.totalSize - this.offset) {
      // build the message only when failing: this runs for every collection
      this.checkFits(n * minBytes, at, `the value claims ${n} ${what}`);
    }
    return n;
  }

  /**
   * Refuse a length that cannot be true: more than what remains of the input (when its size is
   * known), by a margin that a merely truncated input does not show. A shortfall within the
   * margin is left to run into the end of the input and is reported there as unexpected_eof.
   * Nothing is ever allocated from a length before its bytes have arrived, so this check is
   * about a clear report, not about safety.
   */
  protected checkFits(bytes: number, at: number, what: string): void {
    if (this.totalSize >= 0) {
      const left = this.totalSize - this.offset;
      if (bytes > left * 2 + IMPLAUSIBLE_SLACK) {
        throw this.fail('length_exceeds_input', `${what} but only ${left} bytes remain in the input (corrupt length or truncated input)`, at);
      }
    }
  }

  /** rdbLoadMillisecondTime: a little-endian int64 (Numbers are exact up to year 287396). */
  msTime(): number {
    this.need(8);
    const lo = this.buf.readUInt32LE(this.pos);
    const hi = this.buf.readInt32LE(this.pos + 4);
    this.pos += 8;
    return hi * 0x100000000 + lo;
  }

  /**
   * Read a string's header (rdbGenericLoadStringObject) without its payload: sets sKind, sLen
   * (logical length), sClen (compressed length) and sInt; the payload starts at pos.
   */
  readStringHeader(): void {
    const p = this.pos;
    this.sAt = this.base + p;
    // fast path: 6- and 14-bit lengths (nearly every string), too short to need a fit check
    if (p + 1 < this.lim) {
      const b = this.buf[p]!;
      if (b < 0x80) {
        const n = b < 0x40 ? b : ((b & 0x3f) << 8) | this.buf[p + 1]!;
        this.pos = b < 0x40 ? p + 1 : p + 2;
        this.sKind = RDB_STR_RAW;
        this.sLen = n;
        this.sClen = n;
        return;
      }
    }
    const n = this.readLen();
    if (this.lenEncoded) {
      switch (n) {
        case RDB_ENC_INT8:
          this.need(1);
          this.sInt = this.buf.readInt8(this.pos);
          this.pos += 1;
          break;
        case RDB_ENC_INT16:
          this.need(2);
          this.sInt = this.buf.readInt16LE(this.pos);
          this.pos += 2;
          break;
        case RDB_ENC_INT32:
          this.need(4);
          this.sInt = this.buf.readInt32LE(this.pos);
          this.pos += 4;
          break;
        case RDB_ENC_LZF: {
          const clenAt = this.offset;
          const clen = this.readCount();
          const ulen = this.readCount();
          this.checkFits(clen, clenAt, `LZF string claims ${clen} compressed bytes`);
          // LZF expands at most ~88x: a larger claim is a lie, refuse it before allocating
          if (ulen > clen * 100 + 64) {
            throw this.fail('corrupt_value', `LZF string claims ${ulen} bytes from ${clen} compressed`, clenAt);
          }
          this.sKind = RDB_STR_LZF;
          this.sClen = clen;
          this.sLen = ulen;
          return;
        }
        default:
          throw this.fail('corrupt_value', `unknown string encoding ${n}`, this.sAt);
      }
      this.sKind = RDB_STR_INT;
      this.sLen = decimalLength(this.sInt);
      return;
    }
    this.checkFits(n, this.sAt, `string claims ${n} bytes`);
    this.sKind = RDB_STR_RAW;
    this.sLen = n;
    this.sClen = n;
  }

  /** Bytes of the string payload in the dump. */
  protected storedLen(): number {
    return this.sKind === RDB_STR_INT ? 0 : this.sClen;
  }

  /** Consume the payload and return the string as a new Buffer. */
  takeString(): Buffer {
    if (this.sKind === RDB_STR_INT) return decimalBuffer(this.sInt);
    this.need(this.sClen);
    const start = this.pos;
    this.pos += this.sClen;
    if (this.sKind === RDB_STR_RAW) {
      const n = this.sLen;
      const out = Buffer.allocUnsafe(n);
      if (n <= 64) {
        // short strings (most keys): a plain loop beats Buffer#copy's fixed cost
        const b = this.buf;
        for (let i = 0; i < n; i++) out[i] = b[start + i]!;
      } else this.buf.copy(out, 0, start, this.pos);
      return out;
    }
    const out = Buffer.allocUnsafe(this.sLen);
    const n = lzfDecompress(this.buf, start, this.pos, out);
    if (n !== this.sLen) {
      throw this.fail('corrupt_value', `LZF data does not decompress to the ${this.sLen} bytes it claims`, this.sAt);
    }
    return out;
  }

  /** Where viewString left the string's bytes: vBuf[vStart, vEnd). */
  vBuf: Buffer = EMPTY;
  vStart = 0;
  vEnd = 0;
  protected lzfScratch: Buffer = EMPTY;

  /**
   * Consume the payload of the string whose header was just read and make its bytes available
   * without copying them: in the window for raw strings, in a reused buffer for LZF ones. Valid
   * until the next read.
   */
  viewString(): void {
    if (this.sKind === RDB_STR_INT) {
      this.vBuf = decimalBuffer(this.sInt);
      this.vStart = 0;
      this.vEnd = this.vBuf.length;
      return;
    }
    this.need(this.sClen);
    const start = this.pos;
    this.pos += this.sClen;
    if (this.sKind === RDB_STR_RAW) {
      this.vBuf = this.buf;
      this.vStart = start;
      this.vEnd = this.pos;
      return;
    }
    if (this.lzfScratch.length < this.sLen) this.lzfScratch = Buffer.allocUnsafe(Math.max(this.sLen, this.lzfScratch.length * 2, 4096));
    const n = lzfDecompress(this.buf, start, this.pos, this.lzfScratch);
    if (n !== this.sLen) {
      throw this.fail('corrupt_value', `LZF data does not decompress to the ${this.sLen} bytes it claims`, this.sAt);
    }
    this.vBuf = this.lzfScratch;
    this.vStart = 0;
    this.vEnd = n;
  }

  /** Read a whole string (header and payload). */
  readString(): Buffer {
    this.readStringHeader();
    return this.takeString();
  }

  /**
   * Consume a string whose bytes are only measured. Small ones are read and classified; big
   * ones are skipped, streaming. Returns its INT_CLASS (0 for non-integers).
   */
  measureString(): number {
    if (this.sKind === RDB_STR_INT) return intClassOf(this.sInt); // RDB integers are canonical
    if (this.sLen <= 20) {
      // could be integer text: look at the bytes
      if (this.sKind === RDB_STR_RAW) {
        this.need(this.sClen);
        const cls = classifyIntegerText(this.buf, this.pos, this.sLen);
        this.pos += this.sClen;
        return cls;
      }
      const b = this.takeString();
      return classifyIntegerText(b, 0, b.length);
    }
    this.skipPayload();
    return 0;
  }

  /** Skip the payload of the string whose header was just read. */
  skipPayload(): void {
    const n = this.storedLen();
    const avail = this.lim - this.pos;
    const lzf = this.checkLzf && this.sKind === RDB_STR_LZF;
    if (n <= avail) {
      if (lzf) {
        this.lzf.reset(this.sLen);
        this.lzf.feed(this.buf, this.pos, this.pos + n);
        if (!this.lzf.ok()) this.lzfDamaged(this.sAt);
      }
      this.pos += n;
      return;
    }
    if (n < SKIP_MIN) this.need(n); // small: wait for it whole, keeps retries simple
    // big: take what is here and skip the rest as it arrives (the unit commits now)
    if (lzf) {
      this.lzf.reset(this.sLen);
      this.lzf.feed(this.buf, this.pos, this.lim);
      this.lzfSkipping = true;
    }
    this.pos = this.lim;
    this.skip = n - avail;
  }

}
