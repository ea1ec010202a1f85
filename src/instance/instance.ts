/**
 * One modelled Redis server's data side: its databases (loaded dumps and live writes), the
 * configuration and memory profile, the live memory model and its INFO / MEMORY figures, and
 * the stats. It knows no socket: the RESP server (src/resp) is one front end that runs commands
 * against it (src/commands), the replica's primary link (src/replica) another, the TUI reads
 * its figures directly.
 */
import { TrackingTable } from './tracking.js';
import { setDoubleFormat } from '../protocol/encoder.js';
import { DEFAULT_LIMITS, type DecoderLimits } from '../protocol/decoder.js';
import { Database, type DbShared } from '../engine/database.js';
import { DumpStore, WeightedLru } from '../engine/dump-store.js';
import type { LiveValue } from '../engine/types/generic.js';
import type { ServerProfile } from '../memory/profiles.js';
import { profile as makeProfile, redisVersionOf, startupMemory } from '../memory/profiles.js';
import { featuresOf, DICT_ENTRY, ROBJ } from '../memory/sizes.js';

const DEL = Buffer.from('DEL');
/** sizeof(dictEntry*): a dict bucket */
const POINTER = 8;
/** dict.h / server.h 7.0 */
const DICT_HT_INITIAL_SIZE = 4;
const HASHTABLE_MAX_LOAD_FACTOR = 1.618;
const HASHTABLE_MIN_FILL = 10;
import type { DumpAnalysis } from '../memory/analyze.js';
import type { LoadedDumps } from '../engine/load.js';
import { memoryStats as dumpMemoryStats } from '../memory/stats.js';
import { memoryDoctor as dumpMemoryDoctor } from '../memory/doctor.js';
import { liveStats, memoryStats, type MemoryStatsResult } from './memory.js';
import { PubSub, NOTIFY } from './pubsub.js';
import { WatchRegistry } from './watch.js';
import { BlockingRegistry } from './blocking.js';
import { Observe } from './observe.js';
import { Settings } from './settings.js';
import { Scripting } from '../scripting/index.js';
import { InstanceEviction, lruHooks } from './eviction.js';
import { ReplicationStream } from './replication.js';
import { EVICT_OK, type EvictResult, type EvictionConfig } from '../memory/evict.js';

export interface InstanceOptions {
  /** the modelled server (default: the first dump's, else redis-7.0) */
  profile?: ServerProfile;
  /** loaded dumps: keyspaces per db, file paths (or in-memory sources), analyses */
  loaded?: LoadedDumps;
  /** replica mode: keys are expired by the primary, not here (see Follower) */
  following?: boolean;
  /** refuse writes from clients (--read-only) */
  readOnly?: boolean;
  databases?: number;
  /** bytes of decoded dump values kept (default 64 MB) */
  cacheBytes?: number;
  /** update memory per write (default true; --no-tracking turns it off) */
  tracking?: boolean;
  /** requirepass: the default user's password (AUTH, HELLO AUTH); '' is none, as in Redis */
  requirepass?: string;
  /** protected-mode (default yes): refuse non-loopback clients while no password is set */
  protectedMode?: boolean;
  /** maxclients (CONFIG GET, INFO; the RESP server enforces it) */
  maxClients?: number;
  /** client-output-buffer-limit normal: close a client whose pending output passes this (0: none) */
  outputBufferLimit?: number;
  /** proto-max-bulk-len, client-query-buffer-limit and the other request limits */
  limits?: Partial<DecoderLimits>;
  /** bind (CONFIG GET) */
  host?: string;
  log?: (line: string) => void;
  /** time source (tests) */
  now?: () => number;
  /** CONFIG GET dir, where SAVE writes (default: the working directory, as redis-server's) */
  dir?: string;
  /** maxmemory and the eviction settings (--config); CONFIG SET changes them */
  eviction?: Partial<EvictionConfig>;
}

