/**
 * The report model: the analyses of one or several dumps (a cluster has one per master) merged
 * into totals over all, plus a section per file. The merge is deterministic: files are taken in
 * the order given, tallies are sums, and lists are sorted by a total order, so the result does
 * not depend on which thread analyzed which file or in what order they finished.
 */
import type { IntegrityData } from '../rdb/integrity.js';
import type { DumpAnalysis } from '../memory/analyze.js';
import { COUNT_BOUNDS, SIZE_BOUNDS, TTL_BUCKETS, tallyByEncoding, tallyByType, tallyByTypeEncoding, type KeySample, type Tally, type TtlBucket } from '../memory/aggregate.js';
import { topNSorted } from '../memory/top-n.js';
import { PrefixTree, type PrefixOptions } from '../memory/prefix-tree.js';
import type { ProfileId } from '../memory/profiles.js';
import type { ValueType } from '../rdb/index.js';

export interface FileError {
  code: string;
  /** the parser's one-line message: `<file>: <code> at byte <offset> (key "..."): <reason>` */
  message: string;
  offset: number;
  /** keys completely read before the error, when known */
  keysRead: number | null;
}

export interface FileSection {
  index: number;
  file: string;
  rdbVersion: number;
  valkey: boolean;
  /** `Redis <redis-ver>` or `Valkey <valkey-ver>` from the dump's AUX fields, null when absent */
  serverVersion: string | null;
  profile: ProfileId;
  /** keys in the file before filters (expired ones included) */
  keysInFile: number;
  /** keys that passed the filters, and their memory */
  keys: number;
  bytes: number;
  expires: number;
  expiredKeys: number;
  expiredBytes: number;
  checksum: string;
  /** set when the dump is truncated or corrupt: the section covers what was read */
  error: FileError | null;
  /** Redis's load-time findings (damaged values, duplicate and empty keys) */
  integrity: IntegrityData;
}

export interface ReportTotals {
  keysInFile: number;
  keys: number;
  bytes: number;
  /** keys with a TTL */
  expires: number;
  /** keys already expired at the reference time (a server drops them on load) */
  expiredKeys: number;
  expiredBytes: number;
  /** bytes of key names (raw lengths) */
  keyNameBytes: number;
  /** keys whose size is unknown (module values; counted as 0 bytes) */
  unknownSize: number;
}

export interface ReportModel {
  /** reference time for TTLs (ms since the epoch) */
  now: number;
  /** false when any dump could not be read to the end */
  complete: boolean;
  files: FileSection[];
  total: ReportTotals;
  byDb: Array<Tally & { db: number; expires: number }>;
  byType: Array<Tally & { type: ValueType }>;
  byEncoding: Array<Tally & { encoding: string }>;
  byTypeEncoding: Array<Tally & { type: ValueType; encoding: string }>;
  ttl: Array<Tally & { bucket: TtlBucket }>;
  /** `upTo` is the bucket's inclusive upper bound, null for the open last bucket */
  sizeHistogram: Array<Tally & { upTo: number | null }>;
  countHistogram: Array<Tally & { upTo: number | null }>;
  topByMemory: KeySample[];
  topByElements: KeySample[];
  prefixes: PrefixTree;
}

/** Largest first; ties in file order, then db, then key bytes (a total order: deterministic). */
export function compareSamples(score: (s: KeySample) => number): (a: KeySample, b: KeySample) => number {
  return (a, b) => score(b) - score(a) || a.file - b.file || a.db - b.db || Buffer.compare(a.key, b.key);
}

/** Tallies largest first, ties by name. */
function byBytes<T extends Tally>(name: (t: T) => string): (a: T, b: T) => number {
  return (a, b) => b.bytes - a.bytes || b.keys - a.keys || (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0);
}

function add(into: Tally, from: Tally): void {
  into.keys += from.keys;
  into.bytes += from.bytes;
}

function sumInto<K>(into: Map<K, Tally>, from: ReadonlyMap<K, Tally>): void {
  for (const [k, t] of from) {
    const cur = into.get(k);
    if (cur) add(cur, t);
    else into.set(k, { keys: t.keys, bytes: t.bytes });
  }
}

/** The file's error as plain data. */
export function fileError(a: DumpAnalysis): FileError | null {
  const e = a.error;
  if (!e) return null;
  return { code: e.code, message: e.message, offset: e.offset, keysRead: e.keysRead ?? null };
}

export interface ModelOptions {
  /** length of the top-key lists (the aggregates must have kept at least as many) */
  topN: number;
  prefix?: Partial<PrefixOptions>;
}

