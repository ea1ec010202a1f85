/**
 * What the Overview, Doctor and Prefixes views show for the whole load: the analyses of one or
 * several dumps (cluster shards) merged: totals, memory by type and by encoding, the prefix tree,
 * MEMORY STATS and MEMORY DOCTOR.
 */
import type { DumpAnalysis } from '../../memory/analyze.js';
import { PrefixTree } from '../../memory/prefix-tree.js';
import { memoryStats, statsField, type MemoryStats } from '../../memory/stats.js';
import { memoryDoctor, type DoctorReport } from './doctor-source.js';

export interface Tally {
  name: string;
  keys: number;
  bytes: number;
}

export interface FileSummary {
  file: string;
  rdbVersion: number;
  valkey: boolean;
  serverVersion: string | null;
  profile: string;
  keysInFile: number;
  keys: number;
  bytes: number;
  checksum: string;
  /** the parser's message when the dump is truncated or corrupt: what was read is shown */
  error: string | null;
}

export interface Summary {
  files: FileSummary[];
  keys: number;
  /** sum of MEMORY USAGE over the keys */
  bytes: number;
  /** keys with a TTL */
  expires: number;
  expiredKeys: number;
  expiredBytes: number;
  keyNameBytes: number;
  /** keys whose size is unknown (module values) */
  unknownSize: number;
  /** largest first */
  byType: Tally[];
  /** "type/encoding", largest first */
  byEncoding: Tally[];
  prefixes: PrefixTree;
  stats: MemoryStats | null;
  statsError: string | null;
  /** estimated used_memory (MEMORY STATS total.allocated), null when unknown */
  usedMemory: number | null;
  doctor: DoctorReport | null;
  doctorError: string | null;
}

/** Largest first (then most keys, then by name). */
export function bySize(a: Tally, b: Tally): number {
  return b.bytes - a.bytes || b.keys - a.keys || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A dump's line in the Overview (or, following a primary, its RDB's). */
export function fileSummary(a: DumpAnalysis): FileSummary {
  return {
    file: a.file,
    rdbVersion: a.rdbVersion,
    valkey: a.valkey,
    serverVersion: a.aux['valkey-ver'] ?? a.aux['redis-ver'] ?? null,
    profile: a.profile.id,
    keysInFile: a.keysInFile,
    keys: a.aggregate.total.keys,
    bytes: a.aggregate.total.bytes,
    checksum: a.checksum,
    error: a.error ? a.error.message : null,
  };
}

/** MEMORY DOCTOR over the analyses (null when there are none), or why it failed. */
export function doctorOf(analyses: DumpAnalysis[]): { doctor: DoctorReport | null; doctorError: string | null } {
  try {
    return { doctor: analyses.length > 0 ? memoryDoctor(analyses) : null, doctorError: null };
  } catch (err) {
    return { doctor: null, doctorError: errorMessage(err) };
  }
}

/**
 * Totals by type and by "type/encoding", largest first, summed over sources that each hold
 * per-type maps of per-encoding totals.
 */
export function typeTallies(sources: Iterable<ReadonlyMap<string, ReadonlyMap<string, { keys: number; bytes: number }>>>): { byType: Tally[]; byEncoding: Tally[] } {
  const types = new Map<string, Tally>();
  const encodings = new Map<string, Tally>();
  const bump = (m: Map<string, Tally>, name: string, keys: number, bytes: number): void => {
    const t = m.get(name);
    if (t) {
      t.keys += keys;
      t.bytes += bytes;
    } else m.set(name, { name, keys, bytes });
  };
  for (const typeEncodings of sources) {
    for (const [type, encs] of typeEncodings) {
      for (const [enc, t] of encs) {
        bump(types, type, t.keys, t.bytes);
        bump(encodings, `${type}/${enc}`, t.keys, t.bytes);
      }
    }
  }
  return { byType: [...types.values()].sort(bySize), byEncoding: [...encodings.values()].sort(bySize) };
}

/** A Summary's counts over the keys. */
export type KeyTotals = Pick<Summary, 'keys' | 'bytes' | 'expires' | 'expiredKeys' | 'expiredBytes' | 'keyNameBytes' | 'unknownSize'>;

/** Totals of no keys, to add to. */
export function noKeys(): KeyTotals {
  return { keys: 0, bytes: 0, expires: 0, expiredKeys: 0, expiredBytes: 0, keyNameBytes: 0, unknownSize: 0 };
}

export function summarize(analyses: DumpAnalysis[]): Summary {
  const t = noKeys();
  for (const a of analyses) {
    const g = a.aggregate;
    t.keys += g.total.keys;
    t.bytes += g.total.bytes;
    for (const d of g.byDb.values()) t.expires += d.expires;
    t.expiredKeys += a.expiredKeys;
    t.expiredBytes += a.expiredBytes;
    t.keyNameBytes += g.keyNameBytes;
    t.unknownSize += g.unknownSize;
  }
  let prefixes: PrefixTree;
  if (analyses.length === 1) prefixes = PrefixTree.of(analyses[0]!.aggregate.prefixes);
  else {
    prefixes = new PrefixTree(analyses[0]?.aggregate.prefixes.options);
    for (const a of analyses) prefixes.merge(a.aggregate.prefixes);
  }
  let stats: MemoryStats | null = null;
  let statsError: string | null = null;
  try {
    stats = analyses.length > 0 ? memoryStats(analyses) : null;
  } catch (err) {
    statsError = errorMessage(err);
  }
  const used = stats ? statsField(stats, 'total.allocated') : undefined;
  return {
    files: analyses.map(fileSummary),
    ...t,
    ...typeTallies(analyses.map((a) => a.aggregate.typeEncodings)),
    prefixes,
    stats,
    statsError,
    usedMemory: typeof used === 'number' ? used : null,
    ...doctorOf(analyses),
  };
}
