/**
 * Parquet files written by `rdblens csv --format parquet` as input to `report` (and the other
 * commands that read aggregates): each dump in the file becomes a DumpAnalysis again, its
 * aggregates built by the same DumpAggregate from the rows (key bytes, type, encoding, size,
 * elements, expiry, in the dump's order), its file section from the `rdblens` metadata. So
 * `rdblens report a.parquet b.parquet` is `rdblens report a.rdb b.rdb`: totals, prefixes, top
 * keys, types, TTLs, per-shard section.
 *
 * What per-key rows cannot give is left out, not guessed: MEMORY STATS (allocator overheads,
 * RESIZEDB hints, functions) and MEMORY DOCTOR need the dump itself.
 */
import { emptyIntegrity } from '../src/rdb/integrity.js';
import { open } from 'node:fs/promises';
import type { DumpAnalysis } from '../src/memory/analyze.js';
import { DumpAggregate } from '../src/memory/aggregate.js';
import { compileFilter } from '../src/memory/filter.js';
import { PROFILE_IDS, profile as makeProfile, type ProfileId } from '../src/memory/profiles.js';
import type { StatsCollector } from '../src/memory/stats.js';
import type { DoctorCollector } from '../src/memory/doctor.js';
import { RdbError, type RdbErrorCode, type ValueType } from '../src/rdb/index.js';
import { sqlString } from '../src/report/parquet.js';
import { duckError, openDuck, type Duck } from './duckdb.js';
import { CliError, isSystemError } from './errors.js';
import type { Analyzed } from './common.js';
import { analysisSpec, type AnalysisSpec, type CommonOptionValues } from './options.js';
import { META_KEY, type ParquetMeta, type ParquetMetaFile } from './parquet-sink.js';

/** Why some sections are missing from a report made from Parquet. */
export const PARQUET_UNAVAILABLE = 'not available from Parquet input (it holds per-key rows; MEMORY STATS and DOCTOR need the dump itself)';

/** Whether `path` starts with Parquet's magic `PAR1` (an RDB dump starts with REDIS or VALKEY). */
export async function isParquetFile(path: string): Promise<boolean> {
  if (path === '-') return false;
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    if (isSystemError(err)) return false; // reported by the dump checks
    throw err;
  }
  try {
    // a directory, a FIFO, ...: not ours to judge (the dump checks word the error)
    if (!(await fh.stat()).isFile()) return false;
    const b = Buffer.alloc(4);
    const { bytesRead } = await fh.read(b, 0, 4, 0);
    return bytesRead === 4 && b.toString('latin1') === 'PAR1';
  } finally {
    await fh.close();
  }
}

/** 'parquet' when every input is a Parquet file, 'dumps' when none is; mixing is an error. */
export async function inputKind(files: readonly string[]): Promise<'parquet' | 'dumps'> {
  const kinds = await Promise.all(files.map((f) => isParquetFile(f)));
  const n = kinds.filter(Boolean).length;
  if (n === 0) return 'dumps';
  if (n === files.length) return 'parquet';
  throw new CliError('give either RDB dumps or Parquet files, not both', 2);
}

function isProfileId(s: string): s is ProfileId {
  return (PROFILE_IDS as readonly string[]).includes(s);
}