/** Merge the analyses of one or more dumps (in the order given) into one report model. */
export function buildModel(analyses: readonly DumpAnalysis[], opts: ModelOptions): ReportModel {
  const now = analyses[0]?.aggregate.options.now ?? Date.now();
  const prefixOptions = analyses[0]?.aggregate.prefixes.options ?? opts.prefix ?? {};
  const total: ReportTotals = { keysInFile: 0, keys: 0, bytes: 0, expires: 0, expiredKeys: 0, expiredBytes: 0, keyNameBytes: 0, unknownSize: 0 };
  const byDb = new Map<number, Tally & { expires: number }>();
  const byType = new Map<ValueType, Tally>();
  const byEncoding = new Map<string, Tally>();
  const byTypeEncoding = new Map<string, Tally>();
  const ttl = new Map<TtlBucket, Tally>(TTL_BUCKETS.map((b) => [b, { keys: 0, bytes: 0 }]));
  const sizes = SIZE_BOUNDS.map(() => ({ keys: 0, bytes: 0 }));
  const counts = COUNT_BOUNDS.map(() => ({ keys: 0, bytes: 0 }));
  const topMem: KeySample[] = [];
  const topLen: KeySample[] = [];
  const prefixes = new PrefixTree(prefixOptions);
  const files: FileSection[] = [];

  for (const a of analyses) {
    const g = a.aggregate;
    let expires = 0;
    for (const [db, d] of g.byDb) {
      expires += d.expires;
      const cur = byDb.get(db);
      if (cur) {
        add(cur, d);
        cur.expires += d.expires;
      } else byDb.set(db, { keys: d.keys, bytes: d.bytes, expires: d.expires });
    }
    sumInto(byType, tallyByType(g));
    sumInto(byEncoding, tallyByEncoding(g));
    sumInto(byTypeEncoding, tallyByTypeEncoding(g));
    sumInto(ttl, g.ttl);
    g.sizeHistogram.forEach((t, i) => add(sizes[i]!, t));
    g.countHistogram.forEach((t, i) => add(counts[i]!, t));
    for (const { item } of topNSorted(g.topByMemory)) topMem.push(item);
    for (const { item } of topNSorted(g.topByElements)) topLen.push(item);
    prefixes.merge(g.prefixes);
    total.keysInFile += a.keysInFile;
    total.keys += g.total.keys;
    total.bytes += g.total.bytes;
    total.expires += expires;
    total.expiredKeys += a.expiredKeys;
    total.expiredBytes += a.expiredBytes;
    total.keyNameBytes += g.keyNameBytes;
    total.unknownSize += g.unknownSize;
    const aux = a.aux;
    files.push({
      index: a.fileIndex,
      file: a.file,
      rdbVersion: a.rdbVersion,
      valkey: a.valkey,
      serverVersion: aux['valkey-ver'] !== undefined ? `Valkey ${aux['valkey-ver']}` : aux['redis-ver'] !== undefined ? `Redis ${aux['redis-ver']}` : null,
      profile: a.profile.id,
      keysInFile: a.keysInFile,
      keys: g.total.keys,
      bytes: g.total.bytes,
      expires,
      expiredKeys: a.expiredKeys,
      expiredBytes: a.expiredBytes,
      checksum: a.checksum,
      error: fileError(a),
      integrity: a.integrity,
    });
  }

  const typeEnc = [...byTypeEncoding].map(([k, t]) => {
    const slash = k.indexOf('/');
    return { type: k.slice(0, slash) as ValueType, encoding: k.slice(slash + 1), keys: t.keys, bytes: t.bytes };
  });
  return {
    now,
    complete: files.every((f) => f.error === null),
    files,
    total,
    byDb: [...byDb].map(([db, t]) => ({ db, ...t })).sort((a, b) => a.db - b.db),
    byType: [...byType].map(([type, t]) => ({ type, ...t })).sort(byBytes((t) => t.type)),
    byEncoding: [...byEncoding].map(([encoding, t]) => ({ encoding, ...t })).sort(byBytes((t) => t.encoding)),
    byTypeEncoding: typeEnc.sort(byBytes((t) => `${t.type}/${t.encoding}`)),
    ttl: TTL_BUCKETS.map((bucket) => ({ bucket, ...ttl.get(bucket)! })),
    sizeHistogram: SIZE_BOUNDS.map((b, i) => ({ upTo: Number.isFinite(b) ? b : null, ...sizes[i]! })),
    countHistogram: COUNT_BOUNDS.map((b, i) => ({ upTo: Number.isFinite(b) ? b : null, ...counts[i]! })),
    topByMemory: topMem.sort(compareSamples((s) => s.bytes)).slice(0, opts.topN),
    topByElements: topLen.sort(compareSamples((s) => s.length)).slice(0, opts.topN),
    prefixes,
  };
}
