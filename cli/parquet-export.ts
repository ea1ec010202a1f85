/**
 * `rdblens csv --format parquet`: the per-key rows of one or more dumps as one Parquet file.
 * The rows are the CSV export's (the same pass, the same worker pool, in file order); the
 * sink (cli/parquet-sink.ts) makes them Parquet. See docs/cli.md and docs/fleet.md.
 */
import type { RdbError } from '../src/rdb/index.js';
import type { ParquetFileInfo, ParquetRowOptions } from '../src/report/parquet.js';
import { analyzeFiles, failIfIncomplete, readHeaders, type CommandIo } from './common.js';
import type { DumpHeader } from './analysis.js';
import { CliError } from './errors.js';
import { analysisSpec, type AnalysisSpec, type CommonOptionValues } from './options.js';
import { ParquetOutput, type ParquetMeta, type ParquetMetaError, type ParquetMetaFile } from './parquet-sink.js';
import type { KeyPass } from '../src/memory/sizer.js';

export interface ParquetExportOptions extends CommonOptionValues {
  output?: string;
  /** one name per dump, in order (default: the file as given) */
  shard?: string[];
}

export function metaError(e: RdbError | null): ParquetMetaError | null {
  if (!e) return null;
  return {
    code: e.code,
    reason: e.reason,
    offset: e.offset,
    key: e.key ? Buffer.from(e.key).toString('hex') : null,
    rdb_type: e.rdbType ?? null,
    keys_read: e.keysRead ?? null,
    message: e.message,
  };
}

/** The metadata's description of each dump: from its header, then (`pass`) from its pass. */
export function metaFile(h: DumpHeader, index: number, shard: string, pass: KeyPass | null, keys: number | null): ParquetMetaFile {
  return {
    index,
    file: h.file,
    shard,
    rdb_version: h.rdbVersion,
    valkey: h.valkey,
    aux: h.aux,
    profile: pass?.profile ?? h.profile,
    keys_in_file: pass ? pass.keysInFile : null,
    keys,
    checksum: pass ? pass.checksum : null,
    error: pass ? metaError(pass.error) : null,
  };
}

function filtered(spec: AnalysisSpec): boolean {
  return spec.largest !== undefined || Object.keys(spec.filter).length > 0;
}

/** Shard names, one per file: --shard given once per dump, or the file names. */
export function shardNames(files: readonly string[], shards: readonly string[] | undefined): string[] {
  if (!shards || shards.length === 0) return [...files];
  if (shards.length !== files.length) throw new CliError(`--shard: give one name per dump (${files.length} dumps, ${shards.length} names)`, 2);
  return [...shards];
}

/**
 * Write the rows of `files` as a Parquet file (`o.output`; '-' or none: standard output).
 * `spec` and `headers` when the caller has them already.
 */
export async function runParquetExport(files: string[], o: ParquetExportOptions, io: CommandIo, pre?: { spec: AnalysisSpec; headers: DumpHeader[] }): Promise<{ passes: KeyPass[] }> {
  const spec = pre?.spec ?? analysisSpec(o, 0);
  const shards = shardNames(files, o.shard);
  // the inputs first: no output file is made for a missing dump
  const headers = pre?.headers ?? (await readHeaders(files, spec));
  const fileInfo: ParquetFileInfo[] = headers.map((h, i) => ({ file: h.file, shard: shards[i]!, profile: h.profile }));
  const rows: ParquetRowOptions = { escape: o.escape, now: spec.now, separators: spec.separators, depth: spec.depth };
  const meta = (passes: KeyPass[]): ParquetMeta => ({
    format: 'rdblens-keys',
    version: 1,
    now: new Date(spec.now).toISOString(),
    separators: spec.separators,
    depth: spec.depth,
    escape: o.escape,
    filtered: filtered(spec),
    files: headers.map((h, i) => {
      const pass = passes[i] ?? null;
      return metaFile(h, i, shards[i]!, pass, pass && spec.largest === undefined ? pass.keys : null);
    }),
  });
  const output = await ParquetOutput.open({ output: o.output ?? '-', stdout: io.stdout, files: fileInfo, rows });
  try {
    const { passes } = await analyzeFiles(files, o, {
      spec,
      headers,
      mode: 'keys',
      topN: 0,
      aggregates: false,
      io,
      csv: {
        options: { escape: o.escape, extra: false, withFile: false, now: spec.now, separators: spec.separators, depth: spec.depth },
        output,
        format: 'parquet',
      },
    });
    await output.finish(meta(passes));
    return { passes };
  } finally {
    await output.cleanup();
  }
}

/** The command: write, then exit 1 for a dump not read to the end (its rows are written). */
export async function runCsvParquet(files: string[], o: ParquetExportOptions, io: CommandIo): Promise<void> {
  if ((o.output === undefined || o.output === '-') && (io.stdout as NodeJS.WriteStream).isTTY) {
    throw new CliError('--format parquet writes binary data: give -o <file.parquet> (or redirect standard output)', 2);
  }
  const { passes } = await runParquetExport(files, o, io);
  failIfIncomplete(passes);
}
