/**
 * MEMORY STATS for a dump: what the profile's server would answer right after loading it, field
 * by field in that server's own names and order (memoryCommand "stats" and
 * getMemoryOverheadData, object.c), filled with estimates. Process-dependent fields (RSS,
 * fragmentation, clients, replication) get documented neutral values and are listed in
 * `estimated`. See docs/memory-stats.md for every field's model.
 *
 * analyze.ts feeds a StatsCollector per dump (database hints, functions, and every key with
 * its MEMORY USAGE); memoryStats turns one or more collected dumps into the reply.
 */
import type { KeyRecord, RdbRecord } from '../rdb/records.js';
import type { DumpAnalysis } from './analyze.js';
import type { KeyMemory } from './usage.js';
import type { ServerProfile } from './profiles.js';
import { startupMemory } from './profiles.js';
import { featuresOf, DICT_ENTRY, ROBJ, POINTER } from './sizes.js';
import type { Features } from './sizes.js';
import { Dict, dictNextPower } from './dict.js';
import { sdsHdrSize } from './sds.js';
import { keyAllocation } from './alloc.js';
import { keyHashSlot, CLUSTER_SLOTS } from './cluster-slot.js';

export type StatsValue = number | string | [string, number][];

export interface MemoryStats {
  /** the target server's MEMORY STATS, in its order; db.N values are [name, value] pairs */
  fields: [name: string, value: StatsValue][];
  /** names of the fields that are estimates rather than what the server computes exactly */
  estimated: string[];
  /** our own: dataset bytes by data type (key names and values, allocation sizes), plus 'other' */
  datasetByType: Record<string, number>;
}

/** One database as the loading server builds it. */
export interface DbLoadStats {
  db: number;
  /** RDB_OPCODE_RESIZEDB hint, null when the dump has none for this db */
  resize: { dbSize: number; expiresSize: number } | null;
  /** keys the server holds after loading (expired keys and 7.0+ empty collections dropped) */
  keys: number;
  /** of which with a TTL */
  expires: number;
  /** cluster mode on 7.4+: keys per hash slot (one dict per slot); null otherwise */
  slotKeys: Uint32Array | null;
  slotExpires: Uint32Array | null;
}

const VALUE_TYPES = ['string', 'list', 'set', 'zset', 'hash', 'stream', 'module'] as const;

/** What a StatsCollector gathered from one dump, as plain data (structured-clone-able). */
export interface LoadStats {
  readonly profile: ServerProfile;
  readonly dbs: Map<number, DbLoadStats>;
  /** sum of keyAllocation over held keys */
  readonly allocated: number;
  /** per type: allocation minus what overhead.hashtable.main counts per key (entry + robj) */
  readonly datasetByType: Map<string, number>;
  /** keys the server would drop on load: expired at the reference time, or empty collections */
  readonly dropped: number;
  /** FUNCTION records: code length of each library */
  readonly libraries: number[];
}

/**
 * Collects, during the analysis pass, what memoryStats needs: per-db key and TTL counts with
 * the dump's RESIZEDB hints, the allocator bytes of every key the server would hold, function
 * libraries.
 */
export class StatsCollector implements LoadStats {
  readonly dbs = new Map<number, DbLoadStats>();
  /** sum of keyAllocation over held keys */
  allocated = 0;
  /** per type: allocation minus what overhead.hashtable.main counts per key (entry + robj) */
  readonly datasetByType = new Map<string, number>();
  /** keys the server would drop on load: expired at the reference time, or empty collections */
  dropped = 0;
  /** FUNCTION records: code length of each library */
  readonly libraries: number[] = [];
  /** cluster-enabled on a kvstore server: track keys per slot */
  private readonly perSlot: boolean;
  private db = 0;
  private readonly f: Features;

  constructor(
    readonly profile: ServerProfile,
    /** hints are meaningless when a filter drops keys */
    private readonly useHints = true,
  ) {
    this.f = featuresOf(profile);
    this.perSlot = profile.config['cluster-enabled'] && kvstoreLayout(profile);
  }

  /** What was gathered, as plain data (shared, not copied). */
  data(): LoadStats {
    return { profile: this.profile, dbs: this.dbs, allocated: this.allocated, datasetByType: this.datasetByType, dropped: this.dropped, libraries: this.libraries };
  }

  record(r: RdbRecord): void {
    if (r.kind === 'selectdb') this.db = r.db;
    else if (r.kind === 'resizedb') {
      if (this.useHints) this.dbOf(this.db).resize = { dbSize: r.dbSize, expiresSize: r.expiresSize };
    } else if (r.kind === 'function') this.libraries.push(r.code.length);
  }

