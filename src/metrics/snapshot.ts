/**
 * The figures the metrics export, read from a running `rdblens serve` at scrape time: the
 * engine's keyspaces as they are now (live writes and a follower's stream included) tallied as
 * the report tallies a dump (a DumpAggregate over every key), MEMORY STATS as the server answers
 * it, the DOCTOR tips of the last full load, the follower's link and the live source's refresh.
 * Only public reads of the instance and the follower: nothing here changes them.
 */
import { DumpAggregate, TTL_BUCKETS, type Tally, type TtlBucket } from '../memory/aggregate.js';
import { memoryDoctor, type Tip } from '../memory/doctor.js';
import type { ValueType } from '../rdb/index.js';
import { escapeBytes } from '../report/escape.js';
import { memoryStats } from '../instance/memory.js';
import type { StatsValue } from '../memory/stats.js';
import type { Instance } from '../instance/instance.js';
import type { Follower } from '../replica/follower.js';
import type { RefreshState } from '../source/load.js';

/** The label a prefix outside the top N is summed under. */
export const OTHER_PREFIX = '(other)';
/** The label for keys without a separator (no prefix at the chosen depth). */
export const NO_PREFIX = '(none)';
/** Prefixes exported at most (a label set must stay bounded). */
export const MAX_PREFIXES = 200;

export interface MetricsOptions {
  /** characters ending a key prefix (as --separators) */
  separators: string;
  /** the prefix level exported (1: `user:`) */
  depth: number;
  /** the N prefixes with the most bytes at that depth; the rest under OTHER_PREFIX */
  topPrefixes: number;
  /** reference time for the TTL buckets (default: the scrape's time) */
  now?: () => number;
}

export interface Snapshot {
  at: number;
  total: Tally;
  byDb: Array<{ db: number; keys: number; bytes: number; expires: number }>;
  byType: Array<{ type: ValueType; keys: number; bytes: number }>;
  byTypeEncoding: Array<{ type: ValueType; encoding: string; keys: number; bytes: number }>;
  ttl: Array<{ bucket: TtlBucket; keys: number; bytes: number }>;
  prefixes: Array<{ prefix: string; keys: number; bytes: number }>;
  usedMemory: number;
  /** MEMORY STATS as the server answers it: [name, value] with db.N as [name, value] pairs */
  memoryStats: [string, StatsValue][];
  tips: Tip[];
  follower: FollowerFigures | null;
  refresh: RefreshState | null;
}

export interface FollowerFigures {
  state: string;
  up: boolean;
  syncing: boolean;
  lastIoSecondsAgo: number;
  lagBytes: number;
  offset: number;
  syncReadBytes: number;
  syncTotalBytes: number;
  keysLoaded: number;
  fullSyncs: number;
  partialSyncs: number;
  reconnects: number;
  commandsApplied: number;
  unsupportedCommands: number;
  staleKeys: number;
}

export interface MetricsSource {
  /** the instance served (its dbs, analyses, profile) */
  server: Instance;
  follower?: Follower | null;
  refresh?: RefreshState | null;
}

function followerFigures(f: Follower): FollowerFigures {
  const info = new Map(f.infoLines());
  const n = (k: string): number => Number(info.get(k) ?? 0);
  const p = f.progress();
  return {
    state: p.state,
    up: info.get('master_link_status') === 'up',
    syncing: n('master_sync_in_progress') === 1,
    lastIoSecondsAgo: n('master_last_io_seconds_ago'),
    lagBytes: n('rdblens_lag_bytes'),
    offset: n('slave_repl_offset'),
    syncReadBytes: p.rdbRead,
    syncTotalBytes: p.rdbSize ?? -1,
    keysLoaded: p.keysLoaded,
    fullSyncs: n('rdblens_full_syncs'),
    partialSyncs: n('rdblens_partial_syncs'),
    reconnects: n('rdblens_reconnects'),
    commandsApplied: n('rdblens_commands_applied'),
    unsupportedCommands: n('rdblens_unsupported_commands'),
    staleKeys: n('rdblens_stale_keys'),
  };
}

/** DOCTOR's tips per loaded dataset (the analyses of a full load do not change until the next) */
const doctorTips = new WeakMap<object, Tip[]>();

/** Tally the server's keyspaces now (one pass over every key). */
export function takeSnapshot(src: MetricsSource, o: MetricsOptions): Snapshot {
  const { server } = src;
  const at = o.now?.() ?? Date.now();
  const agg = new DumpAggregate({ now: at, topN: 0, prefix: { separators: o.separators, depth: o.depth } });
  for (const [i, db] of server.dbs.entries()) {
    const ks = db.ks;
    for (let id = 0; id < ks.idLimit; id++) {
      if (!ks.isLive(id)) continue;
      const exp = ks.expireOf(id);
      // a key past its TTL is gone for every reader of the server: leave it out
      if (exp >= 0 && exp <= at) continue;
      agg.add(i, ks.keyOf(id), ks.typeOf(id), ks.encodingOf(id), ks.memoryOf(id), ks.lengthOf(id), exp, ks.fileOf(id));
    }
  }
  const byType = [...agg.byType].map(([type, t]) => ({ type, keys: t.keys, bytes: t.bytes }));
  const byTypeEncoding: Snapshot['byTypeEncoding'] = [];
  for (const [type, encs] of agg.typeEncodings) for (const [encoding, t] of encs) byTypeEncoding.push({ type, encoding, keys: t.keys, bytes: t.bytes });
  const byDb = [...agg.byDb].sort((a, b) => a[0] - b[0]).map(([db, t]) => ({ db, keys: t.keys, bytes: t.bytes, expires: t.expires }));
  const ttl = TTL_BUCKETS.map((bucket) => ({ bucket, keys: agg.ttl.get(bucket)!.keys, bytes: agg.ttl.get(bucket)!.bytes }));
  // prefixes at the chosen depth, largest first; the rest summed (bounded label set)
  const level = agg.prefixes.flatten().filter((p) => p.depth === o.depth);
  level.sort((a, b) => b.bytes - a.bytes || Buffer.compare(a.prefix, b.prefix));
  const top = level.slice(0, Math.min(o.topPrefixes, MAX_PREFIXES));
  const prefixes = top.map((p) => ({ prefix: escapeBytes(p.prefix, 'utf8'), keys: p.keys, bytes: p.bytes }));
  const rest = { keys: agg.total.keys, bytes: agg.total.bytes };
  for (const p of top) {
    rest.keys -= p.keys;
    rest.bytes -= p.bytes;
  }
  prefixes.push({ prefix: OTHER_PREFIX, keys: rest.keys, bytes: rest.bytes });
  const stats = memoryStats(server);
  let tips = doctorTips.get(server.analyses);
  if (tips === undefined) {
    tips = server.analyses.length > 0 ? memoryDoctor(server.analyses).tips : [];
    doctorTips.set(server.analyses, tips);
  }
  return {
    at,
    total: { keys: agg.total.keys, bytes: agg.total.bytes },
    byDb,
    byType,
    byTypeEncoding,
    ttl,
    prefixes,
    usedMemory: stats.used,
    memoryStats: stats.fields,
    tips,
    follower: src.follower ? followerFigures(src.follower) : null,
    refresh: src.refresh ?? null,
  };
}
