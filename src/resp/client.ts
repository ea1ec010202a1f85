/**
 * One connection: its request decoder, name and auth state, its command context (selected db,
 * protocol version: src/commands/context.ts), and the loop that runs its commands through the
 * command layer. Replies of a batch go into the server's shared writer and leave in one socket
 * write at the end of the batch. A client whose replies back up stops being read (and its
 * pending commands wait) until the socket drains.
 */
import net from 'node:net';
import type { Socket } from 'node:net';
import { RequestDecoder, QueryBufferLimitError } from '../protocol/decoder.js';
import { RespProtocolError } from '../protocol/errors.js';
import { Context, type Connection } from '../commands/context.js';
import { execute } from '../commands/dispatch.js';
import { lookupCommand } from '../commands/registry.js';
import { Session } from '../commands/session.js';
import { releaseSession } from '../commands/_session-end.js';
import type { RespServer } from './server.js';

/** Stop running a client's commands while this much output waits in its socket. */
const OUTPUT_HIGH_WATER = 4 * 1024 * 1024;

/**
 * net.Socket's `onread` option (reads go into one caller-owned buffer and a callback, with no
 * Buffer and no stream machinery per read) is not passed on by net.Server to the sockets it
 * accepts. Its two private symbols are found on a probe socket, so an accepted socket can be
 * switched over the way the option does it. Null when this Node has no such option.
 */
const ONREAD = ((): { kBuffer: symbol; kBufferCb: symbol } | null => {
  try {
    const opts = { onread: { buffer: Buffer.alloc(1), callback: () => true } };
    const probe = new net.Socket(opts as ConstructorParameters<typeof net.Socket>[0]);
    const syms = Object.getOwnPropertySymbols(probe);
    const kBuffer = syms.find((s) => s.description === 'kBuffer');
    const kBufferCb = syms.find((s) => s.description === 'kBufferCb');
    const p = probe as unknown as Record<symbol, unknown>;
    probe.destroy();
    if (!kBuffer || !kBufferCb || !Buffer.isBuffer(p[kBuffer]) || typeof p[kBufferCb] !== 'function') return null;
    return { kBuffer, kBufferCb };
  } catch {
    return null;
  }
})();

/**
 * Where every client's reads land. Commands run synchronously in the read callback, and what a
 * client leaves pending is copied out before the callback returns (decoder.detach), so one
 * buffer serves them all.
 */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

/** PROTO_IOBUF_LEN as allocated: a 16 KB sds in jemalloc's 20 KB class, less its header */
const QBUF_INITIAL = 20474;
/** the sds header and terminator around a query buffer of that size (sdshdr16 + '\0') */
const QBUF_SDS_OVERHEAD = 6;
/** zmalloc_size(c): the client struct of 7.0 in its jemalloc class */
const CLIENT_STRUCT = 768;
/** c->buf_usable_size: the static reply buffer (PROTO_REPLY_CHUNK_BYTES) */
const PROTO_REPLY_CHUNK_BYTES = 16384;
/** sizeof(robj*), sizeof(listNode), sizeof(dictEntry), sizeof(dictEntry*) */
const POINTER = 8;
const LIST_NODE = 24;
const DICT_ENTRY = 24;

interface StreamHandle {
  useUserBuffer?(buf: Buffer): void;
}

export class Client implements Connection {
  readonly id: number;
  readonly decoder: RequestDecoder;
  /** what its commands run with: selected db, protocol, reply sink (the server's writer) */
  readonly ctx: Context;
  name = '';
  authenticated: boolean;
  readonly created = Date.now();
  lastInteraction = Date.now();
  /** the reply is flushed, then the connection closes (QUIT, protocol errors) */
  closeAfterReply = false;
  closed = false;
  private reading = true;
  /** a reply is pending (a blocked command): the next commands wait (suspend) */
  private suspended = false;
  readonly addr: string;
  readonly laddr: string;
  /** MULTI, WATCH, subscriptions, blocking, reply mode (src/commands/session.ts) */
  readonly session: Session;

