/**
 * One pass over a dump: parse, size every key on the chosen server profile, filter, and feed
 * the aggregates (and, when asked, a per-key callback for CSV and the engine).
 */
import { parseRdbFile, RdbError } from '../rdb/index.js';
import type { KeyRecord, RdbRecord } from '../rdb/index.js';
import type { ValueType } from '../rdb/constants.js';
import { DumpAggregate, AggregateOptions } from './aggregate.js';
import { compileFilter, KeyFilterSpec } from './filter.js';
import { memoryUsage, newKeyMemory, profileForRedisVersion } from './usage.js';
import { profile as makeProfile, ProfileId, ServerConfig, ServerProfile } from './profiles.js';
import { StatsCollector } from './stats.js';
import { DoctorCollector, DoctorOptions } from './doctor.js';

/** One key as the presenters see it. */
export interface KeyRow {
  file: number;
  db: number;
  key: Buffer;
  type: ValueType;
  /** encoding on the target server after load (OBJECT ENCODING) */
  encoding: string;
  /** MEMORY USAGE estimate; -1 when unknown (module values) */
  bytes: number;
  length: number;
  maxElementLength: number;
  expireAt: number;
  idle: number;
  freq: number;
  /** offset of the key's record in the dump */
  offset: number;
  /** key name, object and entry overhead, payload */
  breakdown: { key: number; object: number; entryOverhead: number; payload: number };
  /** with AnalyzeOptions.allocations: allocator bytes the loaded key takes (src/memory/alloc.ts keyAllocation); 0 for a key the server drops on load */
  allocation?: number;
}

export interface AnalyzeOptions {
  /** model this server instead of the one that wrote the dump */
  target?: ProfileId;
  config?: Partial<ServerConfig>;
  filter?: KeyFilterSpec;
  aggregate?: Partial<AggregateOptions>;
  /** index of this file among several (cluster shards) */
  fileIndex?: number;
  /** every key that passes the filter; the row's key Buffer is the caller's to keep */
  onKey?: (row: KeyRow) => void;
  /** give rows their `allocation` (the eviction simulation needs it) */
  allocations?: boolean;
  onProgress?: (bytesRead: number, keys: number) => void;
  /** thresholds of the MEMORY DOCTOR tips (doctor.ts) */
  doctor?: Partial<DoctorOptions>;
}

export interface DumpAnalysis {
  file: string;
  fileIndex: number;
  rdbVersion: number;
  valkey: boolean;
  aux: Record<string, string>;
  profile: ServerProfile;
  /** keys in the file, before filters (expired ones included) */
  keysInFile: number;
  /** keys already expired at the reference time */
  expiredKeys: number;
  expiredBytes: number;
  functions: number;
  moduleAux: string[];
  aggregate: DumpAggregate;
  /** what MEMORY STATS needs (per-db counts and RESIZEDB hints, allocations, functions): see stats.ts */
  stats: StatsCollector;
  /** what MEMORY DOCTOR needs: see doctor.ts */
  doctor: DoctorCollector;
  checksum: string;
  /** set when the dump is truncated or corrupt: what was read is still reported */
  error: RdbError | null;
}

/** Analyze one dump file. A corrupt or truncated dump resolves with `error` set (incomplete). */
export async function analyzeDump(path: string, opts: AnalyzeOptions = {}): Promise<DumpAnalysis> {
  const a = startAnalysis(path, opts);
  try {
    await parseRdbFile(path, { onRecord: a.onRecord, onProgress: opts.onProgress });
  } catch (e) {
    if (e instanceof RdbError) return a.finish(e);
    throw e;
  }
  return a.finish(null);
}

/**
 * A push-fed analysis, for dumps that do not come from a file (a replication stream): give
 * every record of one parse to `onRecord`, then call `finish` once with the parse's error or null.
 */
export interface PendingAnalysis {
  readonly result: DumpAnalysis;
  onRecord(r: RdbRecord): void;
  finish(error: RdbError | null): DumpAnalysis;
}