export interface InstanceStats {
  connectionsReceived: number;
  commandsProcessed: number;
  rejectedConnections: number;
  netInput: number;
  netOutput: number;
  reads: number;
  errorReplies: number;
  readonly expiredKeys: number;
  readonly hits: number;
  readonly misses: number;
  peakMemory: number;
}

/** What a network front end (the RESP server) lends the instance for INFO, CONFIG GET and MEMORY STATS. */
export interface Frontend {
  /** the bound port (INFO tcp_port, CONFIG GET port) */
  readonly port: number;
  /** INFO clients: connected clients and the largest query / output buffers */
  clientFigures(): { connected: number; maxInput: number; maxOutput: number };
  /** clients.normal: what the clients' buffers hold */
  clientsMemory(): number;
}

/** What a replica link (src/replica) lends the instance while it follows a primary. */
export interface FollowerHooks {
  /** INFO replication's lines */
  infoLines(): [string, string | number][];
  /** used_memory parts that exist on the primary because of replication: its backlog, its replica clients */
  replicationMemory(): { backlog: number; slaves: number };
}

export class Instance {
  readonly options: InstanceOptions;
  profile: ServerProfile;
  readonly dbs: Database[];
  readonly shared: DbShared;
  readonly limits: DecoderLimits;
  readonly stats: InstanceStats;
  readonly startedAt = Date.now();
  /** server.dirty: changes since the last save (INFO rdb_changes_since_last_save); see commands/_dirty.ts */
  dirty = 0;
  /** server.lastsave, in seconds (LASTSAVE, INFO rdb_last_save_time): the start, or the last SAVE */
  lastSave = Math.floor(this.startedAt / 1000);
  /** SAVE / BGSAVE state for INFO persistence (src/instance/save.ts) */
  readonly persistence = { saves: 0, lastStatusOk: true, bgsave: null as Promise<void> | null, bgsaveStarted: 0, lastBgsaveSecs: -1 };
  /** SHUTDOWN: set by the network front end that can stop serving (null: SHUTDOWN cannot stop anything) */
  onShutdown: (() => void) | null = null;
  readonly runId: string;
  analyses: DumpAnalysis[];
  files: string[];
  /** the network front end serving this instance, null when none (the TUI's follower) */
  frontend: Frontend | null = null;
  /** set while following a primary: its INFO replication lines and replication memory */
  follower: FollowerHooks | null = null;
  /** keys dropped at startup because they had expired */
  loadExpired = 0;
  loadedKeys = 0;
  /**
   * server.loading: the dumps are being read (serve listens from the start); clients get
   * -LOADING for commands without the "loading" flag until replaceDataset brings the keys in
   */
  loading = false;
  /** rdblens's own version (INFO rdblens_version) */
  version = '0.1.0';
  private rngState = 0x9e3779b9;
  /** channels, patterns, keyspace notifications (pubsub.ts) */
  readonly pubsub = new PubSub();
  /** WATCHed keys (watch.ts) */
  readonly watches = new WatchRegistry();
  /** clients blocked on keys (blocking.ts) */
  readonly blocking = new BlockingRegistry();
  /** client-side caching (CLIENT TRACKING): src/instance/tracking.ts */
  readonly tracking = new TrackingTable();
  /** commandstats, errorstats, latencystats, SLOWLOG, LATENCY (observe.ts) */
  readonly observe = new Observe();
  /** CONFIG SET values and their effects (settings.ts) */
  readonly settings: Settings;
  /** MONITOR connections: each command line is pushed to them */
  readonly monitors = new Set<{ push(b: Buffer): void }>();
  /** CLIENT PAUSE: until when (ms since epoch), and whether only writes wait */
  pause: { until: number; writeOnly: boolean } | null = null;
  /** connections holding a command until the pause ends */
  readonly pauseWaiters = new Set<() => void>();
  /** INFO stats counters added with the server commands */
  readonly counters = { unexpectedErrors: 0, totalBlockingKeys: 0, evictedClients: 0 };
  /** EVAL scripts and function libraries (src/scripting), their VMs started on first use */
  readonly scripting: Scripting;
  /** SYNC / PSYNC connections and what is propagated to them (replication.ts) */
  readonly replication = new ReplicationStream();
  /** maxmemory, the policy and the eviction engine (eviction.ts) */
  readonly eviction: InstanceEviction;
  /**
   * The default user's password (requirepass; undefined: nopass). An empty requirepass is no
   * password, as updateRequirePass (config.c) makes it; CONFIG SET requirepass changes it.
   */
  requirepass: string | undefined;
  /** protected-mode (CONFIG SET protected-mode): the RESP server's accept reads it */
  protectedMode: boolean;

