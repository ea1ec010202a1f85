/**
 * A raw RESP connection for differential tests: send commands, read whole replies as the
 * bytes the server sent (RESP2 and RESP3 frames, pushes included), so rdblens and a live
 * redis-server can be compared byte for byte.
 */
import net from 'node:net';

/** length of the complete frame at `pos`, or -1 when more bytes are needed */
export function frameEnd(b: Buffer, pos: number): number {
  if (pos >= b.length) return -1;
  const nl = b.indexOf('\r\n', pos);
  if (nl < 0) return -1;
  const t = String.fromCharCode(b[pos]!);
  const line = b.toString('latin1', pos + 1, nl);
  const after = nl + 2;
  switch (t) {
    case '+': case '-': case ':': case '_': case ',': case '#': case '(':
      return after;
    case '$': case '=': case '!': {
      const n = Number(line);
      if (n < 0) return after;
      return b.length >= after + n + 2 ? after + n + 2 : -1;
    }
    case '*': case '>': case '~': case '%': case '|': {
      let n = Number(line);
      if (n < 0) return after;
      if (t === '%' || t === '|') n *= 2;
      let p = after;
      for (let i = 0; i < n; i++) {
        p = frameEnd(b, p);
        if (p < 0) return -1;
      }
      return p;
    }
    default:
      throw new Error(`bad RESP type byte ${JSON.stringify(t)} in ${JSON.stringify(b.toString('latin1', pos, pos + 40))}`);
  }
}

export function encode(args: (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = typeof a === 'string' ? Buffer.from(a) : a;
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

export class Raw {
  private buf = Buffer.alloc(0);
  private waiters: ((b: Buffer) => void)[] = [];
  private frames: Buffer[] = [];
  closed = false;

  private constructor(readonly sock: net.Socket) {
    sock.on('data', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      for (;;) {
        const end = frameEnd(this.buf, 0);
        if (end < 0) break;
        const f = this.buf.subarray(0, end);
        this.buf = this.buf.subarray(end);
        const w = this.waiters.shift();
        if (w) w(Buffer.from(f));
        else this.frames.push(Buffer.from(f));
      }
    });
    sock.on('close', () => (this.closed = true));
    sock.on('error', () => (this.closed = true));
  }

  static open(port: number): Promise<Raw> {
    return new Promise((resolve, reject) => {
      const s = net.createConnection({ port, host: '127.0.0.1' }, () => resolve(new Raw(s)));
      s.once('error', reject);
    });
  }

  send(...args: (string | Buffer)[]): void {
    this.sock.write(encode(args));
  }

  /** the next reply, as text (latin1); rejects after `ms` */
  read(ms = 3000): Promise<string> {
    const f = this.frames.shift();
    if (f) return Promise.resolve(f.toString('latin1'));
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        const i = this.waiters.indexOf(done);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new Error('no reply within ' + ms + ' ms'));
      }, ms);
      const done = (b: Buffer): void => {
        clearTimeout(t);
        resolve(b.toString('latin1'));
      };
      this.waiters.push(done);
    });
  }

  /** whether a reply is already waiting (nothing should be, for a blocked client) */
  get pending(): number {
    return this.frames.length;
  }

  async cmd(...args: (string | Buffer)[]): Promise<string> {
    this.send(...args);
    return this.read();
  }

  close(): void {
    this.sock.destroy();
  }
}

/**
 * One connection to 127.0.0.1:port (from `localAddress` when given): send raw bytes, collect
 * what comes back until the server closes (closed: true) or `ms` passes.
 */
export function exchange(port: number, data: Buffer | string, ms = 500, localAddress?: string): Promise<{ reply: string; closed: boolean }> {
  return new Promise((resolve) => {
    const s = net.createConnection({ port, host: '127.0.0.1', ...(localAddress ? { localAddress } : {}) });
    let reply = '';
    let done = false;
    const finish = (closed: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      s.destroy();
      resolve({ reply, closed });
    };
    s.on('data', (d) => (reply += d.toString('latin1')));
    s.on('close', () => finish(true));
    s.on('error', () => finish(true));
    const timer = setTimeout(() => finish(false), ms);
    s.write(data);
  });
}