/** The `rdblens` metadata of a Parquet file, or null when it has none (written by another tool). */
async function readMeta(duck: Duck, file: string): Promise<ParquetMeta | null> {
  const r = await duck.connection.runAndReadAll(`SELECT decode(value) FROM parquet_kv_metadata(${sqlString(file)}) WHERE decode(key) = ${sqlString(META_KEY)}`);
  const rows = r.getRows();
  if (rows.length === 0) return null;
  let meta: ParquetMeta;
  try {
    meta = JSON.parse(String(rows[0]![0])) as ParquetMeta;
  } catch (err) {
    throw new CliError(`${file}: the '${META_KEY}' metadata is not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (meta.format !== 'rdblens-keys' || !Array.isArray(meta.files)) throw new CliError(`${file}: the '${META_KEY}' metadata is not rdblens-keys`);
  return meta;
}

/** A description of each dump in a file without our metadata: its `file` values, in order. */
async function metaFromRows(duck: Duck, file: string): Promise<ParquetMetaFile[]> {
  const r = await duck.connection.runAndReadAll(
    `SELECT file, any_value(shard), any_value(profile), count(*) FROM read_parquet(${sqlString(file)}, file_row_number = true) GROUP BY file ORDER BY min(file_row_number)`,
  );
  return r.getRows().map((row, index) => ({
    index,
    file: String(row[0]),
    shard: String(row[1] ?? row[0]),
    rdb_version: 0,
    valkey: false,
    aux: {},
    profile: String(row[2] ?? 'redis-7.0'),
    keys_in_file: Number(row[3]),
    keys: Number(row[3]),
    checksum: null,
    error: null,
  }));
}

function errorOf(f: ParquetMetaFile): RdbError | null {
  const e = f.error;
  if (!e) return null;
  return new RdbError(e.code as RdbErrorCode, e.reason, {
    offset: e.offset,
    file: f.file,
    ...(e.key !== null ? { key: Buffer.from(e.key, 'hex') } : {}),
    ...(e.rdb_type !== null ? { rdbType: e.rdb_type } : {}),
    ...(e.keys_read !== null ? { keysRead: e.keys_read } : {}),
  });
}

/** What the aggregates read of each row (numbers as doubles: exact below 2^53, no BigInt). */
const COLUMNS = 'file, database, key_bytes, type, encoding, CAST(size_in_bytes AS DOUBLE), CAST(num_elements AS DOUBLE), CAST(epoch_ms(expiry) AS DOUBLE)';

/**
 * The analyses of the dumps in `files` (Parquet), in order: file by file, each file's dumps in
 * the order they were written. The report's own options apply: --now, --separators, --depth,
 * the top lists' length and the key filters (--largest excepted).
 */
export async function analyzeParquet(files: readonly string[], spec: AnalysisSpec): Promise<DumpAnalysis[]> {
  if (spec.largest !== undefined) throw new CliError('--largest is not available with Parquet input (use rdblens sql)', 2);
  const filter = compileFilter(spec.filter);
  const duck = await openDuck();
  const analyses: DumpAnalysis[] = [];
  // the aggregates being filled, turned into the analyses' plain data at the end
  const collecting = new Map<DumpAnalysis, DumpAggregate>();
  try {
    for (const file of files) {
      let meta: ParquetMeta | null;
      let dumps: ParquetMetaFile[];
      try {
        meta = await readMeta(duck, file);
        dumps = meta ? meta.files : await metaFromRows(duck, file);
      } catch (err) {
        throw duckError(file, err);
      }
      const byName = new Map<string, DumpAnalysis>();
      for (const d of dumps) {
        const aggregate = new DumpAggregate({ now: spec.now, topN: spec.topN, prefix: { separators: spec.separators, depth: spec.depth } });
        const a: DumpAnalysis = {
          file: d.shard,
          fileIndex: analyses.length,
          rdbVersion: d.rdb_version,
          valkey: d.valkey,
          aux: d.aux,
          profile: makeProfile(isProfileId(d.profile) ? d.profile : 'redis-7.0'),
          keysInFile: d.keys_in_file ?? 0,
          expiredKeys: 0,
          expiredBytes: 0,
          functions: 0,
          moduleAux: [],
          aggregate: aggregate.data(),
          libraries: [],
          // per-key rows do not give these (see PARQUET_UNAVAILABLE)
          stats: null as unknown as StatsCollector,
          doctor: null as unknown as DoctorCollector,
          checksum: d.checksum ?? 'unknown',
          integrity: emptyIntegrity(),
          error: errorOf(d),
        };
        analyses.push(a);
        collecting.set(a, aggregate);
        if (!byName.has(d.file)) byName.set(d.file, a);
      }
      const single = dumps.length === 1 ? analyses[analyses.length - 1]! : null;
      let result;
      try {
        result = await duck.connection.stream(`SELECT ${COLUMNS} FROM read_parquet(${sqlString(file)})`);
      } catch (err) {
        throw duckError(file, err);
      }
      for (;;) {
        const chunk = await result.fetchChunk();
        if (!chunk || chunk.rowCount === 0) break;
        const [names, dbs, keys, types, encs, sizes, lens, exps] = chunk.getColumns() as [
          Array<string | null>,
          Array<number | null>,
          Array<{ bytes: Uint8Array } | null>,
          Array<string | null>,
          Array<string | null>,
          Array<number | null>,
          Array<number | null>,
          Array<number | null>,
        ];
        for (let i = 0; i < chunk.rowCount; i++) {
          const a = single ?? byName.get(names[i] ?? '');
          if (!a) throw new CliError(`${file}: a row of file "${names[i]}", which the metadata does not list`);
          const u8 = keys[i]?.bytes ?? new Uint8Array(0);
          const key = Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);
          const db = dbs[i] ?? 0;
          const type = (types[i] ?? 'string') as ValueType;
          const expireAt = exps[i] ?? -1;
          const bytes = sizes[i] ?? -1;
          if (!filter.pre(db, key, type, expireAt)) continue;
          if (filter.active && !filter.size(Math.max(0, bytes))) continue;
          if (expireAt >= 0 && expireAt <= spec.now) {
            a.expiredKeys++;
            a.expiredBytes += Math.max(0, bytes);
          }
          collecting.get(a)!.add(db, key, type, encs[i] ?? '', bytes, lens[i] ?? 0, expireAt, a.fileIndex);
        }
      }
    }
  } finally {
    duck.close();
  }
  for (const [a, agg] of collecting) a.aggregate = agg.data();
  return analyses;
}

/**
 * For commands that take dumps or Parquet files: the analyses when every input is Parquet
 * (null when they are dumps).
 */
export async function analyzedParquet(files: readonly string[], o: CommonOptionValues, topN: number): Promise<Analyzed | null> {
  if (files.length === 0 || (await inputKind(files)) === 'dumps') return null;
  const spec = analysisSpec(o, topN);
  return { spec, headers: [], analyses: await analyzeParquet(files, spec), passes: [] };
}
