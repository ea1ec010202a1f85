/**
 * The RESP listener: sockets, clients and the protocol. It serves one Instance (src/instance:
 * the databases, dumps and memory model) to redis-cli and Redis clients, every command run by
 * the command layer (src/commands) in the client's context.
 *
 * Like Redis, one thread runs every command to completion in arrival order; a client's
 * pipelined commands run in one go and their replies leave in one write.
 */
import net from 'node:net';
import type { Socket } from 'node:net';
import { ReplyWriter } from '../protocol/encoder.js';
import { Client } from './client.js';
import { Instance, type Frontend, type InstanceOptions } from '../instance/instance.js';

export interface ServerOptions extends InstanceOptions {
  port?: number;
  /** the address to bind (also CONFIG GET bind) */
  host?: string;
  /** serve this instance (default: one built from the options) */
  instance?: Instance;
}

export class RespServer implements Frontend {
  readonly options: ServerOptions;
  readonly instance: Instance;
  readonly writer = new ReplyWriter();
  readonly clients = new Map<number, Client>();
  /** the client whose batch is running now (its replies are in `writer`) */
  running: Client | null = null;
  private nextClientId = 1;
  private net: net.Server | null = null;
  private timer: NodeJS.Timeout | null = null;
  port = 0;

  constructor(options: ServerOptions = {}) {
    this.options = options;
    this.instance = options.instance ?? new Instance(options);
    this.instance.frontend = this;
    // SHUTDOWN: whatever close() is by then (serve wraps it to stop its refresher and exporter)
    this.instance.onShutdown = () => void this.close();
  }

  private closedResolve!: () => void;
  /** resolves once close() has run (SHUTDOWN, or the owner closing the server) */
  readonly closed = new Promise<void>((r) => (this.closedResolve = r));

  /** Listen; resolves with the bound port. */
  listen(): Promise<number> {
    const srv = net.createServer({ noDelay: true }, (sock) => this.accept(sock));
    this.net = srv;
    srv.maxConnections = (this.instance.options.maxClients ?? 10000) + 32;
    return new Promise((resolve, reject) => {
      srv.once('error', reject);
      srv.listen(this.options.port ?? 6379, this.options.host ?? '127.0.0.1', () => {
        srv.off('error', reject);
        const a = srv.address();
        this.port = typeof a === 'object' && a ? a.port : 0;
        this.timer = setInterval(() => {
          this.instance.cron();
          const now = Date.now();
          for (const c of this.clients.values()) c.cronQueryBuffer(now);
        }, 100);
        this.timer.unref();
        resolve(this.port);
      });
    });
  }

  /** every open socket, closing ones included (close() ends them all) */
  private readonly sockets = new Set<Socket>();

  private accept(sock: Socket): void {
    const stats = this.instance.stats;
    stats.connectionsReceived++;
    this.sockets.add(sock);
    sock.once('close', () => this.sockets.delete(sock));
    if (this.clients.size >= (this.instance.options.maxClients ?? 10000)) {
      stats.rejectedConnections++;
      sock.end('-ERR max number of clients reached\r\n');
      return;
    }
    const c = new Client(this, sock, this.nextClientId++);
    this.clients.set(c.id, c);
  }

  removeClient(c: Client): void {
    this.clients.delete(c.id);
  }

  log(line: string): void {
    this.instance.log(line);
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const c of this.clients.values()) c.socket.destroy();
    for (const sock of this.sockets) sock.destroy();
    this.sockets.clear();
    this.clients.clear();
    const srv = this.net;
    this.net = null;
    if (srv) await new Promise<void>((r) => srv.close(() => r()));
    if (this.instance.frontend === this) this.instance.frontend = null;
    this.instance.onShutdown = null;
    this.instance.close();
    this.closedResolve();
  }

  // ---------------------------------------------------------------- Frontend

  clientFigures(): { connected: number; maxInput: number; maxOutput: number } {
    let maxInput = 0;
    let maxOutput = 0;
    for (const cl of this.clients.values()) {
      maxInput = Math.max(maxInput, cl.decoder.buffered);
      maxOutput = Math.max(maxOutput, cl.socket.writableLength);
    }
    return { connected: this.clients.size, maxInput, maxOutput };
  }

  clientsMemory(): number {
    let s = 0;
    for (const c of this.clients.values()) s += c.decoder.buffered + c.socket.writableLength;
    return s;
  }
}
