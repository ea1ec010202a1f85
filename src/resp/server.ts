/**
 * The RESP listener: serves dumps (values read back by offset) and live writes to redis-cli and
 * Redis clients, with MEMORY USAGE / STATS / DOCTOR and INFO memory kept current per write.
 *
 * Like Redis, one thread runs every command to completion in arrival order; a client's
 * pipelined commands run in one go and their replies leave in one write.
 */
import net from 'node:net';
import type { Socket } from 'node:net';
import { ReplyWriter, setDoubleFormat } from './encoder.js';
import { Client } from './client.js';
import { findCommand } from './command-lookup.js';
import { ReplyError, ERR, unknownCommand, wrongArgs, printable } from './errors.js';
import type { CommandSpec } from './command.js';
import { COMMANDS } from './commands/index.js';
import { DEFAULT_LIMITS, type DecoderLimits } from './decoder.js';
import { Database, type DbShared } from '../engine/database.js';
import { EngineError } from '../engine/apply.js';
import { DumpStore, WeightedLru } from '../engine/dump-store.js';
import type { LiveValue } from '../engine/values.js';
import type { ServerProfile } from '../memory/profiles.js';
import { profile as makeProfile } from '../memory/profiles.js';
import { featuresOf } from '../memory/sizes.js';
import type { DumpAnalysis } from '../memory/analyze.js';
import type { LoadedDumps } from '../engine/load.js';
import { memoryStats as dumpMemoryStats } from '../memory/stats.js';
import { memoryDoctor as dumpMemoryDoctor } from '../memory/doctor.js';
import { liveStats, type MemoryStatsResult } from './commands/MEMORY_STATS.js';

export interface ServerOptions {
  port?: number;
  host?: string;
  requirepass?: string;
  readOnly?: boolean;
  /** update memory per write (default true; --no-tracking turns it off) */
  tracking?: boolean;
  /** the modelled server (default: the first dump's, else redis-7.0) */
  profile?: ServerProfile;
  /** loaded dumps: keyspaces per db, file paths (or in-memory sources), analyses */
  loaded?: LoadedDumps;
  /** replica mode: keys are expired by the primary, not here (see Follower) */
  following?: boolean;
  databases?: number;
  /** bytes of decoded dump values kept (default 64 MB) */
  cacheBytes?: number;
  maxClients?: number;
  /** close a client whose pending output passes this many bytes (0: no limit, like Redis's normal class) */
  outputBufferLimit?: number;
  limits?: Partial<DecoderLimits>;
  log?: (line: string) => void;
  /** time source (tests) */
  now?: () => number;
}

export interface ServerStats {
  connectionsReceived: number;
  commandsProcessed: number;
  rejectedConnections: number;
  netInput: number;
  netOutput: number;
  reads: number;
  errorReplies: number;
  expiredKeys: number;
  hits: number;
  misses: number;
  peakMemory: number;
}

/** the release each profile stands for (HELLO, INFO redis_version) */
const REDIS_VERSIONS: Record<string, string> = {
  'redis-5.0': '5.0.14',
  'redis-6.2': '6.2.14',
  'redis-7.0': '7.0.15',
  'redis-7.2': '7.2.6',
  'redis-7.4': '7.4.1',
  'redis-8.0': '8.0.0',
};

/** Redis's used_memory right after startup on 7.0 (MEMORY STATS startup.allocated, Debian 7.0.15) */
const STARTUP_ALLOCATED = 876048;

export class RespServer {
  readonly options: ServerOptions;
  profile: ServerProfile;
  readonly dbs: Database[];
  readonly shared: DbShared;
  readonly writer = new ReplyWriter();
  readonly limits: DecoderLimits;
  readonly clients = new Map<number, Client>();
  readonly stats: ServerStats;
  readonly startedAt = Date.now();
  readonly runId: string;
  readonly commands = new Map<string, CommandSpec>();
  analyses: DumpAnalysis[];
  files: string[];
  /** set while following a primary: its INFO replication lines, and the client applying its stream */
  follower: FollowerHooks | null = null;
  private nextClientId = 1;
  private net: net.Server | null = null;
  private timer: NodeJS.Timeout | null = null;
  private rngState = 0x9e3779b9;
  port = 0;
  /** keys dropped at startup because they had expired */
  loadExpired = 0;
  loadedKeys = 0;

