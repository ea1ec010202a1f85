/**
 * `rdblens report <dump...>`: where the memory goes, as a terminal summary or one JSON document
 * (`--json`). See docs/cli.md.
 */
import { Command } from 'commander';
import { memoryDoctor } from '../../src/memory/doctor.js';
import { memoryStats } from '../../src/memory/stats.js';
import { reportJson, reportText, type ReportInput } from '../../src/report/report.js';
import { snapshotAnalysis } from '../../src/replica/snapshot.js';
import { ReplicationError } from '../../src/replica/link.js';
import { analyzeFiles, failIfIncomplete, modelOf, processIo, textStyle, writeAll, type Analyzed, type CommandIo } from '../common.js';
import { addCommonOptions, analysisSpec, parseHostPort, parseNonNegativeInt, type CommonOptionValues } from '../options.js';
import { progressFor } from '../progress.js';
import { CliError } from '../errors.js';
import { analyzedParquet, PARQUET_UNAVAILABLE } from '../parquet-input.js';

export interface ReportOptions extends CommonOptionValues {
  json: boolean;
  top: number;
  prefixes: number;
  replicaof?: { host: string; port: number };
  masterauth?: string;
  masteruser?: string;
}

/** --replicaof: one full sync from the primary, analysed as it streams in (nothing on disk). */
async function analyzePrimary(o: ReportOptions, topN: number, io: CommandIo): Promise<Analyzed> {
  const spec = analysisSpec(o, topN);
  const stderr = (io.stderr ?? process.stderr) as NodeJS.WriteStream;
  let bar = progressFor([1], o.quiet, stderr);
  let sized: number | null = null;
  try {
    const analysis = await snapshotAnalysis({
      host: o.replicaof!.host,
      port: o.replicaof!.port,
      masterauth: o.masterauth,
      masteruser: o.masteruser,
      analyze: {
        target: spec.target,
        config: spec.config,
        filter: spec.filter,
        aggregate: { now: spec.now, topN: spec.topN, prefix: { separators: spec.separators, depth: spec.depth } },
      },
      onProgress: (read, total, keys) => {
        if (bar && sized !== total && total !== null && total > 0) {
          bar.clear();
          bar = progressFor([total], o.quiet, stderr);
          sized = total;
        }
        bar?.update(0, read, keys);
      },
    });
    return { spec, headers: [], analyses: [analysis], passes: [] };
  } catch (e) {
    if (e instanceof ReplicationError) throw new CliError(`--replicaof ${e.message}`);
    throw e;
  } finally {
    bar?.clear();
  }
}

export async function runReport(files: string[], o: ReportOptions, io: CommandIo = processIo()): Promise<void> {
  const topN = Math.max(o.top, 10);
  // Parquet written by `rdblens csv --format parquet`: per-key rows, no MEMORY STATS / DOCTOR
  const parquet = o.replicaof ? null : await analyzedParquet(files, o, topN);
  const a = parquet ?? (o.replicaof ? await analyzePrimary(o, topN, io) : await analyzeFiles(files, o, { topN, aggregates: true, io }));
  const input: ReportInput = {
    model: modelOf(a),
    stats: parquet ? null : memoryStats(a.analyses),
    doctor: parquet ? null : memoryDoctor(a.analyses).text,
    topKeys: o.top,
    topPrefixes: o.prefixes,
    ...(parquet ? { unavailable: PARQUET_UNAVAILABLE } : {}),
  };
  const text = o.json ? reportJson(input, o.escape) : reportText(input, textStyle(o, io.stdout as NodeJS.WriteStream));
  await writeAll(io.stdout, text);
  failIfIncomplete(a.analyses);
}

export function register(program: Command, io: () => CommandIo = processIo): void {
  const cmd = program
    .command('report')
    .description('where the memory goes: stats, doctor, top keys, types, prefixes, TTLs, shards')
    .argument('[dump...]', 'RDB files (several: a cluster, one per master), or Parquet files from csv --format parquet')
    .option('--replicaof <host:port>', "report on a running primary: take one full sync as a replica (PSYNC), then disconnect; nothing is written to disk", parseHostPort)
    .option('--masterauth <password>', "the primary's password (AUTH)")
    .option('--masteruser <user>', 'the ACL user to AUTH as on the primary')
    .option('--json', 'one JSON document instead of text', false)
    .option('-n, --top <n>', 'largest keys listed', parseNonNegativeInt('a count'), 10)
    .option('--prefixes <n>', 'prefixes listed', parseNonNegativeInt('a count'), 10);
  addCommonOptions(cmd, { color: true });
  cmd.action(async (files: string[], o: ReportOptions) => {
    // usage errors as commander words them (usage after, exit 2)
    if (o.replicaof && files.length > 0) cmd.error('error: --replicaof takes the data from the primary: give no dump files');
    if (!o.replicaof && files.length === 0) cmd.error("error: missing required argument 'dump' (or --replicaof host:port)");
    await runReport(files, o, io());
  });
}
