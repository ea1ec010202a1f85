/**
 * maxmemory and eviction as Redis 7.0 does them (evict.c, with the LRU/LFU bits of object.c and
 * db.c), over any keyspace that implements `EvictionKeyspace`: the dump simulation of
 * `rdblens evict` (src/engine/evict-dump.ts) and the live server.
 *
 * Every function names the C function it mirrors. What differs, and why:
 *
 * - Sampling. Redis samples with dictGetSomeKeys: from a random bucket it walks consecutive
 *   buckets of the hash table, taking every entry of each chain, until it has `count` keys (at
 *   most count*10 steps, jumping elsewhere after a run of empty buckets). Hash order is
 *   independent of a key's name, age and size, so a sample is a set of keys that are random in
 *   every respect the policies look at, but neighbouring in the table (a chain's keys arrive
 *   together) and never repeated within one call. `EvictionKeyspace.sampleKeys` stands for it:
 *   the implementations here draw `count` distinct keys uniformly (all of them when the dict
 *   holds no more than `count`), which is what the bucket walk amounts to statistically; the
 *   exact keys drawn differ, so runs are compared by distribution, not key by key.
 * - dictGetRandomKey is `randomKey`: one uniform key.
 * - rand()/random() are a seeded PRNG (`EvictionRandom`), so a simulation can be repeated.
 * - The LRU clock is read from the caller's clock at each call (Redis caches it in serverCron at
 *   hz 10, LRU_CLOCK); at LRU_CLOCK_RESOLUTION 1000 ms the difference is invisible.
 * - Memory freed by a deletion is what the keyspace's model says the key took (Redis measures
 *   zmalloc_used_memory before and after dbSyncDelete); lazyfree-lazy-eviction is not modelled
 *   (Redis 7.0's default is no).
 */

// ------------------------------------------------------------------ constants (server.h)

export const EVPOOL_SIZE = 16;
/** LRU_BITS 24 */
export const LRU_BITS = 24;
export const LRU_CLOCK_MAX = (1 << LRU_BITS) - 1;
/** ms per LRU clock tick */
export const LRU_CLOCK_RESOLUTION = 1000;
export const LFU_INIT_VAL = 5;

export const MAXMEMORY_FLAG_LRU = 1 << 0;
export const MAXMEMORY_FLAG_LFU = 1 << 1;
export const MAXMEMORY_FLAG_ALLKEYS = 1 << 2;
export const MAXMEMORY_FLAG_NO_SHARED_INTEGERS = MAXMEMORY_FLAG_LRU | MAXMEMORY_FLAG_LFU;

export const MAXMEMORY_POLICY = {
  'volatile-lru': (0 << 8) | MAXMEMORY_FLAG_LRU,
  'volatile-lfu': (1 << 8) | MAXMEMORY_FLAG_LFU,
  'volatile-random': 3 << 8,
  'volatile-ttl': 2 << 8,
  'allkeys-lru': (4 << 8) | MAXMEMORY_FLAG_LRU | MAXMEMORY_FLAG_ALLKEYS,
  'allkeys-lfu': (5 << 8) | MAXMEMORY_FLAG_LFU | MAXMEMORY_FLAG_ALLKEYS,
  'allkeys-random': (6 << 8) | MAXMEMORY_FLAG_ALLKEYS,
  noeviction: 7 << 8,
} as const;

export type MaxmemoryPolicy = keyof typeof MAXMEMORY_POLICY;
/** in maxmemory_policy_enum's order (config.c) */
export const MAXMEMORY_POLICIES = Object.keys(MAXMEMORY_POLICY) as MaxmemoryPolicy[];

export const EVICT_OK = 0;
export const EVICT_RUNNING = 1;
export const EVICT_FAIL = 2;
export type EvictResult = typeof EVICT_OK | typeof EVICT_RUNNING | typeof EVICT_FAIL;

/** shared.oomerr (server.c) */
export const OOM_ERROR = "OOM command not allowed when used memory > 'maxmemory'.";

export function isMaxmemoryPolicy(s: string): s is MaxmemoryPolicy {
  return Object.prototype.hasOwnProperty.call(MAXMEMORY_POLICY, s);
}

export function policyFlags(p: MaxmemoryPolicy): number {
  return MAXMEMORY_POLICY[p];
}

// ------------------------------------------------------------------ configuration