  constructor(
    readonly server: RespServer,
    readonly socket: Socket,
    id: number,
  ) {
    this.id = id;
    this.decoder = new RequestDecoder(server.instance.limits);
    this.authenticated = server.instance.requirepass === undefined;
    this.decoder.authRequired = !this.authenticated;
    this.ctx = new Context(server.instance, 'client', server.writer, this);
    const ctx = this.ctx;
    this.session = new Session({
      push: (b: Buffer) => this.push(b),
      get resp() {
        return ctx.resp;
      },
    });
    this.addr = `${socket.remoteAddress}:${socket.remotePort}`;
    this.laddr = `${socket.localAddress}:${socket.localPort}`;
    socket.setNoDelay(true);
    const handle = (socket as unknown as { _handle?: StreamHandle | null })._handle;
    if (ONREAD !== null && handle && typeof handle.useUserBuffer === 'function' && !socket.destroyed) {
      const s = socket as unknown as Record<symbol, unknown>;
      s[ONREAD.kBuffer] = READ_BUFFER;
      s[ONREAD.kBufferCb] = (n: number): boolean => {
        this.onData(READ_BUFFER.subarray(0, n));
        // what is left for later must not stay in the shared buffer
        this.decoder.detach();
        return true;
      };
      handle.useUserBuffer(READ_BUFFER);
    }
    // without the user buffer (or before it takes over) reads come as 'data' events
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => this.onDrain());
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
  }

  setAuthenticated(v: boolean): void {
    this.authenticated = v;
    this.decoder.authRequired = !v && this.server.instance.requirepass !== undefined;
  }

  private onData(chunk: Buffer): void {
    if (this.closed || this.closeAfterReply) return;
    const stats = this.server.instance.stats;
    stats.netInput += chunk.length;
    stats.reads++;
    // the query buffer as Redis sizes it (CLIENT LIST qbuf / qbuf-free): 16 KB at the first
    // read (as jemalloc rounds it), grown to what is pending
    const pending = this.decoder.buffered + chunk.length;
    if (this.qbufAlloc === 0 || pending > this.qbufAlloc) this.qbufAlloc = Math.max(QBUF_INITIAL, pending);
    if (pending > this.qbufPeak) this.qbufPeak = pending;
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

  suspend(reply: Promise<Buffer>): void {
    this.suspended = true;
    reply.then(
      (bytes) => this.resume(bytes),
      (e: unknown) => this.resume(Buffer.from(`-ERR ${e instanceof Error ? e.message : String(e)}\r\n`.replace(/[\r\n]+(?!$)/g, ' '))),
    );
  }

  private resume(bytes: Buffer): void {
    this.suspended = false;
    if (this.closed) return;
    if (bytes.length > 0 && bytes[0] === 0x2d) this.server.instance.stats.errorReplies++;
    if (bytes.length > 0) this.push(bytes);
    this.run();
  }

  /** Run the complete commands in the query buffer, then flush the replies. */
  run(): void {
    if (this.suspended) return;
    const server = this.server;
    const prevRunning = server.running;
    server.running = this;
    try {
      this.runBatch();
    } finally {
      server.running = prevRunning;
    }
    // beforeSleep: the batch's replies (and what it pushed to others) may be over maxmemory-clients
    server.evictClients();
    // a write that completed at once emits no 'drain': go on at the next turn
    if (!this.reading && !this.closed && !this.socket.writableNeedDrain) setImmediate(() => this.onDrain());
  }

  private runBatch(): void {
    const server = this.server;
    this.lastInteraction = Date.now();
    const w = server.writer;
    const ctx = this.ctx;
    ctx.reply = w;
    w.resp = ctx.resp;
    const dec = this.decoder;
    // authRequired (networking.c): CONFIG SET requirepass '' lifts the limits for everyone
    dec.authRequired = !this.authenticated && server.instance.requirepass !== undefined;
    // the socket's queue does not change while the batch runs (nothing is written before the end)
    const room = OUTPUT_HIGH_WATER - this.socket.writableLength;
    for (;;) {
      if (this.closeAfterReply || this.closed) break;
      let argv: Buffer[] | null;
      try {
        argv = this.held ?? dec.next();
        this.held = null;
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
      if (server.instance.pause !== null && this.pausedFor(argv)) break;
      // processCommand: client eviction before the command; a client that evicted itself stops
      if (server.evictClients() && this.closed) break;
      const s = this.session;
      const mark = w.pos;
      execute(ctx, argv);
      // CLIENT REPLY OFF / SKIP: the reply is dropped, not what was pushed meanwhile
      if (s.replyOff || s.skip) {
        w.rewind(mark);
        for (const b of this.pushedMeanwhile) w.raw(b);
      }
      this.pushedMeanwhile.length = 0;
      s.skip = false;
      if (s.skipNext) {
        s.skip = true;
        s.skipNext = false;
      }
      // a blocked command: the rest waits for its reply
      if (this.suspended) break;
      if (w.pos > room) {
        // a slow reader: stop here, go on when the socket drains
        this.pauseReading();
        break;
      }
    }
    this.flush();
  }

  /** pushes while the running command's reply is to be dropped (CLIENT REPLY OFF) */
  private readonly pushedMeanwhile: Buffer[] = [];
  /** modelled query buffer allocation and its recent peak (clientsCronResizeQueryBuffer) */
  private qbufAlloc = 0;
  private qbufPeak = 0;

  /**
   * clientsCronResizeQueryBuffer (server.c 7.0), from the front end's timer: an idle client's
   * buffer is freed after 2 s; one much larger than its recent peak is cut down to it.
   */
  cronQueryBuffer(now: number): void {
    const used = this.decoder.buffered;
    if (this.qbufAlloc - used > 4096) {
      if (now - this.lastInteraction > 2000 && used === 0) this.qbufAlloc = 0;
      else if (this.qbufAlloc > 32768 && this.qbufAlloc / 2 > this.qbufPeak) this.qbufAlloc = Math.max(used, this.qbufPeak);
    }
    this.qbufPeak = used;
  }

  /** a command held by CLIENT PAUSE (copied out of the read buffer) */
  private held: Buffer[] | null = null;

  /**
   * CLIENT PAUSE (processCommand's pause check): the command waits, and the rest of the
   * pipeline behind it, until the pause ends or CLIENT UNPAUSE. WRITE pauses only what may
   * write or replicate.
   */
  private pausedFor(argv: Buffer[]): boolean {
    const inst = this.server.instance;
    const p = inst.pause!;
    const now = Date.now();
    if (now >= p.until) {
      inst.unpause();
      return false;
    }
    if (p.writeOnly) {
      const spec = lookupCommand(argv[0]!);
      if (!spec || !(spec.write || spec.flags.includes('may_replicate'))) return false;
    }
    this.held = argv.map((a) => Buffer.from(a));
    this.suspend(
      new Promise<Buffer>((resolve) => {
        const done = (): void => {
          clearTimeout(t);
          resolve(Buffer.alloc(0));
        };
        const t = setTimeout(() => {
          inst.pauseWaiters.delete(done);
          if (inst.pause !== null && Date.now() >= inst.pause.until) inst.unpause();
          resolve(Buffer.alloc(0));
        }, p.until - now + 1);
        inst.pauseWaiters.add(done);
      }),
    );
    return true;
  }

  /** Connection.push: out-of-band bytes, after the replies this connection has pending */
  push(b: Buffer): void {
    if (this.closed) return;
    if (this.server.running === this) {
      this.server.writer.raw(b);
      if (this.session.replyOff || this.session.skip) this.pushedMeanwhile.push(b);
      return;
    }
    this.server.instance.stats.netOutput += b.length;
    this.socket.write(b);
  }

  /**
   * getClientMemoryUsage (networking.c 7.0): the output buffer (what waits in the socket: the
   * reply list), the query buffer's allocation, the client struct and its static reply buffer,
   * the arguments read so far (argv_len_sum and the argv pointers), the MULTI queue
   * (multiStateMemOverhead) and the pubsub dict's and list's overhead. What CLIENT LIST tot-mem,
   * mem_clients_normal, used_memory and client eviction count.
   */
  memoryUsage(): number {
    const dec = this.decoder;
    const s = this.session;
    let mem = this.socket.writableLength + CLIENT_STRUCT + PROTO_REPLY_CHUNK_BYTES;
    if (this.qbufAlloc > 0) mem += this.qbufAlloc + QBUF_SDS_OVERHEAD;
    mem += dec.pendingArgvBytes + POINTER * dec.pendingArgc;
    if (s.multi !== null) {
      // multiStateMemOverhead: the queued commands' argv lengths, their argv arrays, the multiCmd array
      let argvLen = 0;
      let argc = 0;
      for (const argv of s.multi) {
        argc += argv.length;
        for (const a of argv) argvLen += a.length;
      }
      mem += argvLen + argc * POINTER + s.multi.length * 24;
    }
    mem += s.patterns.size * LIST_NODE;
    if (s.channels.size > 0) mem += s.channels.size * DICT_ENTRY + dictSlots(s.channels.size) * POINTER;
    return mem;
  }

  /** clientEvictionAllowed (server.c 7.0), given that maxmemory-clients is set: not CLIENT NO-EVICT, not a replica */
  evictionAllowed(): boolean {
    return !this.session.noEvict && !this.session.replica && !this.closed;
  }

  /** evicted by evictClients: closed at once (freeClient), the running client included */
  evict(): void {
    this.socket.destroy();
    this.close();
  }

  /** CLIENT KILL */
  kill(): void {
    if (this.server.running === this) {
      this.closeAfterReply = true;
      return;
    }
    this.socket.destroy();
    this.close();
  }

  peers(): Iterable<Client> {
    return this.server.clients.values();
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
    const w = this.server.writer;
    if (w.pos === 0) {
      // nothing to send
    } else if (this.closed) {
      w.take();
    } else {
      this.server.instance.stats.netOutput += w.writeTo(this.socket);
      const limit = this.server.instance.options.outputBufferLimit ?? 0;
      if (limit > 0 && this.socket.writableLength > limit) {
        this.server.log(`Client ${this.info()} scheduled to be closed ASAP for overcoming of output buffer limits.`);
        this.socket.destroy();
        this.close();
        return;
      }
    }
    if (this.closeAfterReply && !this.closed) {
      // closed both ways once the reply is out, as Redis's close(): a peer still writing gets a reset
      const sock = this.socket;
      sock.end(() => sock.destroy());
      this.close();
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

  /** QUIT: the reply is flushed, then the connection closes */
  quit(): void {
    this.closeAfterReply = true;
  }

  /** CLIENT LIST over the server's clients */
  list(ids: ReadonlySet<number> | null): string {
    let out = '';
    for (const cl of this.server.clients.values()) if (!ids || ids.has(cl.id)) out += cl.info() + '\n';
    return out;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    releaseSession(this.ctx, this.session);
    this.server.removeClient(this);
  }

  /** CLIENT INFO / CLIENT LIST line (catClientInfoString, networking.c) */
  info(): string {
    const now = Date.now();
    const age = Math.floor((now - this.created) / 1000);
    const idle = Math.floor((now - this.lastInteraction) / 1000);
    const qbuf = this.decoder.buffered;
    const obl = this.socket.writableLength;
    const s = this.session;
    let flags = '';
    if (s.monitor) flags += 'O';
    if (s.subscriptions > 0) flags += 'P';
    if (s.multi !== null) flags += 'x';
    if (s.blocked !== null) flags += 'b';
    if (s.watcher.dirty) flags += 'd';
    if (this.closeAfterReply) flags += 'c';
    if (s.noEvict) flags += 'e';
    if (flags === '') flags = 'N';
    return (
      `id=${this.id} addr=${this.addr} laddr=${this.laddr} fd=${(this.socket as unknown as { _handle?: { fd?: number } })._handle?.fd ?? -1} ` +
      `name=${this.name} age=${age} idle=${idle} flags=${flags} db=${this.ctx.dbIndex} sub=${s.channels.size} psub=${s.patterns.size} ssub=${s.shardChannels.size} multi=${s.multi === null ? -1 : s.multi.length} ` +
      `qbuf=${qbuf} qbuf-free=${Math.max(0, this.qbufAlloc - qbuf)} argv-mem=0 multi-mem=0 rbs=16384 rbp=0 obl=${obl} oll=0 omem=${obl} ` +
      `tot-mem=${this.memoryUsage()} events=r cmd=${this.ctx.lastCommand} user=default redir=-1 resp=${this.ctx.resp}`
    );
  }
}

/** dictSlots of a dict holding n entries (a power of two, at least 4) */
function dictSlots(n: number): number {
  let s = 4;
  while (s < n) s *= 2;
  return s;
}
