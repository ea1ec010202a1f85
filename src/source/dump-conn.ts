/**
 * The DUMP replies of a live source, read on a connection of their own so that a big value
 * streams: a client library (ioredis) hands a bulk reply over only once it holds it whole (and
 * joins its chunks, twice its size for a moment), while here the reply's `$<len>` header is read
 * first and a payload longer than STREAM_MIN is passed on chunk by chunk as the socket delivers
 * it, with backpressure (the socket is read as an async iterator: nothing more is read from it
 * until the consumer, the RDB parser, asks for more).
 *
 * The connection is made with the source's own options (TLS with its CA, client certificate or
 * --tls-insecure: connect.ts tlsOptions) and sends nothing but AUTH (the same user), SELECT for a
 * database other than 0, and DUMP: the ACL user of the source (`+scan +dump +pttl +type +info
 * +object`) is enough. Replies are RESP2 (no HELLO is sent).
 *
 * A DUMP payload is `<type byte><value><RDB version, 2 bytes LE><CRC-64, 8 bytes LE>`
 * (createDumpPayload, cluster.c 7.0); `stream` yields the value part (with its type byte) and
 * checks the footer when the last byte has arrived (verifyDumpPayload's checks, live.ts
 * checkFooter), so a damaged payload fails the read after its bytes were parsed, never silently.
 */
import net from 'node:net';
import tls from 'node:tls';
import { Crc64 } from '../rdb/crc64.js';
import { liveError, tlsOptions } from './connect.js';
import { LiveSourceError } from './errors.js';
import { redactUrl, type LiveTarget } from './url.js';

/** Payloads longer than this are streamed; shorter ones are read whole (one copy at most). */
export const STREAM_MIN = 1 << 20;
/** a reply line (status, error, length) longer than this is not a Redis reply */
const MAX_LINE = 64 * 1024;
const CR = 13;
const LF = 10;
const EMPTY = Buffer.alloc(0);
/** the RDB version and CRC-64 closing a DUMP payload */
export const DUMP_FOOTER = 10;