  /** A key that passed the filters; `expired` at the reference time. */
  key(rec: KeyRecord, m: KeyMemory, expired: boolean): void {
    if (expired || (this.f.version >= 700 && isEmptyCollection(rec))) {
      this.dropped++;
      return;
    }
    const d = this.dbOf(rec.db);
    d.keys++;
    const ttl = rec.expireAt >= 0;
    if (ttl) d.expires++;
    if (d.slotKeys) {
      const slot = keyHashSlot(rec.key);
      d.slotKeys[slot]!++;
      if (ttl) d.slotExpires![slot]!++;
    }
    const bytes = keyAllocation(rec, m, this.profile);
    this.allocated += bytes;
    const own = bytes - DICT_ENTRY - ROBJ - this.f.clusterEntryMeta;
    this.datasetByType.set(rec.type, (this.datasetByType.get(rec.type) ?? 0) + own);
  }

  private dbOf(db: number): DbLoadStats {
    let d = this.dbs.get(db);
    if (!d) {
      d = {
        db,
        resize: null,
        keys: 0,
        expires: 0,
        slotKeys: this.perSlot ? new Uint32Array(CLUSTER_SLOTS) : null,
        slotExpires: this.perSlot ? new Uint32Array(CLUSTER_SLOTS) : null,
      };
      this.dbs.set(db, d);
    }
    return d;
  }
}

function isEmptyCollection(rec: KeyRecord): boolean {
  return rec.length === 0 && rec.type !== 'string' && rec.type !== 'stream' && rec.type !== 'module';
}

// ------------------------------------------------------------------ per-version constants

/**
 * 7.4+ and Valkey 8.0 keep each db in a kvstore (kvstore.c): dicts are created on the first
 * insert (so RESIZEDB cannot pre-size them) and kvstoreMemUsage adds the kvstore struct and
 * every allocated dict (sizeof(dict) + its kvstoreDictMetadata). Sizes as MEMORY STATS reports
 * them for an empty expires kvstore and for a one-dict one.
 */
const KVSTORE: Record<string, { kvstore: number; dict: number }> = {
  'redis-7.4': { kvstore: 216, dict: 64 },
  'redis-8.0': { kvstore: 216, dict: 64 },
  'valkey-8.0': { kvstore: 104, dict: 72 },
};

function kvstoreLayout(p: ServerProfile): boolean {
  return p.id in KVSTORE;
}

// ------------------------------------------------------------------ the model

interface DbModel {
  db: number;
  main: number;
  expires: number;
  slotToKeys: number;
  /** bucket pointers of both dicts (overhead.db.hashtable.lut / 8) */
  buckets: number;
  /** allocator bytes of the tables, the expires entries and (kvstore) the dict structs */
  allocated: number;
}

interface ServerModel {
  profile: ServerProfile;
  startup: number;
  afterLoad: number;
  keyBytes: number;
  keys: number;
  functionsCaches: number;
  functionsAllocated: number;
  dbs: DbModel[];
  datasetByType: Map<string, number>;
}

/** Bucket count a dict ends with after `n` inserts, pre-sized by `hint` when given, once rehashing settled. */
export function loadedSlots(n: number, hint: number | null, f: Features): number {
  if (hint === null) return n === 0 ? 0 : dictNextPower(n);
  const sim = new Dict().reset(f);
  sim.expand(hint);
  sim.addMany(n);
  return sim.size1 !== 0 ? sim.size1 : sim.size0;
}

function modelDb(d: DbLoadStats, p: ServerProfile, f: Features): DbModel {
  const m = f.malloc;
  const kv = KVSTORE[p.id];
  let mainSlots: number;
  let expSlots: number;
  let dicts = 0;
  let expDicts = 0;
  if (kv) {
    if (d.slotKeys) {
      mainSlots = 0;
      expSlots = 0;
      for (let s = 0; s < CLUSTER_SLOTS; s++) {
        const k = d.slotKeys[s]!;
        const e = d.slotExpires![s]!;
        if (k > 0) {
          dicts++;
          mainSlots += dictNextPower(k);
        }
        if (e > 0) {
          expDicts++;
          expSlots += dictNextPower(e);
        }
      }
    } else {
      mainSlots = d.keys === 0 ? 0 : dictNextPower(d.keys);
      expSlots = d.expires === 0 ? 0 : dictNextPower(d.expires);
      dicts = d.keys > 0 ? 1 : 0;
      expDicts = d.expires > 0 ? 1 : 0;
    }
  } else {
    mainSlots = loadedSlots(d.keys, d.resize ? d.resize.dbSize : null, f);
    expSlots = loadedSlots(d.expires, d.resize ? d.resize.expiresSize : null, f);
  }
  let main = d.keys * (DICT_ENTRY + ROBJ) + mainSlots * POINTER;
  let expires = d.expires * DICT_ENTRY + expSlots * POINTER;
  let allocated = tableAlloc(mainSlots, m) + tableAlloc(expSlots, m) + d.expires * m(DICT_ENTRY);
  if (kv) {
    main += kv.kvstore + dicts * kv.dict;
    expires += kv.kvstore + expDicts * kv.dict;
    allocated += (dicts + expDicts) * m(kv.dict);
  }
  // 7.0/7.2 cluster mode: clusterDictEntryMetadata per key (counted by MEMORY USAGE too)
  const slotToKeys = d.keys * f.clusterEntryMeta;
  return { db: d.db, main, expires, slotToKeys, buckets: mainSlots + expSlots, allocated };
}