/** The eviction settings (config.c: names, ranges and defaults of 7.0). */
export interface EvictionConfig {
  /** bytes, 0: no limit */
  maxmemory: number;
  'maxmemory-policy': MaxmemoryPolicy;
  /** 1..INT_MAX, default 5 */
  'maxmemory-samples': number;
  /** 0..100, default 10 */
  'maxmemory-eviction-tenacity': number;
  /** 0..INT_MAX, default 10 */
  'lfu-log-factor': number;
  /** minutes, 0..INT_MAX, default 1 */
  'lfu-decay-time': number;
}

export const DEFAULT_EVICTION_CONFIG: Readonly<EvictionConfig> = Object.freeze({
  maxmemory: 0,
  'maxmemory-policy': 'noeviction',
  'maxmemory-samples': 5,
  'maxmemory-eviction-tenacity': 10,
  'lfu-log-factor': 10,
  'lfu-decay-time': 1,
});

const INT_MAX = 2147483647;
const INT_RANGES: Record<string, [number, number]> = {
  'maxmemory-samples': [1, INT_MAX],
  'maxmemory-eviction-tenacity': [0, 100],
  'lfu-log-factor': [0, INT_MAX],
  'lfu-decay-time': [0, INT_MAX],
};

export class EvictionConfigError extends Error {
  constructor(
    readonly name_: string,
    message: string,
  ) {
    super(message);
    this.name = 'EvictionConfigError';
  }
}

/** memtoull (util.c): "100", "1k" (1000), "1kb" (1024), "2mb", "1gb"; null when not a size. */
export function memtoull(text: string): number | null {
  const m = /^(\d+)(b|k|kb|m|mb|g|gb)?$/i.exec(text);
  if (!m) return null;
  const mul: Record<string, number> = { '': 1, b: 1, k: 1000, kb: 1024, m: 1e6, mb: 1024 * 1024, g: 1e9, gb: 1024 * 1024 * 1024 };
  const n = Number(m[1]) * mul[(m[2] ?? '').toLowerCase()]!;
  return Number.isSafeInteger(n) ? n : null;
}

export const EVICTION_CONFIG_NAMES = ['maxmemory', 'maxmemory-policy', 'maxmemory-samples', 'maxmemory-eviction-tenacity', 'lfu-log-factor', 'lfu-decay-time'] as const;

export function isEvictionConfigName(name: string): name is keyof EvictionConfig {
  return (EVICTION_CONFIG_NAMES as readonly string[]).includes(name);
}

/**
 * Parse one setting as CONFIG SET / redis.conf would; throws EvictionConfigError with the
 * reason config.c gives ("argument must be a memory value", "argument must be one of the
 * following: ...", "argument must be between 1 and 2147483647 inclusive").
 */
export function parseEvictionSetting(name: keyof EvictionConfig, value: string): number | MaxmemoryPolicy {
  if (name === 'maxmemory') {
    const n = memtoull(value);
    if (n === null) throw new EvictionConfigError(name, 'argument must be a memory value');
    return n;
  }
  if (name === 'maxmemory-policy') {
    const v = value.toLowerCase();
    if (!isMaxmemoryPolicy(v)) throw new EvictionConfigError(name, `argument(s) must be one of the following: ${MAXMEMORY_POLICIES.join(', ')}`);
    return v;
  }
  const [lo, hi] = INT_RANGES[name]!;
  if (!/^-?\d+$/.test(value)) throw new EvictionConfigError(name, 'argument couldn\'t be parsed into an integer');
  const n = Number(value);
  if (n < lo || n > hi) throw new EvictionConfigError(name, `argument must be between ${lo} and ${hi} inclusive`);
  return n;
}

// ------------------------------------------------------------------ LRU clock (evict.c, object.c)

/** getLRUClock: the LRU clock at `nowMs`. */
export function getLRUClock(nowMs: number): number {
  return Math.floor(nowMs / LRU_CLOCK_RESOLUTION) & LRU_CLOCK_MAX;
}

/** estimateObjectIdleTime: ms an object whose lru field is `lru` has not been touched, at clock `lruclock`. */
export function estimateObjectIdleTime(lru: number, lruclock: number): number {
  if (lruclock >= lru) return (lruclock - lru) * LRU_CLOCK_RESOLUTION;
  return (lruclock + (LRU_CLOCK_MAX - lru)) * LRU_CLOCK_RESOLUTION;
}