  constructor(options: InstanceOptions = {}) {
    this.options = options;
    this.requirepass = options.requirepass === '' ? undefined : options.requirepass;
    this.protectedMode = options.protectedMode !== false;
    this.eviction = new InstanceEviction(this, options.eviction);
    const loaded = options.loaded;
    this.analyses = loaded?.analyses ?? [];
    this.files = loaded?.files ?? [];
    this.profile = options.profile ?? this.analyses[0]?.profile ?? makeProfile('redis-7.0');
    setDoubleFormat(this.profile.version);
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    const now = options.now ?? Date.now;
    const counts = { expiredKeys: 0, hits: 0, misses: 0 };
    this.shared = {
      env: { f: featuresOf(this.profile), cfg: this.profile.config },
      dumps: loaded && loaded.files.length > 0 ? new DumpStore(loaded.sources ?? loaded.files) : null,
      cache: new WeightedLru<number, LiveValue>(options.cacheBytes ?? 64 << 20),
      tracking: options.tracking !== false,
      stats: counts,
      now,
      following: options.following === true,
      applyingMaster: false,
      lru: lruHooks(() => this.eviction.config, () => this.shared.now(), this.random),
    };
    let maxDb = (options.databases ?? 16) - 1;
    if (loaded) for (const db of loaded.dbs.keys()) maxDb = Math.max(maxDb, db);
    this.scripting = new Scripting(this.shared.env.f, now);
    const libraries = this.analyses.flatMap((a) => a.libraries ?? []);
    if (libraries.length > 0) this.scripting.loadDumpLibraries(libraries, options.log ?? (() => {}));
    this.dbs = [];
    for (let i = 0; i <= maxDb; i++) {
      const d = new Database(i, this.shared, loaded?.dbs.get(i));
      this.loadExpired += d.init();
      this.loadedKeys += d.size;
      this.dbs.push(d);
    }
    this.trackDumps();
    this.stats = {
      connectionsReceived: 0,
      commandsProcessed: 0,
      rejectedConnections: 0,
      netInput: 0,
      netOutput: 0,
      reads: 0,
      errorReplies: 0,
      get expiredKeys() {
        return counts.expiredKeys;
      },
      get hits() {
        return counts.hits;
      },
      get misses() {
        return counts.misses;
      },
      peakMemory: 0,
    };
    this.settings = new Settings(this);
    this.shared.onExpired = (db, key) => {
      // deleteExpiredKeyAndPropagate: a DEL to the replicas
      if (this.replication.active) this.replication.alsoPropagate(this.dbPosition(db), [DEL, key]);
      if (this.pubsub.notifyFlags & NOTIFY.EXPIRED) this.pubsub.notify(NOTIFY.EXPIRED, 'expired', key, this.dbPosition(db));
    };
    this.runId = Array.from({ length: 40 }, () => '0123456789abcdef'[Math.floor(Math.random() * 16)]).join('');
    this.computeBaseline();
  }

  /** CLIENT UNPAUSE (or a pause's end): held commands go on */
  unpause(): void {
    this.pause = null;
    const w = [...this.pauseWaiters];
    this.pauseWaiters.clear();
    for (const f of w) f();
  }

  /** notify-keyspace-events changed: the engine reports new keys only while "n" is on */
  syncNotifyHooks(): void {
    this.shared.onNewKey =
      this.pubsub.notifyFlags & NOTIFY.NEW ? (db, key) => this.pubsub.notify(NOTIFY.NEW, 'new', key, this.dbPosition(db)) : null;
  }

