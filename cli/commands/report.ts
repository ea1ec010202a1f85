/**
 * `rdblens report <dump...>`: where the memory goes, as a terminal summary or one JSON document
 * (`--json`). See docs/cli.md.
 */
import { Command, Option } from 'commander';
import { memoryDoctor } from '../../src/memory/doctor.js';
import { memoryStats } from '../../src/memory/stats.js';
import { reportJson, reportText, type ReportInput } from '../../src/report/report.js';
import { snapshotAnalysis } from '../../src/replica/snapshot.js';
import { ReplicationError } from '../../src/replica/link.js';
import { analyzeFiles, failIfIncomplete, modelOf, processIo, textStyle, writeAll, type Analyzed, type CommandIo } from '../common.js';
import { addCommonOptions, analysisSpec, parseHostPort, parseNonNegativeInt, parsePositiveInt, type CommonOptionValues } from '../options.js';
import { progressFor } from '../progress.js';
import { openOutput } from '../output.js';
import { forEachKey } from '../../src/memory/sizer.js';
import { writeWorkbook, type KeySheets } from '../../src/report/xlsx.js';
import type { WriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { reportPage } from '../../src/report/html/page.js';
import { writeFile } from '../output.js';
import { CliError } from '../errors.js';
import { analyzedParquet, PARQUET_UNAVAILABLE } from '../parquet-input.js';

export interface ReportOptions extends CommonOptionValues {
  json: boolean;
  /** write the report as a workbook here */
  xlsx?: string;
  /** write the report as one self-contained HTML page here */
  html?: string;
  /** with --xlsx: Keys sheets with every key */
  keys: boolean;
  /** rows per Keys sheet (hidden --xlsx-sheet-rows, for tests of the split; default XLSX_MAX_ROWS) */
  xlsxSheetRows?: number;
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
  if (o.keys && !o.xlsx) throw new CliError('--keys adds the Keys sheets to --xlsx: give --xlsx <file> too');
  if (o.xlsxSheetRows !== undefined && o.xlsxSheetRows < 2) throw new CliError('--xlsx-sheet-rows must leave room for a key after the header (2 or more)');
  const topN = Math.max(o.top, 10);
  // output files are opened once the inputs are known good, before the analysis: a bad path fails first
  const outs: { xlsx: WriteStream | null; html: WriteStream | null } = { xlsx: null, html: null };
  const openOutputs = async (): Promise<void> => {
    if (o.xlsx !== undefined) outs.xlsx = await openOutput(o.xlsx);
    if (o.html !== undefined) outs.html = await openOutput(o.html);
  };
  if (o.replicaof) await openOutputs();
  // Parquet written by `rdblens csv --format parquet`: per-key rows, no MEMORY STATS / DOCTOR
  const parquet = o.replicaof ? null : await analyzedParquet(files, o, topN);
  if (parquet) await openOutputs();
  const a = parquet ?? (o.replicaof ? await analyzePrimary(o, topN, io) : await analyzeFiles(files, o, { topN, aggregates: true, io, onReady: openOutputs }));
  const xlsxOut = outs.xlsx;
  const doctor = parquet ? null : memoryDoctor(a.analyses);
  const input: ReportInput = {
    model: modelOf(a),
    stats: parquet ? null : memoryStats(a.analyses),
    doctor: doctor ? doctor.text : null,
    tips: doctor ? doctor.tips : [],
    topKeys: o.top,
    topPrefixes: o.prefixes,
    ...(parquet ? { unavailable: PARQUET_UNAVAILABLE } : {}),
  };
  if (xlsxOut) {
    const files = a.headers.map((h) => h.file);
    await writeWorkbook(xlsxOut, input, {
      escape: o.escape,
      ...(o.xlsxSheetRows !== undefined ? { maxRows: o.xlsxSheetRows } : {}),
      ...(o.keys ? { keys: (sheets) => keyPass(files, a, sheets) } : {}),
    });
    await finished(xlsxOut);
  }
  if (outs.html) await writeFile(outs.html, reportPage(input, o.escape));
  if (o.json || (!xlsxOut && !outs.html)) {
    const text = o.json ? reportJson(input, o.escape) : reportText(input, textStyle(o, io.stdout as NodeJS.WriteStream));
    await writeAll(io.stdout, text);
  }
  failIfIncomplete(a.analyses);
}

/** The Keys sheets: a second pass over the dumps, paced by the workbook's zip and file stream (sheets.pause). */
async function keyPass(files: readonly string[], a: Analyzed, sheets: KeySheets): Promise<void> {
  const { spec } = a;
  await forEachKey(files, { target: spec.target, config: spec.config, filter: spec.filter }, (row) => sheets.add(row), () => sheets.pause());
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
    .option('--xlsx <file>', 'also write the report as a workbook (.xlsx): a sheet per part; no text on stdout unless --json')
.option('--html <file>', 'also write the report as one self-contained HTML page (charts, no network); no text on stdout unless --json')
    .option('--keys', 'with --xlsx: add Keys sheets with every key (split past 1,048,576 rows)', false)
    // tests: a small split threshold, to see the Keys sheets split without a million keys
    .addOption(new Option('--xlsx-sheet-rows <n>', 'rows per Keys sheet, header included').argParser(parsePositiveInt('a row count')).hideHelp())
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
