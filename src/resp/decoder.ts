/**
 * Request decoder: the client side of RESP as a server reads it (networking.c
 * processMultibulkBuffer / processInlineBuffer, 7.0). Multibulk (`*2\r\n$3\r\nGET\r\n$1\r\nk\r\n`)
 * and inline (`GET k\r\n`) requests, split anywhere across chunks.
 *
 * One growable buffer with a read offset, compacted when a chunk arrives (node-postgres's
 * pg-protocol parser does the same). When nothing is buffered, commands are parsed straight
 * from the chunk: the returned arguments are views into it, valid until the next `push`, so a
 * caller that keeps one must copy it. Every length is checked against Redis's limits before
 * anything is allocated for it.
 */
import { RespProtocolError } from './errors.js';

/** PROTO_INLINE_MAX_SIZE (server.h): longest inline request or length line */
export const PROTO_INLINE_MAX_SIZE = 64 * 1024;
/** proto-max-bulk-len default (512 MB) */
export const PROTO_MAX_BULK_LEN = 512 * 1024 * 1024;
/** most arguments in one multibulk request (Redis up to 6.2; 7.0 allows INT_MAX) */
export const PROTO_MAX_MULTIBULK_LEN = 1024 * 1024;
/** client-query-buffer-limit default (1 GB) */
export const CLIENT_QUERY_BUFFER_LIMIT = 1024 * 1024 * 1024;
/** limits before AUTH when a password is set (networking.c, 7.0) */
const UNAUTH_MULTIBULK_MAX = 10;
const UNAUTH_BULK_MAX = 16384;

const CR = 0x0d;
const LF = 0x0a;
const STAR = 0x2a;
const DOLLAR = 0x24;

export interface DecoderLimits {
  maxBulkLen: number;
  maxMultibulkLen: number;
  queryBufferLimit: number;
}

export const DEFAULT_LIMITS: DecoderLimits = {
  maxBulkLen: PROTO_MAX_BULK_LEN,
  maxMultibulkLen: PROTO_MAX_MULTIBULK_LEN,
  queryBufferLimit: CLIENT_QUERY_BUFFER_LIMIT,
};

/** Thrown by `push` when the client's query buffer passes client-query-buffer-limit. */
export class QueryBufferLimitError extends Error {
  override readonly name = 'QueryBufferLimitError';
}

/** What `next` returns when the buffer holds no complete request. */
export const NEED_MORE = null;

export class RequestDecoder {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  private end = 0;
  /** true while `buf` is the caller's chunk (not ours to compact or grow) */
  private borrowed = false;
  /** multibulk in progress: arguments left to read (0: none), the argument vector so far */
  private multibulkLeft = 0;
  private bulkLen = -1;
  private argv: Buffer[] = [];
  /** bytes held by the arguments read so far of the request in progress */
  private argvBytes = 0;
  /** set by the server: before AUTH the lengths are capped harder */
  authRequired = false;

  constructor(readonly limits: DecoderLimits = DEFAULT_LIMITS) {}

  /** Bytes received and not yet consumed (the query buffer, qbuf in CLIENT LIST). */
  get buffered(): number {
    return this.end - this.pos;
  }

  /** Add a chunk. Throws QueryBufferLimitError when the request in progress grows too big. */
  push(chunk: Buffer): void {
    if (this.end === this.pos && this.argvBytes === 0 && this.multibulkLeft === 0) {
      // nothing pending: read straight from the chunk
      this.buf = chunk;
      this.pos = 0;
      this.end = chunk.length;
      this.borrowed = true;
      return;
    }
    const pending = this.end - this.pos;
    if (pending + chunk.length + this.argvBytes > this.limits.queryBufferLimit) {
      throw new QueryBufferLimitError('max query buffer length');
    }
    if (this.borrowed || this.pos + pending + chunk.length > this.buf.length) {
      // own the pending bytes, compacted, with room for the chunk and then some
      const need = pending + chunk.length;
      let size = Math.max(need, 16 * 1024);
      // a bulk being waited for: make room for all of it now (its length was checked)
      if (this.bulkLen >= 0) size = Math.max(size, pending + Math.min(this.bulkLen + 2, this.limits.maxBulkLen + 2));
      if (!this.borrowed && this.argv.length === 0 && size <= this.buf.length) {
        this.buf.copy(this.buf, 0, this.pos, this.end);
      } else {
        if (!this.borrowed && size > this.buf.length) size = Math.max(size, Math.min(this.buf.length * 2, need + (64 << 20)));
        const nb = Buffer.allocUnsafe(size);
        this.buf.copy(nb, 0, this.pos, this.end);
        // arguments already read are views into the old buffer: they stay valid there
        this.buf = nb;
      }
      this.pos = 0;
      this.end = pending;
      this.borrowed = false;
    }
    chunk.copy(this.buf, this.end);
    this.end += chunk.length;
  }