function tableAlloc(slots: number, m: (n: number) => number): number {
  return slots === 0 ? 0 : m(slots * POINTER);
}

function modelServer(a: DumpAnalysis): ServerModel {
  const c = a.stats;
  const p = c.profile;
  const f = featuresOf(p);
  const k = startupMemory(p);
  const dbs = [...c.dbs.values()]
    .filter((d) => d.keys > 0)
    .sort((x, y) => x.db - y.db)
    .map((d) => modelDb(d, p, f));
  let libs = 0;
  for (const len of c.libraries) libs += f.malloc(sdsHdrSize(len, f.sdsTypeFitsHeader) + len + 1) + k.perLibrary;
  const functionsCaches = f.version >= 700 ? k.functionsEmpty + libs : 0;
  return {
    profile: p,
    startup: k.startup,
    afterLoad: k.afterLoad,
    keyBytes: c.allocated,
    keys: dbs.reduce((s, d) => s + (c.dbs.get(d.db)?.keys ?? 0), 0),
    functionsCaches,
    functionsAllocated: libs,
    dbs,
    datasetByType: c.datasetByType,
  };
}

/** Estimated used_memory right after loading (total.allocated), one server. */
export function estimateUsedMemory(a: DumpAnalysis): number {
  return usedMemoryOf(modelServer(a));
}

function usedMemoryOf(s: ServerModel): number {
  let total = s.startup + s.afterLoad + s.keyBytes + s.functionsAllocated;
  for (const d of s.dbs) total += d.allocated;
  return Math.round(total);
}

/** Fields that depend on the running process: reported as neutral values. */
const PROCESS_FIELDS = [
  'peak.allocated',
  'replication.backlog',
  'clients.slaves',
  'clients.normal',
  'cluster.links',
  'aof.buffer',
  'lua.caches',
  'overhead.db.hashtable.rehashing',
  'db.dict.rehashing.count',
  'peak.percentage',
  'allocator.allocated',
  'allocator.active',
  'allocator.resident',
  'allocator.muzzy',
  'allocator-fragmentation.ratio',
  'allocator-fragmentation.bytes',
  'allocator-rss.ratio',
  'allocator-rss.bytes',
  'rss-overhead.ratio',
  'rss-overhead.bytes',
  'fragmentation',
  'fragmentation.bytes',
];
/** Fields modelled from the data and per-version constants. */
const MODEL_FIELDS = ['total.allocated', 'startup.allocated', 'functions.caches', 'overhead.total', 'keys.bytes-per-key', 'dataset.bytes', 'dataset.percentage'];

/**
 * MEMORY STATS of the servers that would load these dumps (one per dump: cluster shards are
 * summed, database by database), in the first dump's profile's field names and order.
 */
export function memoryStats(analyses: DumpAnalysis[]): MemoryStats {
  if (analyses.length === 0) throw new Error('memoryStats: no dump');
  const servers = analyses.map(modelServer);
  const p = servers[0]!.profile;
  const v = p.version;
  const kv = kvstoreLayout(p);
  let total = 0;
  let startup = 0;
  let functionsCaches = 0;
  let keys = 0;
  const dbs = new Map<number, DbModel>();
  const byType = new Map<string, number>();
  for (const s of servers) {
    total += usedMemoryOf(s);
    startup += s.startup;
    functionsCaches += s.functionsCaches;
    keys += s.keys;
    for (const d of s.dbs) {
      const t = dbs.get(d.db);
      if (!t) dbs.set(d.db, { ...d });
      else {
        t.main += d.main;
        t.expires += d.expires;
        t.slotToKeys += d.slotToKeys;
        t.buckets += d.buckets;
        t.allocated += d.allocated;
      }
    }
    for (const [t, b] of s.datasetByType) byType.set(t, (byType.get(t) ?? 0) + b);
  }
  const dbList = [...dbs.values()].sort((a, b) => a.db - b.db);
  let overhead = startup + functionsCaches;
  let lut = 0;
  for (const d of dbList) {
    overhead += d.main + d.expires + (v >= 700 && !kv ? d.slotToKeys : 0);
    lut += d.buckets * POINTER;
  }
  const dataset = total - overhead;
  const net = total > startup ? total - startup : 1;
  const fields = memoryStatsFields(p, {
    peak: total,
    total,
    startup,
    backlog: 0,
    slaves: 0,
    clientsNormal: 0,
    functionsCaches,
    dbs: dbList,
    lut,
    overhead,
    keys,
    bytesPerKey: keys > 0 ? Math.floor(net / keys) : 0,
    dataset,
    datasetPercentage: (dataset * 100) / net,
    peakPercentage: 100,
  });
  const names = new Set(fields.map(([n]) => n));
  const estimated = [...MODEL_FIELDS, ...PROCESS_FIELDS].filter((n) => names.has(n));
  const datasetByType: Record<string, number> = {};
  let typed = 0;
  for (const t of VALUE_TYPES) {
    const b = byType.get(t);
    if (b === undefined) continue;
    datasetByType[t] = Math.round(b);
    typed += Math.round(b);
  }
  datasetByType.other = Math.round(dataset) - typed;
  return { fields, estimated, datasetByType };
}