  constructor(options: ServerOptions = {}) {
    this.options = options;
    const loaded = options.loaded;
    this.analyses = loaded?.analyses ?? [];
    this.files = loaded?.files ?? [];
    this.profile = options.profile ?? this.analyses[0]?.profile ?? makeProfile('redis-7.0');
    setDoubleFormat(this.profile.version);
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    const now = options.now ?? Date.now;
    const stats = { expiredKeys: 0, hits: 0, misses: 0 };
    this.shared = {
      env: { f: featuresOf(this.profile), cfg: this.profile.config },
      dumps: loaded && loaded.files.length > 0 ? new DumpStore(loaded.sources ?? loaded.files) : null,
      cache: new WeightedLru<number, LiveValue>(options.cacheBytes ?? 64 << 20),
      tracking: options.tracking !== false,
      stats,
      now,
      following: options.following === true,
      applyingMaster: false,
    };
    let maxDb = (options.databases ?? 16) - 1;
    if (loaded) for (const db of loaded.dbs.keys()) maxDb = Math.max(maxDb, db);
    this.dbs = [];
    for (let i = 0; i <= maxDb; i++) {
      const d = new Database(i, this.shared, loaded?.dbs.get(i));
      this.loadExpired += d.init();
      this.loadedKeys += d.size;
      this.dbs.push(d);
    }
    this.stats = {
      connectionsReceived: 0,
      commandsProcessed: 0,
      rejectedConnections: 0,
      netInput: 0,
      netOutput: 0,
      reads: 0,
      errorReplies: 0,
      get expiredKeys() {
        return stats.expiredKeys;
      },
      get hits() {
        return stats.hits;
      },
      get misses() {
        return stats.misses;
      },
      peakMemory: 0,
    } as ServerStats;
    this.runId = Array.from({ length: 40 }, () => '0123456789abcdef'[Math.floor(Math.random() * 16)]).join('');
    for (const spec of COMMANDS) this.register(spec);
    this.baseline = null;
    this.computeBaseline();
  }

  private computeBaseline(): void {
    this.baseline = null;
    this.doctorText = undefined;
    if (this.analyses.length > 0) {
      try {
        this.baseline = { dump: dumpMemoryStats(this.analyses), own: liveStats(this) };
      } catch (e) {
        this.log(`MEMORY STATS falls back to the live model alone: ${(e as Error).message}`);
      }
    }
  }

  /**
   * Replace the whole dataset (a replica's full resync: emptyData, then the primary's RDB).
   * Clients keep their selected db numbers; values held from the old dataset are dropped.
   */
  replaceDataset(loaded: LoadedDumps): void {
    const p = loaded.analyses[0]?.profile;
    if (p && p !== this.profile) {
      // the primary's version is known from its RDB
      this.profile = p;
      this.shared.env.f = featuresOf(p);
      this.shared.env.cfg = p.config;
      setDoubleFormat(p.version);
    }
    this.shared.dumps?.close();
    this.shared.dumps = loaded.files.length > 0 ? new DumpStore(loaded.sources ?? loaded.files) : null;
    this.shared.cache.clear();
    this.analyses = loaded.analyses;
    this.files = loaded.files;
    let maxDb = this.dbs.length - 1;
    for (const db of loaded.dbs.keys()) maxDb = Math.max(maxDb, db);
    this.loadExpired = 0;
    this.loadedKeys = 0;
    for (let i = 0; i <= maxDb; i++) {
      const d = new Database(i, this.shared, loaded.dbs.get(i));
      this.loadExpired += d.init();
      this.loadedKeys += d.size;
      this.dbs[i] = d;
    }
    for (const c of this.clients.values()) c.db = this.dbs[c.dbIndex]!;
    const m = this.follower?.masterClient();
    if (m) m.db = this.dbs[m.dbIndex]!;
    this.computeBaseline();
  }

  private readonly specs: CommandSpec[] = [];

  /** every command served, once (COMMAND, COMMAND COUNT) */
  commandList(): readonly CommandSpec[] {
    return this.specs;
  }