// ------------------------------------------------------------------ LFU (evict.c)

/** LFUGetTimeInMinutes: unix minutes, low 16 bits. */
export function LFUGetTimeInMinutes(nowMs: number): number {
  return Math.floor(Math.floor(nowMs / 1000) / 60) & 65535;
}

/** LFUTimeElapsed: minutes since `ldt`, wrapping once. */
export function LFUTimeElapsed(ldt: number, nowMs: number): number {
  const now = LFUGetTimeInMinutes(nowMs);
  if (now >= ldt) return now - ldt;
  return 65535 - ldt + now;
}

/** LFULogIncr: the logarithmic counter after one access (saturates at 255). */
export function LFULogIncr(counter: number, lfuLogFactor: number, rand: () => number): number {
  if (counter === 255) return 255;
  const r = rand();
  let baseval = counter - LFU_INIT_VAL;
  if (baseval < 0) baseval = 0;
  const p = 1.0 / (baseval * lfuLogFactor + 1);
  return r < p ? counter + 1 : counter;
}

/** LFUDecrAndReturn: the counter of lru field `lru` decayed to `nowMs` (the field is not changed). */
export function LFUDecrAndReturn(lru: number, nowMs: number, lfuDecayTime: number): number {
  const ldt = lru >>> 8;
  const counter = lru & 255;
  const periods = lfuDecayTime ? Math.floor(LFUTimeElapsed(ldt, nowMs) / lfuDecayTime) : 0;
  if (periods) return periods > counter ? 0 : counter - periods;
  return counter;
}

/** updateLFU (db.c): the lru field after an access under an LFU policy. */
export function updateLFU(lru: number, nowMs: number, cfg: EvictionConfig, rand: () => number): number {
  let counter = LFUDecrAndReturn(lru, nowMs, cfg['lfu-decay-time']);
  counter = LFULogIncr(counter, cfg['lfu-log-factor'], rand);
  return (LFUGetTimeInMinutes(nowMs) << 8) | counter;
}

/** createObject (object.c): the lru field of a new object. */
export function newObjectLru(policy: MaxmemoryPolicy, nowMs: number): number {
  if (policyFlags(policy) & MAXMEMORY_FLAG_LFU) return (LFUGetTimeInMinutes(nowMs) << 8) | LFU_INIT_VAL;
  return getLRUClock(nowMs);
}

/** lookupKey (db.c): the lru field after a lookup that touches the key. */
export function touchedLru(lru: number, nowMs: number, cfg: EvictionConfig, rand: () => number): number {
  if (policyFlags(cfg['maxmemory-policy']) & MAXMEMORY_FLAG_LFU) return updateLFU(lru, nowMs, cfg, rand);
  return getLRUClock(nowMs);
}

/**
 * objectSetLRUOrLFU (object.c), as rdbLoad calls it: the lru field of a key loaded at `nowMs`
 * with the dump's LFU counter (`freq`, -1 when absent) or LRU idle seconds (`idle`, -1 when
 * absent); a key without the policy's kind of figure keeps the new object's field.
 */
export function loadedObjectLru(policy: MaxmemoryPolicy, freq: number, idle: number, nowMs: number): number {
  if (policyFlags(policy) & MAXMEMORY_FLAG_LFU) {
    if (freq >= 0) return (LFUGetTimeInMinutes(nowMs) << 8) | Math.min(255, freq);
  } else if (idle >= 0) {
    // lru_multiplier 1000 (seconds in the dump), LRU_CLOCK_RESOLUTION 1000
    let abs = getLRUClock(nowMs) - Math.floor((idle * 1000) / LRU_CLOCK_RESOLUTION);
    if (abs < 0) abs += LRU_CLOCK_MAX;
    return abs;
  }
  return newObjectLru(policy, nowMs);
}

/** OBJECT IDLETIME's and OBJECT FREQ's figures from an lru field. */
export function objectIdleSeconds(lru: number, nowMs: number): number {
  return Math.floor(estimateObjectIdleTime(lru, getLRUClock(nowMs)) / 1000);
}

// ------------------------------------------------------------------ the keyspace interface

/**
 * What eviction needs from a server's keyspace. Keys are addressed by (db, id); ids need only be
 * stable between a sample and the end of the eviction that follows (the pool keeps key names,
 * as Redis's does, and looks them up again).
 */
