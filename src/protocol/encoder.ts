/**
 * Reply encoder: RESP2 and RESP3 replies written into one growable buffer. The RESP server encodes
 * every reply of a batch of commands into it and hands the bytes to the socket once per batch
 * (a single write per client per read), so small replies cost no allocation of their own.
 *
 * RESP3-only shapes fall back the way Redis's networking.c does for RESP2: maps and sets are
 * arrays (maps flattened), null is `$-1` (or `*-1` for a null array), doubles are bulk strings,
 * booleans are integers.
 */
import { RESP_TYPES } from './types.js';

const CRLF = 0x0a0d; // little-endian "\r\n" for writeUInt16LE
const MAX_SMALL = 1024;

function lineBuffers(prefix: string): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < MAX_SMALL; i++) out.push(Buffer.from(`${prefix}${i}\r\n`, 'latin1'));
  return out;
}

const INT_LINES = lineBuffers(':');
const BULK_HEADERS = lineBuffers('$');
const ARRAY_HEADERS = lineBuffers('*');

const SHARED = {
  OK: Buffer.from('+OK\r\n'),
  PONG: Buffer.from('+PONG\r\n'),
  QUEUED: Buffer.from('+QUEUED\r\n'),
  NULL_BULK: Buffer.from('$-1\r\n'),
  NULL_ARRAY: Buffer.from('*-1\r\n'),
  NULL3: Buffer.from('_\r\n'),
  EMPTY_ARRAY: Buffer.from('*0\r\n'),
  TRUE3: Buffer.from('#t\r\n'),
  FALSE3: Buffer.from('#f\r\n'),
} as const;

/** Initial size of the shared encoding buffer; a batch that needs more grows it. */
const INITIAL = 64 * 1024;
/** Above this, a flushed batch hands its buffer over instead of copying it. */
const HANDOVER = 256 * 1024;

/**
 * Where a command's reply goes (src/commands/context.ts): the reply shapes a handler writes,
 * plus the mark/rewind the dispatcher needs to replace a half-written reply by an error.
 * ReplyWriter is the one implementation: a transaction or a script gives the command a writer
 * of its own (or the caller's, after its own header) and reads the bytes back.
 */
export interface ReplySink {
  /** 2 or 3: the protocol the reply is written in */
  resp: number;
  /** bytes written so far (a mark for rewind) */
  readonly pos: number;
  rewind(mark: number): void;
  raw(b: Buffer): void;
  ok(): void;
  pong(): void;
  simple(s: string): void;
  error(msg: string): void;
  int(n: number): void;
  bigint(n: bigint): void;
  bulk(b: Uint8Array): void;
  bulkStr(s: string): void;
  bulkNumberText(s: string): void;
  verbatim(s: string): void;
  nullBulk(): void;
  nullArray(): void;
  array(n: number): void;
  map(n: number): void;
  set(n: number): void;
  double(x: number): void;
  bool(v: boolean): void;
}

export class ReplyWriter implements ReplySink {
  buf: Buffer = Buffer.allocUnsafe(INITIAL);
  pos = 0;
  /** 2 or 3 (HELLO): the protocol of the client being answered */
  resp = 2;

  /** Take the bytes written so far (a copy, or the buffer itself when large), and reset. */
  take(): Buffer | null {
    const n = this.pos;
    if (n === 0) return null;
    this.pos = 0;
    if (n >= HANDOVER) {
      const out = this.buf.subarray(0, n);
      this.buf = Buffer.allocUnsafe(INITIAL);
      return out;
    }
    const out = Buffer.allocUnsafe(n);
    this.buf.copy(out, 0, 0, n);
    return out;
  }

  /**
   * Write the bytes so far to a socket and reset; returns how many. When the socket has nothing
   * queued, the bytes go out as a view of the buffer: a write the kernel takes whole completes
   * synchronously and the buffer is reused at once; a write left pending keeps the buffer,
   * and a new one is started. Behind queued output, the bytes are copied (take).
   */
  writeTo(sock: { readonly writableLength: number; write(b: Uint8Array): boolean }): number {
    const n = this.pos;
    if (n === 0) return 0;
    if (n >= HANDOVER || sock.writableLength !== 0) {
      sock.write(this.take()!);
      return n;
    }
    this.pos = 0;
    sock.write(this.buf.subarray(0, n));
    if (sock.writableLength !== 0) this.buf = Buffer.allocUnsafe(INITIAL);
    return n;
  }