  /** the version HELLO and INFO report: the modelled server's */
  redisVersion(): string {
    const p = this.profile;
    if (p.valkey) return '7.2.4';
    return REDIS_VERSIONS[p.id] ?? '7.0.15';
  }

  /** rdblens's own version (INFO rdblens_version) */
  version = '0.1.0';

  private register(spec: CommandSpec): void {
    this.specs.push(spec);
    this.commands.set(spec.name, spec);
    this.commands.set(spec.name.toUpperCase(), spec);
  }

  log(line: string): void {
    this.options.log?.(line);
  }

  /** A deterministic fast PRNG for sampling (SPOP, RANDOMKEY, active expiry). */
  random = (): number => {
    let t = (this.rngState += 0x6d2b79f5);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  /** Listen; resolves with the bound port. */
  listen(): Promise<number> {
    const srv = net.createServer({ noDelay: true }, (sock) => this.accept(sock));
    this.net = srv;
    srv.maxConnections = (this.options.maxClients ?? 10000) + 32;
    return new Promise((resolve, reject) => {
      srv.once('error', reject);
      srv.listen(this.options.port ?? 6379, this.options.host ?? '127.0.0.1', () => {
        srv.off('error', reject);
        const a = srv.address();
        this.port = typeof a === 'object' && a ? a.port : 0;
        this.timer = setInterval(() => this.cron(), 100);
        this.timer.unref();
        resolve(this.port);
      });
    });
  }

  /** every open socket, closing ones included (close() ends them all) */
  private readonly sockets = new Set<Socket>();

  private accept(sock: Socket): void {
    this.stats.connectionsReceived++;
    this.sockets.add(sock);
    sock.once('close', () => this.sockets.delete(sock));
    if (this.clients.size >= (this.options.maxClients ?? 10000)) {
      this.stats.rejectedConnections++;
      sock.end('-ERR max number of clients reached\r\n');
      return;
    }
    const c = new Client(this, sock, this.nextClientId++);
    this.clients.set(c.id, c);
  }

  removeClient(c: Client): void {
    this.clients.delete(c.id);
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
    this.shared.dumps?.close();
  }

  /** serverCron at hz 10: active expiry and the memory peak. */
  private cron(): void {
    const deadline = Date.now() + 25;
    for (const db of this.dbs) {
      if (db.expires > 0 && !this.shared.following) db.activeExpire(deadline, this.random);
      db.maybeCompact();
      if (Date.now() > deadline) break;
    }
    const used = this.usedMemory();
    if (used > this.stats.peakMemory) this.stats.peakMemory = used;
  }

  /** Run one command for a client (processCommand, server.c). */
  execute(c: Client, argv: Buffer[]): void {
    const w = c.w;
    const a0 = argv[0]!;
    let spec = findCommand(this.commands, a0);
    if (spec === undefined) {
      const name = a0.latin1Slice(0, a0.length);
      spec = this.commands.get(name) ?? this.commands.get(name.toLowerCase());
    }
    this.stats.commandsProcessed++;
    if (spec === undefined) {
      this.stats.errorReplies++;
      w.error(unknownCommand(argv));
      return;
    }
    if (spec.subcommands && argv.length >= 2) {
      const subName = argv[1]!.latin1Slice(0, argv[1]!.length).toLowerCase();
      const sub = spec.subcommands.find((s) => s.name === `${spec!.name}|${subName}`);
      if (!sub) {
        this.stats.errorReplies++;
        w.error(`ERR unknown subcommand '${printable(argv[1]!, 128)}'. Try ${spec.name.toUpperCase()} HELP.`);
        return;
      }
      spec = sub;
    }
    const n = argv.length;
    if ((spec.arity > 0 && n !== spec.arity) || n < -spec.arity) {
      this.stats.errorReplies++;
      w.error(wrongArgs(spec.name).message);
      return;
    }
    if (!c.authenticated && !spec.noAuth) {
      this.stats.errorReplies++;
      w.error(ERR.NOAUTH);
      return;
    }
    if (spec.write && (this.options.readOnly || this.shared.following) && c !== this.follower?.masterClient()) {
      this.stats.errorReplies++;
      w.error(ERR.READONLY);
      return;
    }
    c.lastCommand = spec.name;
    const mark = w.pos;
    try {
      spec.handler(c, argv);
    } catch (e) {
      if (e instanceof ReplyError || e instanceof EngineError) {
        w.rewind(mark);
        this.stats.errorReplies++;
        w.error(e.message);
        return;
      }
      throw e;
    }
  }

  // ---------------------------------------------------------------- memory totals

  /** Sum of MEMORY USAGE over every key of every db. */
  datasetKeysMemory(): number {
    let s = 0;
    for (const db of this.dbs) s += db.usedMemory;
    return s;
  }

  /** allocator bytes the keys take beyond their MEMORY USAGE (Database.allocExtra) */
  allocationExtra(): number {
    let s = 0;
    for (const db of this.dbs) s += db.allocExtra;
    return s;
  }

  /**
   * The main and expires dicts' own overhead (getMemoryOverheadData): per key a dictEntry, an
   * robj and a bucket; per key with a TTL an entry and a bucket. The entry and robj are also
   * in each key's MEMORY USAGE, so only the buckets are added to used_memory here.
   */
  dbOverhead(db: Database): { main: number; expires: number; mainBuckets: number; expiresBuckets: number } {
    const f = this.shared.env.f;
    const n = db.size;
    const e = db.expires;
    const mainSlots = n === 0 ? 0 : bucketsFor(n);
    const expSlots = e === 0 ? 0 : bucketsFor(e);
    return {
      main: n * (24 + 16 + f.clusterEntryMeta) + mainSlots * 8,
      expires: e * 24 + expSlots * 8,
      mainBuckets: mainSlots * 8,
      expiresBuckets: expSlots * 8 + e * 24,
    };
  }

  /** clients.normal: our clients' buffers (a follower models its primary, whose clients it can't see: 0) */
  clientsMemory(): number {
    if (this.follower) return 0;
    let s = 0;
    for (const c of this.clients.values()) s += c.decoder.buffered + c.socket.writableLength;
    return s;
  }

  /** used_memory as the modelled server would report it. */
  usedMemory(): number {
    // a follower estimates its primary's used_memory: the primary's backlog and replica clients, not our clients
    let m = STARTUP_ALLOCATED + this.datasetKeysMemory() + this.allocationExtra() + this.clientsMemory();
    if (this.follower) {
      const r = this.follower.replicationMemory();
      m += r.backlog + r.slaves;
    }
    for (const db of this.dbs) {
      const o = this.dbOverhead(db);
      m += o.mainBuckets + o.expiresBuckets;
    }
    return Math.round(m);
  }

  private baseline: { dump: { fields: [string, unknown][] }; own: MemoryStatsResult } | null | undefined;

  /**
   * MEMORY STATS of the loaded dumps from the dump model (src/memory/stats.ts) and the live
   * model's own figures at startup: live changes are added to the former. Null without dumps.
   */
  dumpStatsBaseline(): { dump: { fields: [string, unknown][] }; own: MemoryStatsResult } | null {
    return this.baseline ?? null;
  }

  private doctorText: string | null | undefined;

  /** src/memory/doctor.ts's report on the loaded dumps (computed once), null without dumps */
  dumpDoctor(): string | null {
    if (this.doctorText === undefined) {
      this.doctorText = null;
      if (this.analyses.length > 0) {
        try {
          this.doctorText = dumpMemoryDoctor(this.analyses).text;
        } catch (e) {
          this.log(`no dump doctor report: ${(e as Error).message}`);
        }
      }
    }
    return this.doctorText;
  }

  startupAllocated(): number {
    return STARTUP_ALLOCATED;
  }
}

/** What a replica link (src/replica) lends the server while it follows a primary. */
export interface FollowerHooks {
  /** INFO replication's lines */
  infoLines(): [string, string | number][];
  /** the client running the primary's commands (writes allowed), null while none */
  masterClient(): Client | null;
  /** used_memory parts that exist on the primary because of replication: its backlog, its replica clients */
  replicationMemory(): { backlog: number; slaves: number };
}

/** buckets of a main dict holding n keys (grown to the next power of two, as dictExpand does) */
function bucketsFor(n: number): number {
  let s = 4;
  while (s < n) s *= 2;
  return s;
}