  /**
   * The next complete request's arguments (possibly empty: `*0`, a blank line), or null when
   * more bytes are needed. Throws RespProtocolError on malformed input.
   */
  next(): Buffer[] | null {
    if (this.multibulkLeft === 0) {
      if (this.pos >= this.end) return this.release();
      if (this.buf[this.pos] !== STAR) return this.inline();
      // multibulk count line
      const nl = this.findCR(this.pos);
      if (nl < 0) {
        if (this.end - this.pos > PROTO_INLINE_MAX_SIZE) {
          throw new RespProtocolError('too big mbulk count string', 'too big mbulk count string');
        }
        return this.release();
      }
      if (nl > this.end - 2) return this.release();
      const ll = parseLongLong(this.buf, this.pos + 1, nl);
      if (ll === null || ll > this.limits.maxMultibulkLen) {
        throw new RespProtocolError('invalid multibulk length', 'invalid mbulk count');
      }
      if (ll > UNAUTH_MULTIBULK_MAX && this.authRequired) {
        throw new RespProtocolError('unauthenticated multibulk length', 'unauth mbulk count');
      }
      this.pos = nl + 2;
      if (ll <= 0) return [];
      this.multibulkLeft = ll;
      this.argv = [];
      this.argvBytes = 0;
    }
    while (this.multibulkLeft > 0) {
      if (this.bulkLen < 0) {
        const nl = this.findCR(this.pos);
        if (nl < 0) {
          if (this.end - this.pos > PROTO_INLINE_MAX_SIZE) {
            throw new RespProtocolError('too big bulk count string', 'too big bulk count string');
          }
          return this.release();
        }
        if (nl > this.end - 2) return this.release();
        const c = this.buf[this.pos]!;
        if (c !== DOLLAR) {
          throw new RespProtocolError(`expected '$', got '${String.fromCharCode(c)}'`, 'expected $ but got something else');
        }
        const ll = parseLongLong(this.buf, this.pos + 1, nl);
        if (ll === null || ll < 0 || ll > this.limits.maxBulkLen) {
          throw new RespProtocolError('invalid bulk length', 'invalid bulk length');
        }
        if (ll > UNAUTH_BULK_MAX && this.authRequired) {
          throw new RespProtocolError('unauthenticated bulk length', 'unauth bulk length');
        }
        this.pos = nl + 2;
        this.bulkLen = ll;
        if (this.argvBytes + ll > this.limits.queryBufferLimit) throw new QueryBufferLimitError('max query buffer length');
      }
      // the bulk and its CRLF (Redis skips the two bytes without looking at them)
      if (this.end - this.pos < this.bulkLen + 2) return this.release();
      const arg = this.buf.subarray(this.pos, this.pos + this.bulkLen);
      this.argv.push(arg);
      this.argvBytes += this.bulkLen;
      this.pos += this.bulkLen + 2;
      this.bulkLen = -1;
      this.multibulkLeft--;
    }
    const argv = this.argv;
    this.argv = [];
    this.argvBytes = 0;
    return argv;
  }

  /** Nothing complete: keep only what is pending (a borrowed chunk's tail is copied out). */
  private release(): null {
    if (this.borrowed) {
      const pending = this.end - this.pos;
      if (pending === 0 && this.argv.length === 0) {
        this.buf = Buffer.alloc(0);
        this.pos = this.end = 0;
        this.borrowed = false;
        return null;
      }
      // arguments already read point into the chunk: copy them with the tail
      if (this.argv.length > 0) this.argv = this.argv.map((a) => Buffer.from(a));
      const size = Math.max(pending, 16 * 1024, this.bulkLen >= 0 ? Math.min(this.bulkLen + 2, this.limits.maxBulkLen + 2) : 0);
      const nb = Buffer.allocUnsafe(size);
      this.buf.copy(nb, 0, this.pos, this.end);
      this.buf = nb;
      this.pos = 0;
      this.end = pending;
      this.borrowed = false;
    } else if (this.pos === this.end && this.argv.length === 0) {
      this.pos = this.end = 0;
      if (this.buf.length > 1 << 20 && this.argv.length === 0) this.buf = Buffer.alloc(0);
    }
    return null;
  }

