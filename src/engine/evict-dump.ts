/**
 * "What would be evicted": a server that loaded a dump, with a maxmemory limit and policy, run
 * through the eviction engine (src/memory/evict.ts) until it is under the limit. One simulated
 * server per dump (the shards of a cluster each have their own limit).
 *
 * The simulated server:
 * - starts at the modelled used_memory after loading (src/memory/stats.ts, MEMORY STATS
 *   total.allocated), plus, under an LRU or LFU policy, the object every small integer value then
 *   gets of its own (createStringObjectFromLongLongForValue: no shared integers with
 *   MAXMEMORY_FLAG_NO_SHARED_INTEGERS);
 * - frees per evicted key its allocation (src/memory/alloc.ts keyAllocation) and, with a TTL, its
 *   expires entry. The dicts' bucket arrays are not shrunk (Redis shrinks them in serverCron,
 *   after the evictions, when a dict falls under 10 % fill);
 * - takes the dump as the state of its server when it was saved (aux `ctime`): the LRU field of
 *   a key is its save time minus the dump's idle seconds, its LFU field the dump's counter with
 *   the save minute as its decrement time (objectSetLRUOrLFU); evictions run at `now`, so LRU
 *   idle times are the dump's plus (now - ctime), and LFU counters decay by LFUDecrAndReturn
 *   over the minutes between. Keys without the policy's figure get a new object's field
 *   (createObject: the save time's LRU clock, or LFU_INIT_VAL), i.e. all alike.
 *
 * Two modes: `sampled` runs performEvictions as Redis does (maxmemory-samples keys per db into
 * the pool, seeded PRNG); `exact` evicts in the order the sampling approximates: by the policy's
 * score over all candidates (highest idle, lowest decayed counter, soonest expiry), ties in dump
 * order. The random policies have no order: both modes sample.
 */
import { keyRecordOf } from './load.js';
import { Keyspace } from './keyspace.js';
import type { KeyRow, AnalyzeOptions, DumpAnalysis } from '../memory/analyze.js';
import { analyzeDump } from '../memory/analyze.js';
import { estimateUsedMemory } from '../memory/stats.js';
import { featuresOf, DICT_ENTRY, ROBJ } from '../memory/sizes.js';
import {
  Evictor,
  evictionRandom,
  estimateObjectIdleTime,
  getLRUClock,
  LFUDecrAndReturn,
  loadedObjectLru,
  policyFlags,
  MAXMEMORY_FLAG_ALLKEYS,
  MAXMEMORY_FLAG_LFU,
  MAXMEMORY_FLAG_LRU,
  MAXMEMORY_FLAG_NO_SHARED_INTEGERS,
  EVICT_FAIL,
  type EvictionConfig,
  type EvictionKeyspace,
} from '../memory/evict.js';

export type EvictMode = 'sampled' | 'exact';

/** One db of a simulated server. */
class SimDb {
  readonly ks = new Keyspace();
  /** the key's allocation (keyAllocation), and with the policy's own integer objects */
  baseAlloc = new Float64Array(64);
  alloc = new Float64Array(64);
  sharedInt = new Uint8Array(64);
  lru = new Int32Array(64);
  /** dense id lists of the main dict and the expires dict, with each id's position */
  all: number[] = [];
  vol: number[] = [];
  allPos = new Int32Array(64).fill(-1);
  volPos = new Int32Array(64).fill(-1);

  ensure(id: number): void {
    if (id < this.alloc.length) return;
    const n = Math.max(id + 1, this.alloc.length * 2);
    const grow = <T extends Float64Array | Int32Array | Uint8Array>(a: T, fill: number): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      b.fill(fill);
      b.set(a);
      return b;
    };
    this.alloc = grow(this.alloc, 0);
    this.baseAlloc = grow(this.baseAlloc, 0);
    this.sharedInt = grow(this.sharedInt, 0);
    this.lru = grow(this.lru, 0);
    this.allPos = grow(this.allPos, -1);
    this.volPos = grow(this.volPos, -1);
  }
}

function listAdd(list: number[], pos: Int32Array, id: number): void {
  if (pos[id]! >= 0) return;
  pos[id] = list.length;
  list.push(id);
}

