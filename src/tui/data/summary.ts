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

function bySize(a: Tally, b: Tally): number {
  return b.bytes - a.bytes || b.keys - a.keys || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function summarize(analyses: DumpAnalysis[]): Summary {
  const types = new Map<string, Tally>();
  const encodings = new Map<string, Tally>();
  const bump = (m: Map<string, Tally>, name: string, keys: number, bytes: number): void => {
    const t = m.get(name);
    if (t) {
      t.keys += keys;
      t.bytes += bytes;
    } else m.set(name, { name, keys, bytes });
  };
  let keys = 0;
  let bytes = 0;
  let expires = 0;
  let expiredKeys = 0;
  let expiredBytes = 0;
  let keyNameBytes = 0;
  let unknownSize = 0;
  const files: FileSummary[] = [];
  for (const a of analyses) {
    const g = a.aggregate;
    keys += g.total.keys;
    bytes += g.total.bytes;
    for (const d of g.byDb.values()) expires += d.expires;
    expiredKeys += a.expiredKeys;
    expiredBytes += a.expiredBytes;
    keyNameBytes += g.keyNameBytes;
    unknownSize += g.unknownSize;
    for (const [type, encs] of g.typeEncodings) {
      for (const [enc, t] of encs) {
        bump(types, type, t.keys, t.bytes);
        bump(encodings, `${type}/${enc}`, t.keys, t.bytes);
      }
    }
    files.push({
      file: a.file,
      rdbVersion: a.rdbVersion,
      valkey: a.valkey,
      serverVersion: a.aux['valkey-ver'] ?? a.aux['redis-ver'] ?? null,
      profile: a.profile.id,
      keysInFile: a.keysInFile,
      keys: g.total.keys,
      bytes: g.total.bytes,
      checksum: a.checksum,
      error: a.error ? a.error.message : null,
    });
  }
  let prefixes: PrefixTree;
  if (analyses.length === 1) prefixes = analyses[0]!.aggregate.prefixes;
  else {
    prefixes = new PrefixTree(analyses[0]?.aggregate.prefixes.options);
    for (const a of analyses) prefixes.merge(a.aggregate.prefixes);
  }
  let stats: MemoryStats | null = null;
  let statsError: string | null = null;
  try {
    stats = analyses.length > 0 ? memoryStats(analyses) : null;
  } catch (err) {
    statsError = message(err);
  }
  const used = stats ? statsField(stats, 'total.allocated') : undefined;
  let doctor: DoctorReport | null = null;
  let doctorError: string | null = null;
  try {
    doctor = analyses.length > 0 ? memoryDoctor(analyses) : null;
  } catch (err) {
    doctorError = message(err);
  }
  return {
    files,
    keys,
    bytes,
    expires,
    expiredKeys,
    expiredBytes,
    keyNameBytes,
    unknownSize,
    byType: [...types.values()].sort(bySize),
    byEncoding: [...encodings.values()].sort(bySize),
    prefixes,
    stats,
    statsError,
    usedMemory: typeof used === 'number' ? used : null,
    doctor,
    doctorError,
  };
}
