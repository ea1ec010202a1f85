/**
 * One pass over a dump: parse, size every key on the chosen server profile, filter, and feed
 * the aggregates (and, when asked, a per-key callback for CSV and the engine).
 */
import { RdbError, nameFoundKeys, type IntegrityData } from '../rdb/index.js';
import { sampling, withSource } from '../source/parse.js';
import type { KeyRecord, RdbRecord } from '../rdb/index.js';
import { DumpAggregate, type AggregateData, type AggregateOptions } from './aggregate.js';
import type { KeyFilterSpec } from './filter.js';
import { KeySizer, type KeyRow } from './sizer.js';
import { profile as makeProfile, ProfileId, ServerConfig, ServerProfile } from './profiles.js';
import { StatsCollector, type LoadStats } from './stats.js';
import { DoctorCollector, type DoctorData, type DoctorOptions } from './doctor.js';

export type { KeyRow } from './sizer.js';

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
  /** Redis's load-time findings are errors (ParserOptions.strict) */
  strict?: boolean;
  /** read one part of the file (ParserOptions.split): see mergeSplit */
  split?: { at: number; part: 'head' | 'tail' };
  /** every record other than a key, as it is read (before the analysis takes it) */
  onMeta?: (r: RdbRecord) => void;
}

/**
 * The result of one pass, as plain data: no class instances or functions, so it crosses
 * worker threads with postMessage as it is (structured clone; Buffers arrive as Uint8Arrays).
 * The collectors that build it live in startAnalysis.
 */
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
  /** the function libraries' code (RDB_OPCODE_FUNCTION2), for serve to load them */
  libraries: Uint8Array[];
  moduleAux: string[];
  aggregate: AggregateData;
  /** what MEMORY STATS needs (per-db counts and RESIZEDB hints, allocations, functions): see stats.ts */
  stats: LoadStats;
  /** what MEMORY DOCTOR needs: see doctor.ts */
  doctor: DoctorData;
  checksum: string;
  /** what Redis's load-time checks found: damaged values, duplicate keys, empty keys left out */
  integrity: IntegrityData;
  /** set when the dump is truncated or corrupt: what was read is still reported */
  error: RdbError | null;
}

/** Analyze one dump file. A corrupt or truncated dump resolves with `error` set (incomplete). */
export async function analyzeDump(path: string, opts: AnalyzeOptions = {}): Promise<DumpAnalysis> {
  // a live source (redis://...) reads as a dump; its CONFIG GET thresholds under --config
  return withSource(path, async (src) => {
    const onKey = sampling(src, opts.onKey);
    const a = startAnalysis(src.name, src.live ? { ...opts, config: { ...src.config, ...opts.config }, ...(onKey ? { onKey } : {}) } : opts);
    try {
      const onMeta = opts.onMeta;
      const onRecord = onMeta
        ? (r: RdbRecord): void => {
            if (r.kind !== 'key') onMeta(r);
            a.onRecord(r);
          }
        : a.onRecord;
      await src.parse({ onRecord, onProgress: opts.onProgress, strict: opts.strict === true, ...(opts.split ? { split: opts.split } : {}) });
      if (!src.live) await nameFoundKeys(path, a.result.integrity);
    } catch (e) {
      if (e instanceof RdbError) return a.finish(e);
      throw e;
    }
    return a.finish(null);
  });
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
  const sizer = new KeySizer({ target: opts.target, config: opts.config, filter: opts.filter, fileIndex });
  const result: DumpAnalysis = {
    file: path,
    fileIndex,
    rdbVersion: 0,
    valkey: false,
    aux: sizer.aux,
    profile: opts.target !== undefined ? sizer.profile : makeProfile('redis-7.0', opts.config),
    keysInFile: 0,
    expiredKeys: 0,
    expiredBytes: 0,
    functions: 0,
    libraries: [],
    moduleAux: [],
    aggregate: aggregate.data(),
    stats: null as unknown as LoadStats,
    doctor: null as unknown as DoctorData,
    checksum: 'absent',
    integrity: sizer.integrity,
    error: null,
  };
  let profileChosen = opts.target !== undefined;
  // records seen before the profile is known (SELECTDB, RESIZEDB, FUNCTION precede the first key)
  const early: RdbRecord[] = [];
  const choose = (): void => {
    if (profileChosen) return;
    profileChosen = true;
    result.profile = sizer.profile;
  };
  let stats: StatsCollector | null = null;
  let doctor: DoctorCollector | null = null;
  const collectors = (): { stats: StatsCollector; doctor: DoctorCollector } => {
    if (stats && doctor) return { stats, doctor };
    choose();
    stats = new StatsCollector(result.profile, !sizer.filtering);
    doctor = new DoctorCollector(result.profile, opts.doctor);
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
        sizer.note(r);
        result.rdbVersion = sizer.rdbVersion;
        result.valkey = sizer.valkey;
        return;
      case 'aux':
        sizer.note(r);
        return;
      case 'selectdb':
      case 'resizedb':
        if (stats) stats.record(r);
        else early.push(r);
        return;
      case 'function':
        result.functions++;
        if (!r.preRelease) result.libraries.push(r.code);
        if (stats) stats.record(r);
        else early.push(r);
        return;
      case 'module-aux':
        result.moduleAux.push(r.moduleName);
        return;
      case 'eof':
        result.checksum = r.checksum;
        sizer.note(r);
        return;
      case 'integrity':
        sizer.note(r);
        return;
      default:
        return;
    }
  };
  const sizeKey = (r: KeyRecord): void => {
    const passed = sizer.size(r);
    result.keysInFile = sizer.keysInFile;
    if (!passed) return;
    const m = sizer.memory;
    const bytes = sizer.bytes;
    const expired = r.expireAt >= 0 && r.expireAt <= now;
    if (expired) {
      result.expiredKeys++;
      result.expiredBytes += Math.max(0, bytes);
    }
    const c = collectors();
    const allocation = c.stats.key(r, m, expired);
    c.doctor.key(r, m, expired);
    aggregate.add(r.db, r.key, r.type, m.encoding, bytes, r.length, r.expireAt, fileIndex, r.offset);
    if (onKey) onKey(opts.allocations ? { ...sizer.row(r), allocation } : sizer.row(r));
  };
  return {
    result,
    onRecord,
    finish(error: RdbError | null): DumpAnalysis {
      result.error = error;
      const c = collectors();
      // the scalars are copied at the end; the maps and arrays were shared from the start
      result.aggregate = aggregate.data();
      result.stats = c.stats.data();
      result.doctor = c.doctor.data();
      return result;
    },
  };
}
