/**
 * The `rdblens evict` report: what a maxmemory limit would evict from servers loaded with these
 * dumps (src/engine/evict-dump.ts), as tables for the text and JSON sinks, and the victims as
 * key rows for the CSV sink, in eviction order.
 */
import type { KeyRow } from '../memory/analyze.js';
import type { EvictionRun, SimServer, Victim } from '../engine/evict-dump.js';
import { estimateObjectIdleTime, getLRUClock, LFUDecrAndReturn, policyFlags, MAXMEMORY_FLAG_LFU, MAXMEMORY_FLAG_LRU } from '../memory/evict.js';
import { keyPrefix } from './csv.js';
import { formatBytes, formatCount } from './format.js';
import { col, pct, type Cell, type Table } from './table.js';

interface Group {
  keys: number;
  bytes: number;
  evictedKeys: number;
  evictedBytes: number;
}

function group(): Group {
  return { keys: 0, bytes: 0, evictedKeys: 0, evictedBytes: 0 };
}

/** Idle-time buckets (LRU policies) and counter buckets (LFU). */
const IDLE_BUCKETS: [string, number][] = [
  ['< 1 min', 60_000],
  ['< 1 h', 3_600_000],
  ['< 1 day', 86_400_000],
  ['< 1 week', 7 * 86_400_000],
  ['≥ 1 week', Infinity],
];
const LFU_BUCKETS: [string, number][] = [
  ['0', 0],
  ['1-4', 4],
  ['5 (LFU_INIT_VAL)', 5],
  ['6-15', 15],
  ['16-63', 63],
  ['64-255', 255],
];
const TTL_BUCKETS: [string, number][] = [
  ['< 1 min', 60_000],
  ['< 1 h', 3_600_000],
  ['< 1 day', 86_400_000],
  ['< 1 week', 7 * 86_400_000],
  ['≥ 1 week', Infinity],
];

export interface EvictReportOptions {
  separators: string;
  depth: number;
  /** rows of the by-prefix and largest-victims tables */
  top: number;
}

export interface EvictSummary {
  tables: Table[];
  /** lines about the data the policy had (LRU/LFU present or not) */
  notes: string[];
  evictedKeys: number;
  evictedBytes: number;
  survivingKeys: number;
  survivingBytes: number;
  usedBefore: number;
  usedAfter: number;
  failed: boolean;
}

function bucketOf(buckets: [string, number][], v: number): number {
  for (let i = 0; i < buckets.length; i++) if (v <= buckets[i]![1]) return i;
  return buckets.length - 1;
}