  private findCR(from: number): number {
    const i = this.buf.indexOf(CR, from);
    return i < 0 || i >= this.end ? -1 : i;
  }

  /** processInlineBuffer: one line, split like sdssplitargs. */
  private inline(): Buffer[] | null {
    let nl = this.buf.indexOf(LF, this.pos);
    if (nl >= this.end) nl = -1;
    if (nl < 0) {
      if (this.end - this.pos > PROTO_INLINE_MAX_SIZE) {
        throw new RespProtocolError('too big inline request', 'too big inline request');
      }
      return this.release();
    }
    let lineEnd = nl;
    if (lineEnd > this.pos && this.buf[lineEnd - 1] === CR) lineEnd--;
    const argv = splitArgs(this.buf, this.pos, lineEnd);
    if (argv === null) throw new RespProtocolError('unbalanced quotes in request', 'unbalanced quotes in inline request');
    this.pos = nl + 1;
    return argv;
  }
}

/**
 * string2ll (util.c) over buf[from, to): optional '-', digits, no leading zeros, no '+', no
 * spaces, within int64. Returns null when it is not such a number. Lengths in RESP fit a
 * double exactly far beyond any limit we accept, so a Number is enough.
 */
export function parseLongLong(buf: Uint8Array, from: number, to: number): number | null {
  const len = to - from;
  if (len <= 0 || len > 20) return null;
  let p = from;
  let neg = false;
  if (buf[p] === 0x2d) {
    neg = true;
    p++;
    if (p === to) return null;
  }
  if (buf[p] === 0x30) return to - p === 1 && !neg ? 0 : null;
  let v = 0;
  for (; p < to; p++) {
    const c = buf[p]! - 0x30;
    if (c < 0 || c > 9) return null;
    v = v * 10 + c;
  }
  if (v > 9223372036854775807) return null;
  return neg ? -v : v;
}

function isSpace(c: number): boolean {
  // isspace(): space, \t, \n, \v, \f, \r
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

function hexVal(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

/**
 * sdssplitargs (sds.c): arguments separated by spaces, "double quotes" with \n \r \t \b \a \\ \"
 * and \xHH escapes, 'single quotes' with \' only. A closing quote must be followed by a space
 * or the end. Returns null for unbalanced quotes.
 */
export function splitArgs(buf: Uint8Array, from: number, to: number): Buffer[] | null {
  const out: Buffer[] = [];
  let p = from;
  const cur: number[] = [];
  for (;;) {
    while (p < to && isSpace(buf[p]!)) p++;
    if (p >= to) return out;
    let inq = false;
    let insq = false;
    let done = false;
    cur.length = 0;
    while (!done) {
      if (inq) {
        if (p >= to) return null;
        const c = buf[p]!;
        if (c === 0x5c && p + 3 < to && buf[p + 1] === 0x78 && hexVal(buf[p + 2]!) >= 0 && hexVal(buf[p + 3]!) >= 0) {
          cur.push(hexVal(buf[p + 2]!) * 16 + hexVal(buf[p + 3]!));
          p += 3;
        } else if (c === 0x5c && p + 1 < to) {
          p++;
          const e = buf[p]!;
          cur.push(e === 0x6e ? 0x0a : e === 0x72 ? 0x0d : e === 0x74 ? 0x09 : e === 0x62 ? 0x08 : e === 0x61 ? 0x07 : e);
        } else if (c === 0x22) {
          if (p + 1 < to && !isSpace(buf[p + 1]!)) return null;
          done = true;
        } else {
          cur.push(c);
        }
      } else if (insq) {
        if (p >= to) return null;
        const c = buf[p]!;
        if (c === 0x5c && p + 1 < to && buf[p + 1] === 0x27) {
          p++;
          cur.push(0x27);
        } else if (c === 0x27) {
          if (p + 1 < to && !isSpace(buf[p + 1]!)) return null;
          done = true;
        } else {
          cur.push(c);
        }
      } else {
        if (p >= to) break;
        const c = buf[p]!;
        if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x00) done = true;
        else if (c === 0x22) inq = true;
        else if (c === 0x27) insq = true;
        else cur.push(c);
      }
      if (p < to) p++;
    }
    out.push(Buffer.from(cur));
  }
}