function listRemove(list: number[], pos: Int32Array, id: number): void {
  const p = pos[id]!;
  if (p < 0) return;
  const last = list.pop()!;
  if (last !== id) {
    list[p] = last;
    pos[last] = p;
  }
  pos[id] = -1;
}

/** A victim: which key, what it freed, and its row's facts (for the reports). */
export interface Victim {
  db: number;
  id: number;
  freed: number;
}

/** One dump loaded into a simulated server: the EvictionKeyspace the engine evicts from. */
export class SimServer implements EvictionKeyspace {
  readonly dbs: SimDb[] = [];
  used = 0;
  startUsed = 0;
  /** keys held after load */
  keys = 0;
  /** keys with an LRU idle time / an LFU counter in the dump */
  withIdle = 0;
  withFreq = 0;
  victims: Victim[] = [];
  analysis: DumpAnalysis | null = null;
  /** the moment the dump's LRU/LFU fields stand for (its save time), ms */
  savedAt = 0;
  private expiresEntry = 32;
  private lruBased = false;
  private lfuBased = false;
  /** the dense lists after load, for reset() */
  private loadedAll: number[][] = [];
  private loadedVol: number[][] = [];
  /** used_memory after load by the model, without the policy's shared-integer objects */
  private modelUsed = 0;

  constructor(public cfg: EvictionConfig) {}

  /** One analysed key (the analysis's onKey). */
  add(row: KeyRow): void {
    const a = row.allocation ?? 0;
    if (a <= 0) return; // dropped on load (expired, an empty collection)
    while (this.dbs.length <= row.db) this.dbs.push(new SimDb());
    const d = this.dbs[row.db]!;
    const id = d.ks.set(keyRecordOf(row));
    d.ensure(id);
    d.baseAlloc[id] = a;
    // alloc.ts's shared-integer rule: a value 0..9999 is one of the server's shared objects
    d.sharedInt[id] = row.type === 'string' && row.encoding === 'int' && row.length <= 4 ? 1 : 0;
    listAdd(d.all, d.allPos, id);
    if (row.expireAt >= 0) listAdd(d.vol, d.volPos, id);
    else listRemove(d.vol, d.volPos, id);
  }

  /** After the analysis: the baseline used_memory and every key's LRU/LFU field. */
  finish(analysis: DumpAnalysis, savedAt: number): this {
    this.analysis = analysis;
    this.savedAt = savedAt;
    this.expiresEntry = featuresOf(analysis.profile).malloc(DICT_ENTRY);
    for (const d of this.dbs) {
      for (const id of d.all) {
        if (d.ks.idleOf(id) >= 0) this.withIdle++;
        if (d.ks.freqOf(id) >= 0) this.withFreq++;
      }
      this.keys += d.all.length;
    }
    // at least the databases a default server has
    while (this.dbs.length < 16) this.dbs.push(new SimDb());
    this.loadedAll = this.dbs.map((d) => d.all.slice());
    this.loadedVol = this.dbs.map((d) => d.vol.slice());
    this.modelUsed = estimateUsedMemory(analysis);
    this.configure(this.cfg);
    return this;
  }

  /**
   * Set the limit and policy (a server started with them, then loading the dump): every key's
   * LRU/LFU field as loaded (objectSetLRUOrLFU), its allocation, the baseline used_memory; and
   * back to the state after load.
   */
  configure(cfg: EvictionConfig): void {
    this.cfg = cfg;
    const flags = policyFlags(cfg['maxmemory-policy']);
    this.lruBased = (flags & MAXMEMORY_FLAG_LRU) !== 0;
    this.lfuBased = (flags & MAXMEMORY_FLAG_LFU) !== 0;
    // createStringObjectFromLongLongForValue: no shared integers under LRU/LFU with a limit set
    const noShared = cfg.maxmemory > 0 && (flags & MAXMEMORY_FLAG_NO_SHARED_INTEGERS) !== 0;
    let extra = 0;
    const policy = cfg['maxmemory-policy'];
    for (const [i, d] of this.dbs.entries()) {
      for (const id of this.loadedAll[i] ?? []) {
        d.lru[id] = loadedObjectLru(policy, d.ks.freqOf(id), d.ks.idleOf(id), this.savedAt);
        const own = noShared && d.sharedInt[id] === 1 ? ROBJ : 0;
        d.alloc[id] = d.baseAlloc[id]! + own;
        extra += own;
      }
    }
    this.startUsed = this.modelUsed + extra;
    this.reset();
  }