/** The report of one run (the servers' state is the run's: call right after runEviction). */
export function evictSummary(run: EvictionRun, opts: EvictReportOptions): EvictSummary {
  const sep = Buffer.from(opts.separators, 'latin1');
  const byType = new Map<string, Group>();
  const byDb = new Map<number, Group>();
  const byPrefix = new Map<string, Group & { prefix: Buffer }>();
  const policy = run.config['maxmemory-policy'];
  const flags = policyFlags(policy);
  const lru = (flags & MAXMEMORY_FLAG_LRU) !== 0;
  const lfu = (flags & MAXMEMORY_FLAG_LFU) !== 0;
  const buckets = lru ? IDLE_BUCKETS : lfu ? LFU_BUCKETS : TTL_BUCKETS;
  const byScore = buckets.map(() => group());
  const noTtl = group();
  let totalKeys = 0;
  let totalBytes = 0;
  let usedBefore = 0;
  let usedAfter = 0;
  let failed = false;
  const victims: { s: SimServer; db: number; id: number; freed: number; order: number }[] = [];
  const clock = getLRUClock(run.now);
  for (const o of run.servers) {
    const s = o.server;
    usedBefore += o.usedBefore;
    usedAfter += o.usedAfter;
    failed ||= o.failed;
    const evicted = new Map<number, number>();
    for (const v of s.victims) evicted.set(v.db * 4294967296 + v.id, v.freed);
    for (const [db, d] of s.dbs.entries()) {
      for (const id of s.loadedIds(db)) {
        const ks = d.ks;
        const freed = evicted.get(db * 4294967296 + id);
        const bytes = d.alloc[id]! + (ks.expireOf(id) >= 0 ? s.expiresEntryBytes : 0);
        const add = (g: Group): void => {
          g.keys++;
          g.bytes += bytes;
          if (freed !== undefined) {
            g.evictedKeys++;
            g.evictedBytes += freed;
          }
        };
        totalKeys++;
        totalBytes += bytes;
        const type = ks.typeOf(id);
        let t = byType.get(type);
        if (!t) byType.set(type, (t = group()));
        add(t);
        let g = byDb.get(db);
        if (!g) byDb.set(db, (g = group()));
        add(g);
        const key = ks.keyOf(id);
        const prefix = keyPrefix(key, sep, opts.depth);
        const pk = prefix.toString('latin1');
        let p = byPrefix.get(pk);
        if (!p) byPrefix.set(pk, (p = { ...group(), prefix: Buffer.from(prefix) }));
        add(p);
        if (lru) add(byScore[bucketOf(buckets, estimateObjectIdleTime(d.lru[id]!, clock))]!);
        else if (lfu) add(byScore[bucketOf(buckets, LFUDecrAndReturn(d.lru[id]!, run.now, run.config['lfu-decay-time']))]!);
        else if (ks.expireOf(id) >= 0) add(byScore[bucketOf(buckets, ks.expireOf(id) - run.now)]!);
        else add(noTtl);
      }
    }
    s.victims.forEach((v, i) => victims.push({ s, db: v.db, id: v.id, freed: v.freed, order: i }));
  }
  const cols = [col('keys', 'count'), col('bytes', 'bytes'), col('evicted_keys', 'count', 'evicted keys'), col('evicted_bytes', 'bytes', 'evicted bytes'), col('evicted_percent', 'percent', '% bytes evicted'), col('surviving_keys', 'count', 'keys left'), col('surviving_bytes', 'bytes', 'bytes left')];
  const cells = (g: Group): Cell[] => [g.keys, g.bytes, g.evictedKeys, g.evictedBytes, pct(g.evictedBytes, g.bytes), g.keys - g.evictedKeys, g.bytes - g.evictedBytes];
  let evictedKeys = 0;
  let evictedBytes = 0;
  for (const g of byType.values()) {
    evictedKeys += g.evictedKeys;
    evictedBytes += g.evictedBytes;
  }
  const prefixes = [...byPrefix.values()].sort((a, b) => b.evictedBytes - a.evictedBytes || b.bytes - a.bytes || Buffer.compare(a.prefix, b.prefix));
  const largest = victims.sort((a, b) => b.freed - a.freed || a.order - b.order).slice(0, opts.top);
  const scoreTitle = lru ? 'By idle time at eviction (LRU)' : lfu ? 'By LFU counter at eviction (decayed)' : 'By time to live at eviction';
  const scoreRows: Cell[][] = buckets.map(([name], i) => [name, ...cells(byScore[i]!)]);
  if (!lru && !lfu && noTtl.keys > 0) scoreRows.push(['no TTL', ...cells(noTtl)]);
  const tables: Table[] = [
    { id: 'by_type', title: 'By type', columns: [col('type', 'text'), ...cols], rows: [...byType.entries()].sort((a, b) => b[1].evictedBytes - a[1].evictedBytes || (a[0] < b[0] ? -1 : 1)).map(([t, g]) => [t, ...cells(g)]) },
    { id: 'by_db', title: 'By database', columns: [col('db', 'number'), ...cols], rows: [...byDb.entries()].sort((a, b) => a[0] - b[0]).map(([db, g]) => [db, ...cells(g)]) },
    {
      id: 'by_prefix',
      title: 'By key prefix (most evicted first)',
      columns: [col('prefix', 'key'), ...cols],
      rows: prefixes.slice(0, opts.top).map((p) => [p.prefix, ...cells(p)]),
      ...(prefixes.length > opts.top ? { note: `${prefixes.length - opts.top} more prefixes not shown` } : {}),
    },
    { id: 'by_score', title: scoreTitle, columns: [col('bucket', 'text'), ...cols], rows: scoreRows },
    {
      id: 'largest_victims',
      title: 'Largest evicted keys',
      columns: [col('order', 'number', '#'), col('db', 'number'), col('key', 'key'), col('type', 'text'), col('freed', 'bytes', 'bytes freed'), col('expiry', 'time')],
      rows: largest.map((v) => {
        const ks = v.s.dbs[v.db]!.ks;
        const at = ks.expireOf(v.id);
        return [v.order + 1, v.db, Buffer.from(ks.keyOf(v.id)), ks.typeOf(v.id), v.freed, at < 0 ? null : at];
      }),
    },
  ];
  return {
    tables,
    notes: dataNotes(run),
    evictedKeys,
    evictedBytes,
    survivingKeys: totalKeys - evictedKeys,
    survivingBytes: totalBytes - evictedBytes,
    usedBefore,
    usedAfter,
    failed,
  };
}