/** One RESP2 command. */
function encode(args: readonly (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`, 'latin1')];
  for (const a of args) {
    const b = typeof a === 'string' ? Buffer.from(a, 'latin1') : a;
    parts.push(Buffer.from(`$${b.length}\r\n`, 'latin1'), b, Buffer.from('\r\n', 'latin1'));
  }
  return Buffer.concat(parts);
}

function connectSocket(t: LiveTarget): Promise<net.Socket> {
  const opts = tlsOptions(t);
  return new Promise((resolve, reject) => {
    const sock = opts ? tls.connect({ host: t.host, port: t.port, ...opts }) : net.createConnection({ host: t.host, port: t.port });
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new LiveSourceError('connect', `${redactUrl(t.url)}: connecting (the DUMP connection): connect ETIMEDOUT`));
    }, 10_000);
    sock.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    sock.once(opts ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      sock.setNoDelay(true);
      resolve(sock);
    });
  });
}

/** A status or error reply: its text; an integer: its digits; a bulk: its length (-1: nil). */
interface ReplyHead {
  type: '+' | '-' | ':' | '$';
  text: string;
}

export class DumpConnection {
  private buf: Buffer = EMPTY;
  private pos = 0;
  private readonly input: AsyncIterator<Buffer>;
  private closed = false;

  private constructor(
    private readonly target: LiveTarget,
    private readonly sock: net.Socket,
  ) {
    this.input = sock[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }

  private get name(): string {
    return redactUrl(this.target.url);
  }

  /** Connect, AUTH as the source's user, SELECT `db` when it is not 0. */
  static async open(t: LiveTarget, db: number): Promise<DumpConnection> {
    let sock: net.Socket;
    try {
      sock = await connectSocket(t);
    } catch (err) {
      throw liveError(t, err, 'connecting (the DUMP connection)');
    }
    const c = new DumpConnection(t, sock);
    try {
      if (t.password !== undefined) {
        c.send([t.username !== undefined ? ['AUTH', t.username, t.password] : ['AUTH', t.password]]);
        await c.ok('AUTH');
      }
      if (db !== 0) await c.select(db);
    } catch (err) {
      c.close();
      throw err;
    }
    return c;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.sock.destroy();
  }

  async select(db: number): Promise<void> {
    this.send([['SELECT', String(db)]]);
    await this.ok(`SELECT ${db} (to read database ${db})`);
  }

  /** Pipeline these commands (their replies are read in order). */
  send(cmds: ReadonlyArray<readonly (string | Buffer)[]>): void {
    this.sock.write(Buffer.concat(cmds.map(encode)));
  }

  /** One DUMP per key, pipelined. */
  dump(keys: readonly Buffer[]): void {
    const parts: Buffer[] = [];
    for (const k of keys) parts.push(encode(['DUMP', k]));
    this.sock.write(Buffer.concat(parts));
  }

  private async ok(doing: string): Promise<void> {
    const h = await this.head();
    if (h.type === '-') throw liveError(this.target, new Error(h.text), doing);
    if (h.type !== '+') throw this.unexpected(h, doing);
  }

  private unexpected(h: ReplyHead, doing: string): LiveSourceError {
    return new LiveSourceError('server', `${this.name}: ${doing}: unexpected reply "${h.type}${h.text.slice(0, 100)}"`);
  }

  /** Wait for the next chunk from the socket (kept after what is still unread). */
  private async more(doing: string): Promise<void> {
    let r: IteratorResult<Buffer>;
    try {
      r = await this.input.next();
    } catch (err) {
      throw liveError(this.target, err, doing);
    }
    if (r.done) throw new LiveSourceError('connect', `${this.name}: ${doing}: the server closed the connection`);
    const chunk = r.value;
    if (this.pos >= this.buf.length) this.buf = chunk;
    else this.buf = Buffer.concat([this.buf.subarray(this.pos), chunk]);
    this.pos = 0;
  }

  /** The next reply's first line. */
  private async head(doing = 'DUMP'): Promise<ReplyHead> {
    for (;;) {
      const cr = this.buf.indexOf(CR, this.pos);
      if (cr >= 0 && cr + 1 < this.buf.length) {
        if (this.buf[cr + 1] !== LF || cr === this.pos) throw new LiveSourceError('server', `${this.name}: ${doing}: malformed reply line`);
        const type = String.fromCharCode(this.buf[this.pos]!);
        const text = this.buf.toString('latin1', this.pos + 1, cr);
        this.pos = cr + 2;
        if (type !== '+' && type !== '-' && type !== ':' && type !== '$') throw new LiveSourceError('server', `${this.name}: ${doing}: unexpected reply "${type}${text.slice(0, 100)}"`);
        return { type, text };
      }
      if (this.buf.length - this.pos > MAX_LINE) throw new LiveSourceError('server', `${this.name}: ${doing}: a reply line over ${MAX_LINE} bytes: not a Redis server`);
      await this.more(doing);
    }
  }

  /**
   * The next DUMP reply's length: -1 for nil (the key is gone). An error reply throws (as a
   * LiveSourceError: NOPERM, MOVED, ...). The payload must then be read: whole, stream or skip.
   */
  async next(key: Buffer): Promise<number> {
    const h = await this.head();
    if (h.type === '-') throw liveError(this.target, new Error(h.text), 'DUMP');
    if (h.type !== '$' || !/^(-1|\d{1,15})$/.test(h.text)) throw this.unexpected(h, `DUMP of a ${key.length}-byte key`);
    return Number(h.text);
  }

  /** The trailing CRLF of a bulk. */
  private async crlf(): Promise<void> {
    while (this.buf.length - this.pos < 2) await this.more('DUMP');
    if (this.buf[this.pos] !== CR || this.buf[this.pos + 1] !== LF) throw new LiveSourceError('server', `${this.name}: DUMP: a bulk reply not closed by CRLF`);
    this.pos += 2;
  }

  /** A payload of `len` bytes (at most STREAM_MIN), whole. */
  async whole(len: number): Promise<Buffer> {
    if (this.buf.length - this.pos >= len) {
      const b = this.buf.subarray(this.pos, this.pos + len);
      this.pos += len;
      await this.crlf();
      return b;
    }
    const out = Buffer.allocUnsafe(len);
    let got = 0;
    for (;;) {
      const n = Math.min(len - got, this.buf.length - this.pos);
      this.buf.copy(out, got, this.pos, this.pos + n);
      this.pos += n;
      got += n;
      if (got === len) break;
      await this.more('DUMP');
    }
    await this.crlf();
    return out;
  }

  /**
   * A payload of `len` bytes as it arrives: yields the value part (type byte first, views of the
   * socket's chunks, never empty), then checks the footer with `check(footer, crc)` (crc: the
   * CRC-64 of everything before the footer's CRC field). The footer's 10 bytes are kept back.
   */
  async *stream(len: number, check: (footer: Buffer, crc: bigint) => void): AsyncGenerator<Buffer> {
    const crc = new Crc64();
    const body = len - DUMP_FOOTER;
    let at = 0;
    while (at < body) {
      if (this.pos >= this.buf.length) await this.more('DUMP');
      const n = Math.min(body - at, this.buf.length - this.pos);
      const part = this.buf.subarray(this.pos, this.pos + n);
      this.pos += n;
      at += n;
      crc.update(part, 0, part.length);
      yield part;
    }
    while (this.buf.length - this.pos < DUMP_FOOTER) await this.more('DUMP');
    const footer = Buffer.from(this.buf.subarray(this.pos, this.pos + DUMP_FOOTER));
    this.pos += DUMP_FOOTER;
    crc.update(footer, 0, 2);
    await this.crlf();
    check(footer, crc.value());
  }

  /** Read past a payload of `len` bytes (a key counted as vanished). */
  async skip(len: number): Promise<void> {
    let left = len;
    for (;;) {
      const n = Math.min(left, this.buf.length - this.pos);
      this.pos += n;
      left -= n;
      if (left === 0) break;
      await this.more('DUMP');
    }
    await this.crlf();
  }
}
