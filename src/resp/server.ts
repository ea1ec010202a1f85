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

/** clientAcceptHandler's reply to a client refused by protected mode (networking.c 7.0.15) */
export const PROTECTED_MODE_DENIED =
  '-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. ' +
  'In this mode connections are only accepted from the loopback interface. ' +
  'If you want to connect from external computers to Redis you may adopt one of the following solutions: ' +
  "1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. " +
  "2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. " +
  "3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. " +
  '4) Setup a an authentication password for the default user. ' +
  'NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.\r\n';

/**
 * islocalClient (networking.c 7.0.15): the peer is exactly 127.0.0.1 or ::1 (Redis compares the
 * address strings: 127.0.0.2 is not local). An IPv4 peer on a dual-stack socket shows as
 * ::ffff:127.0.0.1; Redis, with its IPv4 and IPv6-only sockets apart, sees 127.0.0.1. A unix
 * socket is local (this server listens on TCP only).
 */
export function isLocalPeer(addr: string | undefined): boolean {
  return addr === '127.0.0.1' || addr === '::1' || addr === '::ffff:127.0.0.1';
}

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
    const inst = this.instance;
    const stats = inst.stats;
    this.sockets.add(sock);
    sock.once('close', () => this.sockets.delete(sock));
    // acceptCommonHandler, then clientAcceptHandler (networking.c 7.0): a refused connection is
    // counted in rejected_connections, not in total_connections_received
    if (this.clients.size >= (inst.options.maxClients ?? 10000)) {
      stats.rejectedConnections++;
      sock.end('-ERR max number of clients reached\r\n');
      return;
    }
    if (inst.protectedMode && inst.requirepass === undefined && !isLocalPeer(sock.remoteAddress)) {
      stats.rejectedConnections++;
      sock.end(PROTECTED_MODE_DENIED);
      return;
    }
    stats.connectionsReceived++;
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
    for (const c of this.clients.values()) s += c.memoryUsage();
    return s;
  }

  /**
   * evictClients (networking.c 7.0), before each command and after each batch (processCommand,
   * beforeSleep): while the clients' memory (normal and pubsub clients, getClientMemoryUsage)
   * is at maxmemory-clients or more, the client in the highest memory-usage bucket (log2 of its
   * memory, 32 KB and up) that may be evicted (not CLIENT NO-EVICT) is closed. Redis takes a
   * bucket's clients in the order they entered it; here, in connection order. Returns whether
   * any client was evicted.
   */
  evictClients(): boolean {
    const inst = this.instance;
    const limit = inst.clientEvictionLimit();
    if (limit === 0) return false;
    let total = 0;
    const cands: { c: Client; mem: number; bucket: number }[] = [];
    for (const c of this.clients.values()) {
      // stat_clients_type_memory of CLIENT_TYPE_NORMAL and CLIENT_TYPE_PUBSUB: not replicas
      if (c.session.replica) continue;
      const mem = c.memoryUsage();
      total += mem;
      if (c.evictionAllowed()) cands.push({ c, mem, bucket: memUsageBucket(mem) });
    }
    if (total < limit) return false;
    cands.sort((a, b) => b.bucket - a.bucket || a.c.id - b.c.id);
    let any = false;
    for (const { c, mem } of cands) {
      if (total < limit) break;
      this.log(`Evicting client: ${c.info()}`);
      total -= mem;
      c.evict();
      inst.counters.evictedClients++;
      any = true;
    }
    if (total >= limit) this.log('Over client maxmemory after evicting all evictable clients');
    return any;
  }
}

/** CLIENT_MEM_USAGE_BUCKET_MIN_LOG / MAX_LOG (server.h 7.0) */
const BUCKET_MIN_LOG = 15;
const BUCKET_MAX_LOG = 33;

/** getMemUsageBucket (server.c 7.0): the number of bits of `mem`, clamped to the bucket range */
function memUsageBucket(mem: number): number {
  const bits = mem > 0 ? Math.floor(Math.log2(mem)) + 1 : 0;
  return Math.min(BUCKET_MAX_LOG, Math.max(BUCKET_MIN_LOG, bits)) - BUCKET_MIN_LOG;
}