/** A field's value by name (db.N sub-fields as "db.0.overhead.hashtable.main"). */
export function statsField(s: MemoryStats, name: string): StatsValue | undefined {
  for (const [n, v] of s.fields) {
    if (n === name) return v;
    if (Array.isArray(v) && name.startsWith(n + '.')) {
      const sub = name.slice(n.length + 1);
      for (const [k, x] of v) if (k === sub) return x;
    }
  }
  return undefined;
}

/** The figures a MEMORY STATS reply is laid out from (memoryStatsFields). */
export interface StatsFigures {
  peak: number;
  total: number;
  startup: number;
  backlog: number;
  slaves: number;
  clientsNormal: number;
  functionsCaches: number;
  /** lua.caches (evalScriptsMemory): the EVAL script cache; a dump holds none */
  luaCaches?: number;
  dbs: readonly { db: number; main: number; expires: number; slotToKeys: number }[];
  /** bucket pointers of every db's dicts (kvstore layouts only) */
  lut: number;
  overhead: number;
  keys: number;
  bytesPerKey: number;
  dataset: number;
  datasetPercentage: number;
  peakPercentage: number;
}

/**
 * MEMORY STATS's fields in the profile's names and order (memoryCommand "stats", object.c, per
 * version): the dump model (memoryStats) and the live model (src/instance/memory.ts) both lay
 * their figures out here. Allocator and fragmentation figures are the neutral values of a model.
 */
export function memoryStatsFields(p: ServerProfile, x: StatsFigures): [string, StatsValue][] {
  const v = p.version;
  const kv = kvstoreLayout(p);
  const fields: [string, StatsValue][] = [];
  const add = (name: string, value: StatsValue): void => {
    fields.push([name, value]);
  };
  add('peak.allocated', x.peak);
  add('total.allocated', x.total);
  add('startup.allocated', x.startup);
  add('replication.backlog', x.backlog);
  add('clients.slaves', x.slaves);
  add('clients.normal', x.clientsNormal);
  if (v >= 700) add('cluster.links', 0);
  add('aof.buffer', 0);
  add('lua.caches', x.luaCaches ?? 0);
  if (v >= 700) add('functions.caches', x.functionsCaches);
  for (const d of x.dbs) {
    const sub: [string, number][] = [
      ['overhead.hashtable.main', Math.round(d.main)],
      ['overhead.hashtable.expires', Math.round(d.expires)],
    ];
    if (v >= 700 && !kv) sub.push(['overhead.hashtable.slot-to-keys', d.slotToKeys]);
    add(`db.${d.db}`, sub);
  }
  if (kv) {
    add('overhead.db.hashtable.lut', x.lut);
    add('overhead.db.hashtable.rehashing', 0);
  }
  add('overhead.total', Math.round(x.overhead));
  if (kv) add('db.dict.rehashing.count', 0);
  add('keys.count', x.keys);
  add('keys.bytes-per-key', x.bytesPerKey);
  add('dataset.bytes', Math.round(x.dataset));
  add('dataset.percentage', x.datasetPercentage);
  add('peak.percentage', x.peakPercentage);
  add('allocator.allocated', x.total);
  add('allocator.active', x.total);
  add('allocator.resident', x.total);
  if (kv) add('allocator.muzzy', 0);
  add('allocator-fragmentation.ratio', 1);
  add('allocator-fragmentation.bytes', 0);
  add('allocator-rss.ratio', 1);
  add('allocator-rss.bytes', 0);
  add('rss-overhead.ratio', 1);
  add('rss-overhead.bytes', 0);
  add('fragmentation', 1);
  add('fragmentation.bytes', 0);
  return fields;
}