/** What the dump tells the policy, and what the policy does without it. */
export function dataNotes(run: EvictionRun): string[] {
  const policy = run.config['maxmemory-policy'];
  const flags = policyFlags(policy);
  let keys = 0;
  let idle = 0;
  let freq = 0;
  let volatile = 0;
  for (const o of run.servers) {
    keys += o.server.keys;
    idle += o.server.withIdle;
    freq += o.server.withFreq;
    for (const d of o.server.loadedVolatile()) volatile += d;
  }
  const out: string[] = [];
  if (flags & MAXMEMORY_FLAG_LRU) {
    if (idle === 0)
      out.push(
        `the dump has no LRU idle times (its server's policy was not an LRU one): a server loading it gives every key the same access time, so ${policy} picks among equals, in effect at random; the exact order is then dump order`,
      );
    else if (idle < keys) out.push(`${formatCount(keys - idle)} of ${formatCount(keys)} keys have no LRU idle time: they count as accessed when the dump was saved`);
  } else if (flags & MAXMEMORY_FLAG_LFU) {
    if (freq === 0)
      out.push(
        `the dump has no LFU counters (its server's policy was not an LFU one): a server loading it starts every key at LFU_INIT_VAL (5), so ${policy} picks among equals, in effect at random; the exact order is then dump order`,
      );
    else if (freq < keys) out.push(`${formatCount(keys - freq)} of ${formatCount(keys)} keys have no LFU counter: they start at LFU_INIT_VAL (5)`);
  }
  if (policy.startsWith('volatile-') && volatile === 0) out.push(`no key has a TTL: ${policy} can evict nothing, writes would get -OOM as under noeviction`);
  if (policy.endsWith('-random')) out.push(`${policy} needs no figures from the dump: victims are drawn at random (seeded), one db after the other`);
  return out;
}

/** The victims as CSV key rows, in eviction order (server after server). */
export function* victimRows(run: EvictionRun): IterableIterator<KeyRow> {
  for (const o of run.servers) {
    for (const v of o.server.victims) {
      const info = o.server.dbs[v.db]!.ks.info(v.id);
      yield {
        file: info.file,
        db: v.db,
        key: info.key,
        type: info.type,
        encoding: info.encoding,
        bytes: info.memory,
        length: info.length,
        maxElementLength: info.maxElementLength,
        expireAt: info.expireAt,
        idle: info.idle,
        freq: info.freq,
        offset: info.offset,
        breakdown: { key: 0, object: 0, entryOverhead: 0, payload: 0 },
        allocation: v.freed,
      };
    }
  }
}

/** Share of the victims in `a` (per server) that `b` evicted too. */
export function victimOverlap(a: readonly (readonly Victim[])[], b: readonly (readonly Victim[])[]): number {
  let n = 0;
  let both = 0;
  for (const [i, list] of a.entries()) {
    const other = new Set((b[i] ?? []).map((v) => v.db * 4294967296 + v.id));
    for (const v of list) {
      n++;
      if (other.has(v.db * 4294967296 + v.id)) both++;
    }
  }
  return n === 0 ? 1 : both / n;
}

/** The heading lines of the text report. */
export function headline(run: EvictionRun, s: EvictSummary): string[] {
  const c = run.config;
  const lines = [
    `policy ${c['maxmemory-policy']} · maxmemory ${formatBytes(c.maxmemory)} (${formatCount(c.maxmemory)} bytes) · ${run.mode === 'exact' ? 'exact order' : `sampled, maxmemory-samples ${c['maxmemory-samples']}`}`,
    `used_memory after load ≈ ${formatBytes(s.usedBefore)} (${formatCount(s.usedBefore)})${run.servers.length > 1 ? ` over ${run.servers.length} servers` : ''}`,
  ];
  if (s.usedBefore <= c.maxmemory || c.maxmemory === 0) lines.push('under the limit: nothing would be evicted');
  else if (c['maxmemory-policy'] === 'noeviction') lines.push(`over the limit by ${formatBytes(s.usedBefore - c.maxmemory)}: noeviction evicts nothing, every denyoom write gets -OOM`);
  else
    lines.push(
      `evicted ${formatCount(s.evictedKeys)} keys, ${formatBytes(s.evictedBytes)} · left ${formatCount(s.survivingKeys)} keys · used_memory after ≈ ${formatBytes(s.usedAfter)}${s.failed ? ' · still over: nothing left to evict (writes get -OOM)' : ''}`,
    );
  return lines;
}