  /** Forget everything written since `mark` (a reply replaced by an error). */
  rewind(mark: number): void {
    this.pos = mark;
  }

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const nb = Buffer.allocUnsafe(size);
    this.buf.copy(nb, 0, 0, this.pos);
    this.buf = nb;
  }

  raw(b: Buffer): void {
    this.ensure(b.length);
    b.copy(this.buf, this.pos);
    this.pos += b.length;
  }

  private ascii(s: string): void {
    this.ensure(s.length);
    this.pos += this.buf.latin1Write(s, this.pos);
  }

  private crlf(): void {
    this.buf.writeUInt16LE(CRLF, this.pos);
    this.pos += 2;
  }

  ok(): void {
    this.raw(SHARED.OK);
  }

  pong(): void {
    this.raw(SHARED.PONG);
  }

  /** +text (no CR or LF inside) */
  simple(s: string): void {
    this.ensure(s.length + 3);
    this.buf[this.pos++] = RESP_TYPES.SIMPLE_STRING;
    this.pos += this.buf.latin1Write(s, this.pos);
    this.crlf();
  }

  /** -CODE message (CR and LF become spaces, as addReplyErrorLength does) */
  error(msg: string): void {
    const clean = msg.includes('\r') || msg.includes('\n') ? msg.replace(/[\r\n]/g, ' ') : msg;
    this.ensure(Buffer.byteLength(clean, 'latin1') + 3);
    this.buf[this.pos++] = RESP_TYPES.SIMPLE_ERROR;
    this.pos += this.buf.latin1Write(clean, this.pos);
    this.crlf();
  }

  int(n: number): void {
    if (n >= 0 && n < MAX_SMALL && Number.isInteger(n)) {
      this.raw(INT_LINES[n]!);
      return;
    }
    this.ascii(`:${Number.isSafeInteger(n) ? n : BigInt(Math.trunc(n))}\r\n`);
  }

  bigint(n: bigint): void {
    this.ascii(`:${n}\r\n`);
  }

  bulk(b: Uint8Array): void {
    const len = b.length;
    if (len < MAX_SMALL) {
      const h = BULK_HEADERS[len]!;
      this.ensure(h.length + len + 2);
      h.copy(this.buf, this.pos);
      this.pos += h.length;
    } else {
      this.ensure(len + 24);
      this.pos += this.buf.latin1Write(`$${len}\r\n`, this.pos);
    }
    this.buf.set(b, this.pos);
    this.pos += len;
    this.crlf();
  }

  /** a bulk string from JS text (UTF-8) */
  bulkStr(s: string): void {
    const len = Buffer.byteLength(s, 'utf8');
    this.ensure(len + 24);
    this.pos += this.buf.latin1Write(`$${len}\r\n`, this.pos);
    this.pos += this.buf.utf8Write(s, this.pos);
    this.crlf();
  }

  /** an integer as a bulk string (RESP2 scores, INCRBYFLOAT-style replies) */
  bulkNumberText(s: string): void {
    this.ensure(s.length + 24);
    this.pos += this.buf.latin1Write(`$${s.length}\r\n${s}\r\n`, this.pos);
  }

  /** a verbatim string (RESP3 `=`, txt) or a bulk string (RESP2): INFO, CLIENT LIST, DOCTOR */
  verbatim(s: string): void {
    if (this.resp < 3) return this.bulkStr(s);
    const len = Buffer.byteLength(s, 'utf8') + 4;
    this.ensure(len + 24);
    this.pos += this.buf.latin1Write(`=${len}\r\ntxt:`, this.pos);
    this.pos += this.buf.utf8Write(s, this.pos);
    this.crlf();
  }

  nullBulk(): void {
    this.raw(this.resp >= 3 ? SHARED.NULL3 : SHARED.NULL_BULK);
  }

  nullArray(): void {
    this.raw(this.resp >= 3 ? SHARED.NULL3 : SHARED.NULL_ARRAY);
  }

  array(n: number): void {
    if (n < MAX_SMALL) this.raw(ARRAY_HEADERS[n]!);
    else this.ascii(`*${n}\r\n`);
  }

  /** a map of n pairs: `%n` in RESP3, `*2n` in RESP2 */
  map(n: number): void {
    if (this.resp >= 3) this.ascii(`%${n}\r\n`);
    else this.array(n * 2);
  }

  /** a set of n members: `~n` in RESP3, `*n` in RESP2 */
  set(n: number): void {
    if (this.resp >= 3) this.ascii(`~${n}\r\n`);
    else this.array(n);
  }

  /** a double: `,x` in RESP3, a bulk string in RESP2 (addReplyDouble, %.17g) */
  double(x: number): void {
    const s = formatDouble(x);
    if (this.resp >= 3) this.ascii(`,${s}\r\n`);
    else this.bulkNumberText(s);
  }

  bool(v: boolean): void {
    if (this.resp >= 3) this.raw(v ? SHARED.TRUE3 : SHARED.FALSE3);
    else this.raw(INT_LINES[v ? 1 : 0]!);
  }
}

/** How doubles are printed: "%.17g" up to 7.0, the shortest round-trip text from 7.2. */
let shortestDoubles = false;

/** Pick the double format of the modelled server (profile version, e.g. 700 or 702). */
export function setDoubleFormat(version: number): void {
  shortestDoubles = version >= 702;
}

/** A double as addReplyDouble prints it ("inf", "-inf", then %.17g or fpconv_dtoa). */
export function formatDouble(x: number): string {
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (Number.isNaN(x)) return 'nan';
  if (shortestDoubles) return Object.is(x, -0) ? '-0' : String(x);
  return g17(x);
}

function stripZeros(s: string): string {
  if (!s.includes('.')) return s;
  s = s.replace(/0+$/, '');
  return s.endsWith('.') ? s.slice(0, -1) : s;
}

/** printf("%.17g", x) */
export function g17(x: number): string {
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const t = x.toExponential(16);
  const k = t.indexOf('e');
  const e = Number(t.slice(k + 1));
  if (e < -4 || e >= 17) {
    return `${stripZeros(t.slice(0, k))}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  return stripZeros(x.toFixed(16 - e));
}