export interface EvictionKeyspace {
  /** server.dbnum */
  readonly dbCount: number;
  /** dictSize of db's main dict (`volatile` false) or its expires dict */
  dictSize(db: number, volatile: boolean): number;
  /** dictGetSomeKeys: up to `count` distinct ids into `out`; returns how many */
  sampleKeys(db: number, volatile: boolean, count: number, out: Int32Array, rand: () => number): number;
  /** dictGetRandomKey: one id (the dict is not empty) */
  randomKey(db: number, volatile: boolean, rand: () => number): number;
  /** the key's name (may be a view: the pool copies it) */
  keyOf(db: number, id: number): Uint8Array;
  /** dictFind in the main dict (`volatile` false) or the expires dict: the id, or -1 */
  find(db: number, key: Uint8Array, volatile: boolean): number;
  /** the object's 24-bit lru field (LRU clock, or LFU ldt << 8 | counter) */
  lruOf(db: number, id: number): number;
  /** absolute expiry in ms (the key is in the expires dict) */
  expireOf(db: number, id: number): number;
  /** dbSyncDelete plus the notifications: the bytes used_memory went down by */
  evict(db: number, id: number): number;
  /** zmalloc_used_memory() */
  usedMemory(): number;
  /** freeMemoryGetNotCountedMemory(): replication buffers beyond the backlog, the AOF buffer */
  notCountedForEvict(): number;
}

/** A clock: wall time for the LRU/LFU fields, a monotonic µs timer for the time limit. */
export interface EvictionClock {
  nowMs(): number;
  monoUs(): number;
}

export const SYSTEM_CLOCK: EvictionClock = {
  nowMs: () => Date.now(),
  monoUs: () => Number(process.hrtime.bigint() / 1000n),
};