  /** where a Database sits now (SWAPDB moves them; Database.index is where it started) */
  dbPosition(db: Database): number {
    return this.dbs[db.index] === db ? db.index : this.dbs.indexOf(db);
  }

  /**
   * Turn the engine's per-write key hook on while a WATCH or a blocked client needs it (and off
   * when nobody does, so writes pay nothing): call after either registry changed.
   */
  syncKeyHooks(): void {
    const want = this.watches.count > 0 || this.blocking.count > 0 || this.tracking.count > 0;
    this.shared.onTouch = want ? this.keyTouched : null;
  }

  /** signalModifiedKey + signalKeyAsReady for a key a write touched */
  private readonly keyTouched = (db: Database, key: Buffer): void => {
    const pos = this.dbPosition(db);
    const k = key.latin1Slice(0, key.length);
    if (this.watches.count > 0) this.watches.touch(pos, k, db.ks.find(key) >= 0);
    if (this.blocking.count > 0) this.blocking.touched(pos, k);
    if (this.tracking.count > 0) this.tracking.invalidate(key);
  };

  /** writes from clients are refused (--read-only, or a replica) */
  readOnly(): boolean {
    return this.options.readOnly === true || this.shared.following === true;
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
   * Contexts keep their selected db numbers; values held from the old dataset are dropped.
   */
  replaceDataset(loaded: LoadedDumps): void {
    const p = loaded.analyses[0]?.profile;
    if (p && p !== this.profile) {
      // the primary's version is known from its RDB
      this.profile = p;
      this.shared.env.f = featuresOf(p);
      this.shared.env.cfg = p.config;
      setDoubleFormat(p.version);
      this.settings.reapply();
    }
    this.shared.dumps?.close();
    this.shared.dumps = loaded.files.length > 0 ? new DumpStore(loaded.sources ?? loaded.files) : null;
    this.shared.cache.clear();
    this.analyses = loaded.analyses;
    this.files = loaded.files;
    // a full sync brings the primary's function libraries in place of ours (rdbLoad's functions)
    this.scripting.replaceLibraries(loaded.analyses.flatMap((a) => a.libraries ?? []), this.options.log ?? (() => {}));
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
    this.trackDumps();
    this.computeBaseline();
  }

  /** An in-memory dump gives back what no key refers to any more (MemoryDump.track). */
  private trackDumps(): void {
    const store = this.shared.dumps;
    if (!store) return;
    store.track((file) => {
      let n = 0;
      for (const db of this.dbs) for (const id of db.ks.ids()) if (db.ks.offsetOf(id) >= 0 && db.ks.fileOf(id) === file) n++;
      const out = new Float64Array(n);
      let k = 0;
      for (const db of this.dbs) for (const id of db.ks.ids()) if (db.ks.offsetOf(id) >= 0 && db.ks.fileOf(id) === file) out[k++] = db.ks.offsetOf(id);
      return out;
    });
  }

  /** the version HELLO and INFO report: the modelled server's */
  redisVersion(): string {
    return redisVersionOf(this.profile);
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

  /** serverCron's data part at hz 10 (the front end's timer calls it): active expiry, compaction, the memory peak. */
  cron(): void {
    const deadline = Date.now() + 25;
    for (const db of this.dbs) {
      if (db.expires > 0 && !this.shared.following) db.activeExpire(deadline, this.random);
      db.maybeCompact();
      if (Date.now() > deadline) break;
    }
    this.resizeDictTables();
    const used = this.usedMemory();
    if (used > this.stats.peakMemory) this.stats.peakMemory = used;
    if (this.shared.following) this.reportPrimaryEviction(used);
  }

  private primaryOver = false;

  /**
   * A follower never evicts (a replica ignores maxmemory); with a maxmemory given it says, once
   * per crossing, when its primary would be over it, by how much, and what its policy then does.
   */
  private reportPrimaryEviction(used: number): void {
    const st = this.eviction.evictor.getMaxmemoryState();
    const over = !st.ok;
    if (over && !this.primaryOver) {
      const c = this.eviction.config;
      const what = c['maxmemory-policy'] === 'noeviction' ? 'refuses writes with -OOM' : `evicts keys by ${c['maxmemory-policy']} (their DELs arrive in the stream)`;
      this.log(`following: the primary's used_memory is about ${used}, ${st.tofree} bytes over maxmemory ${c.maxmemory}: it ${what}; this replica does not evict`);
    } else if (!over && this.primaryOver) this.log(`following: the primary's used_memory is about ${used}, under maxmemory again`);
    this.primaryOver = over;
  }

  /** Let go of the dump files (and the eviction time proc). */
  close(): void {
    this.eviction.close();
    this.shared.dumps?.close();
  }

  /**
   * getClientEvictionLimit (networking.c 7.0): maxmemory-clients in bytes, or as a share of
   * maxmemory ("N%", none without a maxmemory); never under 128 KB; 0: no client eviction.
   */
  clientEvictionLimit(): number {
    const raw = this.settings.maxmemoryClients();
    if (raw === '0') return 0;
    let limit: number;
    const pct = /^(\d+)%$/.exec(raw);
    if (pct) {
      const max = this.eviction.config.maxmemory;
      if (max <= 0 || Number(pct[1]) === 0) return 0;
      limit = Math.floor((max * Number(pct[1])) / 100);
    } else {
      limit = Number(raw);
      if (!(limit > 0)) return 0;
    }
    return Math.max(limit, 1024 * 128);
  }

  /** performEvictions before a command (processCommand): EVICT_OK without a limit */
  performEvictions(): EvictResult {
    if (!this.eviction.config.maxmemory) return EVICT_OK;
    return this.eviction.evictor.performEvictions();
  }

  /**
   * freeMemoryGetNotCountedMemory: replication buffers beyond the backlog (a follower models
   * its primary's replica output buffers as such), the AOF buffer (none here).
   */
  memNotCountedForEvict(): number {
    return this.follower ? this.follower.replicationMemory().slaves : 0;
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
   * The bucket arrays of each database's main and expires dicts (DICTHT_SIZE, in buckets), as
   * the dicts have grown and shrunk: see syncDictTables. Keyed by the Database (SWAPDB moves them).
   */
  private readonly dictTables = new WeakMap<Database, { main: number; expires: number }>();

  private tablesOf(db: Database): { main: number; expires: number } {
    let t = this.dictTables.get(db);
    if (!t) {
      // a database seen for the first time: as rdbLoad's dictExpand sized it
      t = { main: db.size === 0 ? 0 : bucketsFor(db.size), expires: db.expires === 0 ? 0 : bucketsFor(db.expires) };
      this.dictTables.set(db, t);
    }
    // emptyDb / dictEmpty: an emptied dict has no table
    if (db.size === 0) t.main = 0;
    if (db.expires === 0) t.expires = 0;
    return t;
  }

  /**
   * _dictExpandIfNeeded (dict.c 7.0) of every db's main and expires dict that has outgrown its
   * table, with dictExpandAllowed (server.c) as their dictType's expandAllowed: up to
   * HASHTABLE_MAX_LOAD_FACTOR (1.618 keys per bucket) a dict does not grow when the new table
   * would take used_memory past maxmemory (overMaxmemoryAfterAlloc, evict.c); it goes on
   * chaining in the table it has. Redis checks at each insert; the model checks whenever
   * used_memory is read (before every command while maxmemory is set), which is the same
   * decision as long as a table would not have had to double twice in between. `used` is
   * used_memory with the tables as they are; returns it with the tables as they are now.
   */
  private syncDictTables(used: number): number {
    const max = this.eviction.config.maxmemory;
    for (const db of this.dbs) {
      const t = this.tablesOf(db);
      for (const which of ['main', 'expires'] as const) {
        const n = which === 'main' ? db.size : db.expires;
        const size = t[which];
        if (n <= size) continue;
        const next = bucketsFor(n);
        if (size > 0 && n / size <= HASHTABLE_MAX_LOAD_FACTOR && max > 0) {
          const more = next * POINTER;
          // overMaxmemoryAfterAlloc
          if (used + more > max && Math.max(0, used - this.memNotCountedForEvict()) + more > max) continue;
        }
        used += (next - size) * POINTER;
        t[which] = next;
      }
    }
    return used;
  }

  /**
   * tryResizeHashTables (databasesCron, server.c 7.0): a dict whose table is under
   * HASHTABLE_MIN_FILL (10 %) full is shrunk to the smallest power of two that holds its keys
   * (dictResize, never below DICT_HT_INITIAL_SIZE).
   */
  private resizeDictTables(): void {
    for (const db of this.dbs) {
      const t = this.tablesOf(db);
      for (const which of ['main', 'expires'] as const) {
        const n = which === 'main' ? db.size : db.expires;
        const size = t[which];
        if (size > DICT_HT_INITIAL_SIZE && (n * 100) / size < HASHTABLE_MIN_FILL) t[which] = bucketsFor(Math.max(n, DICT_HT_INITIAL_SIZE));
      }
    }
  }

  /**
   * The main and expires dicts' own overhead (getMemoryOverheadData): per key a dictEntry, an
   * robj and a bucket; per key with a TTL an entry and a bucket. The entry and robj are also
   * in each key's MEMORY USAGE, so only the buckets are added to used_memory here. The bucket
   * arrays are the tables the dicts have now (syncDictTables, resizeDictTables).
   */
  dbOverhead(db: Database): { main: number; expires: number; mainBuckets: number; expiresBuckets: number } {
    const f = this.shared.env.f;
    const n = db.size;
    const e = db.expires;
    const t = this.tablesOf(db);
    const mainSlots = t.main;
    const expSlots = t.expires;
    return {
      main: n * (DICT_ENTRY + ROBJ + f.clusterEntryMeta) + mainSlots * POINTER,
      expires: e * DICT_ENTRY + expSlots * POINTER,
      mainBuckets: mainSlots * POINTER,
      expiresBuckets: expSlots * POINTER + e * DICT_ENTRY,
    };
  }

  /** clients.normal: the front end's clients' buffers (a follower models its primary, whose clients it can't see: 0) */
  clientsMemory(): number {
    if (this.follower) return 0;
    return this.frontend?.clientsMemory() ?? 0;
  }

  /** used_memory as the modelled server would report it. */
  usedMemory(): number {
    // a follower estimates its primary's used_memory: the primary's backlog and replica clients, not our clients
    let m = this.startupAllocated() + this.datasetKeysMemory() + this.allocationExtra() + this.clientsMemory() + this.scriptingMemory();
    if (this.follower) {
      const r = this.follower.replicationMemory();
      m += r.backlog + r.slaves;
    }
    for (const db of this.dbs) {
      const o = this.dbOverhead(db);
      m += o.mainBuckets + o.expiresBuckets;
    }
    return Math.round(this.syncDictTables(m));
  }

  /**
   * What scripting adds to used_memory (zmalloc'd: the script cache, the libraries beyond their
   * empty dictionaries, which startup already holds); the Lua heaps are not zmalloc'd and not counted.
   */
  scriptingMemory(): number {
    if (this.profile.version < 700) return this.scripting.scripts.scriptsMemory();
    const m = this.scripting.memory();
    return m.scriptsEval + m.functions - startupMemory(this.profile).functionsEmpty;
  }

  /** used_memory_startup of the modelled server (MEMORY STATS startup.allocated), per profile */
  startupAllocated(): number {
    return startupMemory(this.profile).startup;
  }

  /** MEMORY STATS now (memory.ts) */
  memoryStats(): MemoryStatsResult {
    return memoryStats(this);
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
}

/** buckets of a main dict holding n keys (grown to the next power of two, as dictExpand does) */
function bucketsFor(n: number): number {
  let s = 4;
  while (s < n) s *= 2;
  return s;
}
