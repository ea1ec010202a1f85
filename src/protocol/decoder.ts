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
/** INT_MAX: the largest multibulk count Redis 7.0 reads */
const INT_MAX = 2147483647;
/** limits before AUTH when a password is set (networking.c processMultibulkBuffer, 7.0) */
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

const EMPTY = Buffer.alloc(0);
/** the argument vector between requests (never pushed to: a request starts a new one) */
const NO_ARGS: Buffer[] = [];

/**
 * The first CR in buf[from, end), or -1. Length lines are a few bytes: a loop finds their CR
 * sooner than a call into indexOf.
 */
function crAt(buf: Buffer, from: number, end: number): number {
  const stop = from + 16 < end ? from + 16 : end;
  for (let i = from; i < stop; i++) if (buf[i] === CR) return i;
  if (stop === end) return -1;
  const i = buf.indexOf(CR, stop);
  return i < 0 || i >= end ? -1 : i;
}

/** Longest first argument kept in the table of command names. */
const MAX_NAME = 24;
/** Command names seen, direct-mapped on their length and bytes; copies, never mutated. */
const NAMES: (Buffer | undefined)[] = new Array<Buffer | undefined>(256).fill(undefined);

/**
 * buf[pos, pos + len) as a Buffer of its own, the one handed out last time for the same bytes
 * when the table still holds it: a pipeline of GETs costs no allocation for its GETs.
 */
function internName(buf: Buffer, pos: number, len: number): Buffer {
  const slot = (len * 37 + buf[pos]! * 7 + buf[pos + len - 1]! * 3 + buf[pos + (len >> 1)]!) & 255;
  const cached = NAMES[slot];
  if (cached !== undefined && cached.length === len) {
    let i = 0;
    while (i < len && cached[i] === buf[pos + i]) i++;
    if (i === len) return cached;
  }
  const own = Buffer.allocUnsafe(len);
  buf.copy(own, 0, pos, pos + len);
  NAMES[slot] = own;
  return own;
}

export class RequestDecoder {
  private buf: Buffer = EMPTY;
  private pos = 0;
  private end = 0;
  /** true while `buf` is the caller's chunk (not ours to compact or grow) */
  private borrowed = false;
  /** multibulk in progress: arguments left to read (0: none), the argument vector so far */
  private multibulkLeft = 0;
  private bulkLen = -1;
  private argv: Buffer[] = NO_ARGS;
  /** arguments read so far of the request in progress */
  private argc = 0;
  /** bytes held by the arguments read so far of the request in progress */
  private argvBytes = 0;
  /** set by the server: before AUTH the lengths are capped harder */
  authRequired = false;

  constructor(readonly limits: DecoderLimits = DEFAULT_LIMITS) {}

  /** Bytes received and not yet consumed (the query buffer, qbuf in CLIENT LIST). */
  get buffered(): number {
    return this.end - this.pos;
  }

  /** Arguments already read of the request in progress (c->argc while a multibulk is incomplete). */
  get pendingArgc(): number {
    return this.argc;
  }