/** A seeded PRNG in [0, 1) (mulberry32), standing for rand()/random(). */
export function evictionRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    let t = (s = (s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ------------------------------------------------------------------ the eviction pool

/** One slot of the pool (evictionPoolEntry): `key` null when empty. */
interface PoolEntry {
  idle: number;
  key: Buffer | null;
  dbid: number;
}

/** EvictionPoolLRU: EVPOOL_SIZE candidates, ascending by score (best to evict on the right). */
export class EvictionPool {
  readonly entries: PoolEntry[] = [];
  /** samples of one evictionPoolPopulate call */
  private samples = new Int32Array(5);

  constructor() {
    // evictionPoolAlloc
    for (let j = 0; j < EVPOOL_SIZE; j++) this.entries.push({ idle: 0, key: null, dbid: 0 });
  }

  clear(): void {
    for (const e of this.entries) {
      e.idle = 0;
      e.key = null;
      e.dbid = 0;
    }
  }

  /**
   * evictionPoolPopulate: sample `maxmemory-samples` keys of db `dbid` (its main dict, or its
   * expires dict when `volatile`) and insert the ones that beat the pool's worst.
   */
  populate(ks: EvictionKeyspace, dbid: number, volatile: boolean, cfg: EvictionConfig, nowMs: number, rand: () => number): void {
    const n = cfg['maxmemory-samples'];
    if (this.samples.length < n) this.samples = new Int32Array(n);
    const count = ks.sampleKeys(dbid, volatile, n, this.samples, rand);
    const flags = policyFlags(cfg['maxmemory-policy']);
    const pool = this.entries;
    const lruclock = getLRUClock(nowMs);
    for (let j = 0; j < count; j++) {
      const id = this.samples[j]!;
      let idle: number;
      if (flags & MAXMEMORY_FLAG_LRU) idle = estimateObjectIdleTime(ks.lruOf(dbid, id), lruclock);
      else if (flags & MAXMEMORY_FLAG_LFU) idle = 255 - LFUDecrAndReturn(ks.lruOf(dbid, id), nowMs, cfg['lfu-decay-time']);
      else if (cfg['maxmemory-policy'] === 'volatile-ttl') {
        // ULLONG_MAX - expire: the sooner the better; a negated expiry sorts the same way
        idle = -ks.expireOf(dbid, id);
      } else throw new Error(`evictionPoolPopulate: policy ${cfg['maxmemory-policy']} has no pool`);

      // the first empty slot, or the first one with a smaller score
      let k = 0;
      while (k < EVPOOL_SIZE && pool[k]!.key !== null && pool[k]!.idle < idle) k++;
      if (k === 0 && pool[EVPOOL_SIZE - 1]!.key !== null) {
        // worse than the worst of a full pool
        continue;
      } else if (k < EVPOOL_SIZE && pool[k]!.key === null) {
        // an empty slot: nothing to move
      } else if (pool[EVPOOL_SIZE - 1]!.key === null) {
        // room on the right: shift k.. one to the right
        const spare = pool.pop()!;
        pool.splice(k, 0, spare);
      } else {
        // full: drop the leftmost (smallest score) and insert at k-1
        k--;
        const spare = pool.shift()!;
        pool.splice(k, 0, spare);
      }
      const e = pool[k]!;
      e.key = Buffer.from(ks.keyOf(dbid, id));
      e.idle = idle;
      e.dbid = dbid;
    }
  }
}

// ------------------------------------------------------------------ performEvictions

export interface MaxmemoryState {
  /** C_OK: under the limit (or no limit) */
  ok: boolean;
  /** zmalloc_used_memory() */
  total: number;
  /** used minus not-counted (set when over) */
  logical: number;
  /** bytes to free (set when over) */
  tofree: number;
  /** used / maxmemory (0 without a limit) */
  level: number;
}

export interface EvictionStats {
  /** stat_evictedkeys */
  evictedKeys: number;
  /** bytes freed by evictions (ours: Redis does not count them) */
  evictedBytes: number;
  /** stat_total_eviction_exceeded_time, µs */
  totalEvictionExceededTime: number;
  /** stat_last_eviction_exceeded_time: monotonic µs when the limit was first found exceeded, 0 when not */
  lastEvictionExceededTime: number;
}

/** Called for every evicted key, before it is deleted (notifyKeyspaceEvent "evicted", propagateDeletion). */
export type OnEvict = (db: number, id: number, key: Uint8Array) => void;

/**
 * The eviction state of one server: the pool, next_db, the time proc and the stats. `safe`
 * answers isSafeToPerformEvictions (a replica with replica-ignore-maxmemory, a paused server:
 * false).
 */
export class Evictor {
  readonly pool = new EvictionPool();
  readonly stats: EvictionStats = { evictedKeys: 0, evictedBytes: 0, totalEvictionExceededTime: 0, lastEvictionExceededTime: 0 };
  /** performEvictions' static next_db */
  private nextDb = 0;
  /** isEvictionProcRunning */
  timeProcRunning = false;
  onEvict: OnEvict | null = null;
  safe: () => boolean = () => true;
  /** startEvictionTimeProc's aeCreateTimeEvent: the caller runs evictionTimeProc until it returns false */
  scheduleTimeProc: (() => void) | null = null;

  constructor(
    readonly ks: EvictionKeyspace,
    public cfg: EvictionConfig,
    readonly clock: EvictionClock = SYSTEM_CLOCK,
    readonly rand: () => number = evictionRandom(0x5eed),
  ) {}

  /** getMaxmemoryState */
  getMaxmemoryState(): MaxmemoryState {
    const reported = this.ks.usedMemory();
    const max = this.cfg.maxmemory;
    const st: MaxmemoryState = { ok: true, total: reported, logical: 0, tofree: 0, level: 0 };
    if (!max) return st;
    const overhead = this.ks.notCountedForEvict();
    const used = reported > overhead ? reported - overhead : 0;
    st.level = used / max;
    if (reported <= max) return st;
    if (used <= max) return st;
    st.ok = false;
    st.logical = used;
    st.tofree = used - max;
    return st;
  }

  /** overMaxmemoryAfterAlloc */
  overMaxmemoryAfterAlloc(moremem: number): boolean {
    const max = this.cfg.maxmemory;
    if (!max) return false;
    let used = this.ks.usedMemory();
    if (used + moremem <= max) return false;
    const overhead = this.ks.notCountedForEvict();
    used = used > overhead ? used - overhead : 0;
    return used + moremem > max;
  }

  /** evictionTimeLimitUs */
  evictionTimeLimitUs(): number {
    const t = this.cfg['maxmemory-eviction-tenacity'];
    if (t <= 10) return 50 * t;
    if (t < 100) return Math.floor(500.0 * Math.pow(1.15, t - 10.0));
    return Number.MAX_SAFE_INTEGER;
  }

  /** evictionTimeProc: one more round; returns whether to keep going (AE_NOMORE: false). */
  evictionTimeProc(): boolean {
    if (this.performEvictions() === EVICT_RUNNING) return true;
    this.timeProcRunning = false;
    return false;
  }

  /** startEvictionTimeProc (also what CONFIG SET maxmemory does: updateMaxmemory, config.c) */
  startEvictionTimeProc(): void {
    if (!this.timeProcRunning) {
      this.timeProcRunning = true;
      this.scheduleTimeProc?.();
    }
  }

  /**
   * performEvictions: if over maxmemory, evict keys by the policy until `tofree` bytes are freed
   * or the tenacity's time limit is reached (then the time proc goes on).
   */
  performEvictions(): EvictResult {
    if (!this.safe()) return EVICT_OK;
    let result: EvictResult = EVICT_FAIL;
    const st = this.getMaxmemoryState();
    const policy = this.cfg['maxmemory-policy'];
    if (st.ok) result = EVICT_OK;
    else if (policy === 'noeviction') result = EVICT_FAIL;
    else result = this.evictLoop(st.tofree);
    this.updateMetrics(result);
    return result;
  }

  private evictLoop(tofree: number): EvictResult {
    const ks = this.ks;
    const cfg = this.cfg;
    const policy = cfg['maxmemory-policy'];
    const flags = policyFlags(policy);
    const allkeys = (flags & MAXMEMORY_FLAG_ALLKEYS) !== 0;
    const limitUs = this.evictionTimeLimitUs();
    const start = this.clock.monoUs();
    let freed = 0;
    let keysFreed = 0;
    const pool = this.pool.entries;
    while (freed < tofree) {
      let bestDb = -1;
      let bestId = -1;
      if (flags & (MAXMEMORY_FLAG_LRU | MAXMEMORY_FLAG_LFU) || policy === 'volatile-ttl') {
        while (bestId < 0) {
          let total = 0;
          const nowMs = this.clock.nowMs();
          for (let i = 0; i < ks.dbCount; i++) {
            const keys = ks.dictSize(i, !allkeys);
            if (keys !== 0) {
              this.pool.populate(ks, i, !allkeys, cfg, nowMs, this.rand);
              total += keys;
            }
          }
          if (!total) break;
          // from the best candidate down
          for (let k = EVPOOL_SIZE - 1; k >= 0; k--) {
            const e = pool[k]!;
            if (e.key === null) continue;
            const id = ks.find(e.dbid, e.key, !allkeys);
            const db = e.dbid;
            e.key = null;
            e.idle = 0;
            if (id >= 0) {
              bestDb = db;
              bestId = id;
              break;
            }
            // a ghost: the key went away since it was sampled
          }
        }
      } else if (policy === 'allkeys-random' || policy === 'volatile-random') {
        for (let i = 0; i < ks.dbCount; i++) {
          const j = ++this.nextDb % ks.dbCount;
          if (ks.dictSize(j, !allkeys) !== 0) {
            bestId = ks.randomKey(j, !allkeys, this.rand);
            bestDb = j;
            break;
          }
        }
      }
      if (bestId < 0) return EVICT_FAIL; // cant_free: nothing to evict
      this.onEvict?.(bestDb, bestId, ks.keyOf(bestDb, bestId));
      const delta = ks.evict(bestDb, bestId);
      freed += delta;
      this.stats.evictedKeys++;
      this.stats.evictedBytes += delta;
      keysFreed++;
      if (keysFreed % 16 === 0) {
        if (this.clock.monoUs() - start > limitUs) {
          this.startEvictionTimeProc();
          break;
        }
      }
    }
    return this.timeProcRunning ? EVICT_RUNNING : EVICT_OK;
  }

  /** performEvictions' update_metrics */
  private updateMetrics(result: EvictResult): void {
    const s = this.stats;
    if (result === EVICT_RUNNING || result === EVICT_FAIL) {
      if (s.lastEvictionExceededTime === 0) s.lastEvictionExceededTime = Math.max(1, this.clock.monoUs());
    } else if (s.lastEvictionExceededTime !== 0) {
      s.totalEvictionExceededTime += this.clock.monoUs() - s.lastEvictionExceededTime;
      s.lastEvictionExceededTime = 0;
    }
  }

  /** INFO stats' current_eviction_exceeded_time, µs */
  currentEvictionExceededTime(): number {
    const l = this.stats.lastEvictionExceededTime;
    return l ? this.clock.monoUs() - l : 0;
  }
}