/** Begin analysing a dump named `name` (shown in reports) whose records will be pushed. */
export function startAnalysis(name: string, opts: AnalyzeOptions = {}): PendingAnalysis {
  const path = name;
  const fileIndex = opts.fileIndex ?? 0;
  const aggregate = new DumpAggregate(opts.aggregate);
  const now = aggregate.options.now;
  const filter = compileFilter(opts.filter);
  const result: DumpAnalysis = {
    file: path,
    fileIndex,
    rdbVersion: 0,
    valkey: false,
    aux: {},
    profile: makeProfile(opts.target ?? 'redis-7.0', opts.config),
    keysInFile: 0,
    expiredKeys: 0,
    expiredBytes: 0,
    functions: 0,
    moduleAux: [],
    aggregate,
    stats: null as unknown as StatsCollector,
    doctor: null as unknown as DoctorCollector,
    checksum: 'absent',
    error: null,
  };
  let profileChosen = opts.target !== undefined;
  // records seen before the profile is known (SELECTDB, RESIZEDB, FUNCTION precede the first key)
  const early: RdbRecord[] = [];
  const choose = (): void => {
    if (profileChosen) return;
    profileChosen = true;
    const id = profileForRedisVersion(result.aux['redis-ver'] ?? '', result.aux['valkey-ver'], result.rdbVersion);
    result.profile = makeProfile(id, opts.config);
  };
  let stats: StatsCollector | null = null;
  let doctor: DoctorCollector | null = null;
  const collectors = (): { stats: StatsCollector; doctor: DoctorCollector } => {
    if (stats && doctor) return { stats, doctor };
    choose();
    stats = result.stats = new StatsCollector(result.profile, !filter.active);
    doctor = result.doctor = new DoctorCollector(result.profile, opts.doctor);
    for (const r of early.splice(0)) stats.record(r);
    return { stats, doctor };
  };
  const onKey = opts.onKey;
  const onRecord = (r: RdbRecord): void => {
    switch (r.kind) {
      case 'key':
        choose();
        return sizeKey(r);
      case 'header':
        result.rdbVersion = r.version;
        result.valkey = r.magic === 'VALKEY';
        return;
      case 'aux':
        result.aux[r.name] = r.value.toString('latin1');
        return;
      case 'selectdb':
      case 'resizedb':
        if (stats) stats.record(r);
        else early.push(r);
        return;
      case 'function':
        result.functions++;
        if (stats) stats.record(r);
        else early.push(r);
        return;
      case 'module-aux':
        result.moduleAux.push(r.moduleName);
        return;
      case 'eof':
        result.checksum = r.checksum;
        return;
      default:
        return;
    }
  };
  const scratch = newKeyMemory();
  const sizeKey = (r: KeyRecord): void => {
    result.keysInFile++;
    if (!filter.pre(r.db, r.key, r.type, r.expireAt)) return;
    const m = memoryUsage(r, result.profile, scratch);
    const bytes = m.unknown ? -1 : m.bytes;
    if (filter.active && !filter.size(Math.max(0, bytes))) return;
    const expired = r.expireAt >= 0 && r.expireAt <= now;
    if (expired) {
      result.expiredKeys++;
      result.expiredBytes += Math.max(0, bytes);
    }
    const c = collectors();
    const allocation = c.stats.key(r, m, expired);
    c.doctor.key(r, m, expired);
    aggregate.add(r.db, r.key, r.type, m.encoding, bytes, r.length, r.expireAt, fileIndex);
    if (onKey) {
      onKey({
        file: fileIndex,
        db: r.db,
        key: r.key,
        type: r.type,
        encoding: m.encoding,
        bytes,
        length: r.length,
        maxElementLength: r.maxElementLength,
        expireAt: r.expireAt,
        idle: r.idle,
        freq: r.freq,
        offset: r.offset,
        breakdown: { ...m.breakdown },
        ...(opts.allocations ? { allocation } : {}),
      });
    }
  };
  return {
    result,
    onRecord,
    finish(error: RdbError | null): DumpAnalysis {
      result.error = error;
      collectors();
      return result;
    },
  };
}