  /** Bytes of those arguments (c->argv_len_sum). */
  get pendingArgvBytes(): number {
    return this.argvBytes;
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
      if (!this.borrowed && this.argc === 0 && size <= this.buf.length) {
        this.buf.copy(this.buf, 0, this.pos, this.end);
        this.pos = 0;
        this.end = pending;
      } else {
        if (!this.borrowed && size > this.buf.length) size = Math.max(size, Math.min(this.buf.length * 2, need + (64 << 20)));
        // arguments already read are views into the old buffer: they stay valid there
        this.moveTo(size);
      }
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
    const buf = this.buf;
    const end = this.end;
    let pos = this.pos;
    if (this.multibulkLeft === 0) {
      if (pos >= end) return this.release();
      if (buf[pos] !== STAR) return this.inline();
      // multibulk count line
      const nl = crAt(buf, pos, end);
      if (nl < 0) {
        if (end - pos > PROTO_INLINE_MAX_SIZE) {
          throw new RespProtocolError('too big mbulk count string', 'too big mbulk count string');
        }
        return this.release();
      }
      if (nl > end - 2) return this.release();
      const ll = parseLongLong(buf, pos + 1, nl);
      // Redis's order: not a number or past INT_MAX, then the unauthenticated limit; our own
      // tighter count limit comes last, so a client before AUTH hears what Redis tells it
      if (ll === null || ll > INT_MAX) {
        throw new RespProtocolError('invalid multibulk length', 'invalid mbulk count');
      }
      if (ll > UNAUTH_MULTIBULK_MAX && this.authRequired) {
        throw new RespProtocolError('unauthenticated multibulk length', 'unauth mbulk count');
      }
      if (ll > this.limits.maxMultibulkLen) {
        throw new RespProtocolError('invalid multibulk length', 'invalid mbulk count');
      }
      pos = nl + 2;
      this.pos = pos;
      if (ll <= 0) return [];
      this.multibulkLeft = ll;
      // sized up front, as Redis does up to 1024 (a bigger one grows as its arguments arrive)
      this.argv = ll <= 1024 ? new Array<Buffer>(ll) : [];
      this.argc = 0;
      this.argvBytes = 0;
    }
    const argv = this.argv;
    let argc = this.argc;
    let left = this.multibulkLeft;
    let bulkLen = this.bulkLen;
    let argvBytes = this.argvBytes;
    while (left > 0) {
      if (bulkLen < 0) {
        const nl = crAt(buf, pos, end);
        if (nl < 0 || nl > end - 2) {
          this.pos = pos;
          this.multibulkLeft = left;
          this.bulkLen = -1;
          this.argc = argc;
          this.argvBytes = argvBytes;
          if (nl < 0 && end - pos > PROTO_INLINE_MAX_SIZE) {
            throw new RespProtocolError('too big bulk count string', 'too big bulk count string');
          }
          return this.release();
        }
        const c = buf[pos]!;
        if (c !== DOLLAR) {
          throw new RespProtocolError(`expected '$', got '${String.fromCharCode(c)}'`, 'expected $ but got something else');
        }
        const ll = parseLongLong(buf, pos + 1, nl);
        if (ll === null || ll < 0 || ll > this.limits.maxBulkLen) {
          throw new RespProtocolError('invalid bulk length', 'invalid bulk length');
        }
        if (ll > UNAUTH_BULK_MAX && this.authRequired) {
          throw new RespProtocolError('unauthenticated bulk length', 'unauth bulk length');
        }
        pos = nl + 2;
        bulkLen = ll;
        if (argvBytes + ll > this.limits.queryBufferLimit) {
          this.pos = pos;
          this.multibulkLeft = left;
          this.bulkLen = bulkLen;
          this.argc = argc;
          this.argvBytes = argvBytes;
          throw new QueryBufferLimitError('max query buffer length');
        }
      }
      // the bulk and its CRLF (Redis skips the two bytes without looking at them)
      if (end - pos < bulkLen + 2) {
        this.pos = pos;
        this.multibulkLeft = left;
        this.bulkLen = bulkLen;
        this.argc = argc;
        this.argvBytes = argvBytes;
        return this.release();
      }
      // the command name: the same Buffer for the same bytes, request after request
      argv[argc] = argc === 0 && bulkLen <= MAX_NAME && bulkLen > 0 ? internName(buf, pos, bulkLen) : buf.subarray(pos, pos + bulkLen);
      argc++;
      argvBytes += bulkLen;
      pos += bulkLen + 2;
      bulkLen = -1;
      left--;
    }
    this.pos = pos;
    this.multibulkLeft = 0;
    this.bulkLen = -1;
    this.argv = NO_ARGS;
    this.argc = 0;
    this.argvBytes = 0;
    return argv;
  }

  /**
   * Stop borrowing the caller's chunk: the pending bytes (and the arguments already read of a
   * request in progress) are copied into a buffer of our own. For a caller about to reuse the
   * chunk's memory while requests remain (a paused client reading into a shared buffer).
   */
  detach(): void {
    if (!this.borrowed) return;
    const pending = this.end - this.pos;
    if (pending === 0 && this.argc === 0) {
      this.buf = EMPTY;
      this.pos = this.end = 0;
      this.borrowed = false;
      return;
    }
    // arguments already read point into the chunk: copy them with the tail
    for (let i = 0; i < this.argc; i++) this.argv[i] = Buffer.from(this.argv[i]!);
    this.moveTo(Math.max(pending, 16 * 1024, this.bulkLen >= 0 ? Math.min(this.bulkLen + 2, this.limits.maxBulkLen + 2) : 0));
  }

  /** Move the pending bytes to the start of a new buffer of `size` bytes, ours to grow. */
  private moveTo(size: number): void {
    const nb = Buffer.allocUnsafe(size);
    const pending = this.end - this.pos;
    this.buf.copy(nb, 0, this.pos, this.end);
    this.buf = nb;
    this.pos = 0;
    this.end = pending;
    this.borrowed = false;
  }

  /** Nothing complete: keep only what is pending (a borrowed chunk's tail is copied out). */
  private release(): null {
    if (this.borrowed) {
      this.detach();
    } else if (this.pos === this.end && this.argc === 0) {
      this.pos = this.end = 0;
      if (this.buf.length > 1 << 20) this.buf = EMPTY;
    }
    return null;
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