  /** ids of db's keys after load (evicted ones included) */
  loadedIds(db: number): readonly number[] {
    return this.loadedAll[db] ?? [];
  }

  /** keys with a TTL after load, per db */
  loadedVolatile(): number[] {
    return this.loadedVol.map((v) => v.length);
  }

  /** what a key's expires entry takes (freed with a key that has a TTL) */
  get expiresEntryBytes(): number {
    return this.expiresEntry;
  }

  /** Back to the state after load (to run another mode). */
  reset(): void {
    for (const [i, d] of this.dbs.entries()) {
      d.allPos.fill(-1);
      d.volPos.fill(-1);
      d.all = [];
      d.vol = [];
      for (const id of this.loadedAll[i]!) listAdd(d.all, d.allPos, id);
      for (const id of this.loadedVol[i]!) listAdd(d.vol, d.volPos, id);
    }
    this.used = this.startUsed;
    this.victims = [];
  }

  get dbCount(): number {
    return this.dbs.length;
  }

  dictSize(db: number, volatile: boolean): number {
    const d = this.dbs[db]!;
    return volatile ? d.vol.length : d.all.length;
  }

  sampleKeys(db: number, volatile: boolean, count: number, out: Int32Array, rand: () => number): number {
    const d = this.dbs[db]!;
    const list = volatile ? d.vol : d.all;
    const n = list.length;
    if (n <= count) {
      for (let i = 0; i < n; i++) out[i] = list[i]!;
      return n;
    }
    // count distinct positions, uniformly (see evict.ts on dictGetSomeKeys)
    let k = 0;
    while (k < count) {
      const id = list[Math.floor(rand() * n)]!;
      let dup = false;
      for (let j = 0; j < k; j++) {
        if (out[j] === id) {
          dup = true;
          break;
        }
      }
      if (!dup) out[k++] = id;
    }
    return k;
  }

  randomKey(db: number, volatile: boolean, rand: () => number): number {
    const d = this.dbs[db]!;
    const list = volatile ? d.vol : d.all;
    return list[Math.floor(rand() * list.length)]!;
  }

  keyOf(db: number, id: number): Uint8Array {
    return this.dbs[db]!.ks.keyOf(id);
  }

  find(db: number, key: Uint8Array, volatile: boolean): number {
    const d = this.dbs[db]!;
    const id = d.ks.find(key);
    // an evicted key stays in the keyspace (reset() brings it back) but not in the dicts
    if (id < 0 || d.allPos[id]! < 0) return -1;
    if (volatile && d.volPos[id]! < 0) return -1;
    return id;
  }

  lruOf(db: number, id: number): number {
    return this.dbs[db]!.lru[id]!;
  }

  expireOf(db: number, id: number): number {
    return this.dbs[db]!.ks.expireOf(id);
  }

  evict(db: number, id: number): number {
    const d = this.dbs[db]!;
    let freed = d.alloc[id]!;
    if (d.volPos[id]! >= 0) freed += this.expiresEntry;
    listRemove(d.all, d.allPos, id);
    listRemove(d.vol, d.volPos, id);
    this.used -= freed;
    this.victims.push({ db, id, freed });
    return freed;
  }

  usedMemory(): number {
    return this.used;
  }

  notCountedForEvict(): number {
    return 0;
  }

  /** The policy's score of a key at `now` (higher: evicted sooner), as evictionPoolPopulate computes it. */
  score(db: number, id: number, now: number): number {
    const lru = this.dbs[db]!.lru[id]!;
    if (this.lruBased) return estimateObjectIdleTime(lru, getLRUClock(now));
    if (this.lfuBased) return 255 - LFUDecrAndReturn(lru, now, this.cfg['lfu-decay-time']);
    return -this.dbs[db]!.ks.expireOf(id);
  }
}

