/**
 * One connection: its request decoder, protocol version, selected db, name and auth state, and
 * the loop that runs its commands. Replies of a batch go into the server's shared writer and
 * leave in one socket write at the end of the batch. A client whose replies back up stops
 * being read (and its pending commands wait) until the socket drains.
 */
import type { Socket } from 'node:net';
import { RequestDecoder, QueryBufferLimitError } from './decoder.js';
import { RespProtocolError } from './errors.js';
import type { ReplyWriter } from './encoder.js';
import type { Database } from '../engine/database.js';
import type { RespServer } from './server.js';

/** Stop running a client's commands while this much output waits in its socket. */
const OUTPUT_HIGH_WATER = 4 * 1024 * 1024;

export class Client {
  readonly id: number;
  readonly decoder: RequestDecoder;
  resp = 2;
  dbIndex = 0;
  db: Database;
  name = '';
  authenticated: boolean;
  readonly created = Date.now();
  lastInteraction = Date.now();
  lastCommand = 'NULL';
  /** the reply is flushed, then the connection closes (QUIT, protocol errors) */
  closeAfterReply = false;
  closed = false;
  private reading = true;
  readonly addr: string;
  readonly laddr: string;
  /** set while the client's batch runs: the server's shared writer */
  w!: ReplyWriter;

  constructor(
    readonly server: RespServer,
    readonly socket: Socket,
    id: number,
  ) {
    this.id = id;
    this.decoder = new RequestDecoder(server.limits);
    this.authenticated = server.options.requirepass === undefined;
    this.decoder.authRequired = !this.authenticated;
    this.db = server.dbs[0]!;
    this.addr = `${socket.remoteAddress}:${socket.remotePort}`;
    this.laddr = `${socket.localAddress}:${socket.localPort}`;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => this.onDrain());
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
  }

  setAuthenticated(v: boolean): void {
    this.authenticated = v;
    this.decoder.authRequired = !v;
  }

  private onData(chunk: Buffer): void {
    if (this.closed || this.closeAfterReply) return;
    this.server.stats.netInput += chunk.length;
    this.server.stats.reads++;
    try {
      this.decoder.push(chunk);
    } catch (e) {
      if (e instanceof QueryBufferLimitError) {
        this.closeForQueryBuffer();
        return;
      }
      throw e;
    }
    this.run();
  }

  /** Run the complete commands in the query buffer, then flush the replies. */
  run(): void {
    const server = this.server;
    this.lastInteraction = Date.now();
    const w = server.writer;
    this.w = w;
    w.resp = this.resp;
    const dec = this.decoder;
    const sock = this.socket;
    for (;;) {
      if (this.closeAfterReply || this.closed) break;
      let argv: Buffer[] | null;
      try {
        argv = dec.next();
      } catch (e) {
        if (e instanceof QueryBufferLimitError) {
          this.closeForQueryBuffer();
          return;
        }
        if (e instanceof RespProtocolError) {
          w.error(`ERR ${e.message}`);
          server.log(`Protocol error (${e.logReason}) from client: ${this.info()}`);
          this.closeAfterReply = true;
          break;
        }
        throw e;
      }
      if (argv === null) break;
      if (argv.length === 0) continue;
      server.execute(this, argv);
      if (w.pos + sock.writableLength > OUTPUT_HIGH_WATER) {
        // a slow reader: stop here, go on when the socket drains
        this.pauseReading();
        break;
      }
    }
    this.flush();
    // a write that completed at once emits no 'drain': go on at the next turn
    if (!this.reading && !this.closed && !this.socket.writableNeedDrain) setImmediate(() => this.onDrain());
  }

  /** client-query-buffer-limit reached: the replies so far are sent, then the connection closes */
  private closeForQueryBuffer(): void {
    this.server.log(`Closing client that reached max query buffer length: ${this.info()}`);
    const out = this.server.writer.take();
    this.socket.pause();
    if (out) this.socket.end(out);
    else this.socket.end();
    setTimeout(() => this.socket.destroy(), 1000).unref();
    this.close();
  }

  flush(): void {
    const out = this.server.writer.take();
    if (out !== null && !this.closed) {
      this.server.stats.netOutput += out.length;
      this.socket.write(out);
      const limit = this.server.options.outputBufferLimit ?? 0;
      if (limit > 0 && this.socket.writableLength > limit) {
        this.server.log(`Client ${this.info()} scheduled to be closed ASAP for overcoming of output buffer limits.`);
        this.socket.destroy();
        this.close();
        return;
      }
    }
    if (this.closeAfterReply && !this.closed) {
      this.socket.end();
      this.closed = true;
      this.server.removeClient(this);
    }
  }

  private pauseReading(): void {
    if (!this.reading) return;
    this.reading = false;
    this.socket.pause();
  }

  private onDrain(): void {
    if (this.reading || this.closed) return;
    this.reading = true;
    // run what is already buffered before reading more
    this.run();
    if (this.reading) this.socket.resume();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.server.removeClient(this);
  }

  /** CLIENT INFO / CLIENT LIST line (catClientInfoString, networking.c) */
  info(): string {
    const now = Date.now();
    const age = Math.floor((now - this.created) / 1000);
    const idle = Math.floor((now - this.lastInteraction) / 1000);
    const qbuf = this.decoder.buffered;
    const obl = this.socket.writableLength;
    return (
      `id=${this.id} addr=${this.addr} laddr=${this.laddr} fd=${(this.socket as unknown as { _handle?: { fd?: number } })._handle?.fd ?? -1} ` +
      `name=${this.name} age=${age} idle=${idle} flags=N db=${this.dbIndex} sub=0 psub=0 ssub=0 multi=-1 ` +
      `qbuf=${qbuf} qbuf-free=0 argv-mem=0 multi-mem=0 rbs=16384 rbp=0 obl=${obl} oll=0 omem=${obl} ` +
      `tot-mem=${qbuf + obl} events=r cmd=${this.lastCommand} user=default redir=-1 resp=${this.resp}`
    );
  }
}