export interface ServerOutcome {
  file: string;
  server: SimServer;
  usedBefore: number;
  usedAfter: number;
  tofree: number;
  /** performEvictions ended with EVICT_FAIL: over the limit with nothing (left) to evict */
  failed: boolean;
}

export interface EvictionRun {
  mode: EvictMode;
  config: EvictionConfig;
  now: number;
  servers: ServerOutcome[];
  evictedKeys: number;
  evictedBytes: number;
}

/** Run eviction on one simulated server until it is under the limit (or can't be). */
export function evictServer(server: SimServer, mode: EvictMode, now: number, seed = 1): ServerOutcome {
  const cfg = server.cfg;
  const usedBefore = server.used;
  const policy = cfg['maxmemory-policy'];
  const tofree = cfg.maxmemory > 0 && usedBefore > cfg.maxmemory ? usedBefore - cfg.maxmemory : 0;
  let failed = false;
  const flags = policyFlags(policy);
  if (tofree > 0 && policy === 'noeviction') failed = true;
  else if (tofree > 0 && mode === 'exact' && !policy.endsWith('-random')) {
    const allkeys = (flags & MAXMEMORY_FLAG_ALLKEYS) !== 0;
    const cand: { db: number; id: number; s: number; o: number }[] = [];
    let o = 0;
    for (let db = 0; db < server.dbs.length; db++) {
      const d = server.dbs[db]!;
      for (const id of allkeys ? d.all : d.vol) cand.push({ db, id, s: server.score(db, id, now), o: o++ });
    }
    cand.sort((a, b) => b.s - a.s || a.o - b.o);
    let freed = 0;
    for (const c of cand) {
      if (freed >= tofree) break;
      freed += server.evict(c.db, c.id);
    }
    failed = freed < tofree;
  } else if (tofree > 0) {
    // the clock stands still at `now`; the time limit never ends a round early (a real server's
    // time proc would go on evicting with the same pool, to the same result)
    const ev = new Evictor(server, cfg, { nowMs: () => now, monoUs: () => 0 }, evictionRandom(seed));
    failed = ev.performEvictions() === EVICT_FAIL;
  }
  return { file: server.analysis?.file ?? '', server, usedBefore, usedAfter: server.used, tofree, failed };
}

export interface LoadForEvictionOptions extends Omit<AnalyzeOptions, 'onKey' | 'fileIndex'> {
  eviction: EvictionConfig;
  /** when evictions run (ms); TTLs are judged at this time too */
  now: number;
  /** the save time the dump's LRU/LFU fields stand for, when the dump has no ctime (ms) */
  savedAtFallback?: number;
}

/** Analyze the dumps and load each into a simulated server. */
export async function loadForEviction(files: readonly string[], opts: LoadForEvictionOptions): Promise<SimServer[]> {
  const servers: SimServer[] = [];
  for (const [i, file] of files.entries()) {
    const sim = new SimServer(opts.eviction);
    const { eviction: _e, now: _n, savedAtFallback: _s, ...analyze } = opts;
    const a = await analyzeDump(file, {
      ...analyze,
      aggregate: { ...opts.aggregate, now: opts.now },
      fileIndex: i,
      allocations: true,
      onKey: (row) => sim.add(row),
    });
    if (a.error) throw a.error;
    servers.push(sim.finish(a, savedAtOf(a, opts.savedAtFallback ?? opts.now)));
  }
  return servers;
}

/** The dump's save time (aux ctime, seconds) in ms, else `fallback`. */
export function savedAtOf(a: DumpAnalysis, fallback: number): number {
  const c = Number(a.aux.ctime);
  return Number.isFinite(c) && c > 0 ? c * 1000 : fallback;
}

/** Evict on every server; the run's totals. */
export function runEviction(servers: SimServer[], mode: EvictMode, now: number, seed = 1): EvictionRun {
  for (const s of servers) s.reset();
  const out = servers.map((s, i) => evictServer(s, mode, now, seed + i));
  let keys = 0;
  let bytes = 0;
  for (const o of out) {
    keys += o.server.victims.length;
    for (const v of o.server.victims) bytes += v.freed;
  }
  return { mode, config: servers[0]?.cfg ?? ({} as EvictionConfig), now, servers: out, evictedKeys: keys, evictedBytes: bytes };
}
