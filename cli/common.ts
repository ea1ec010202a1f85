/**
 * What the analysis commands share: the run (header checks, worker pool, progress bar), the
 * report model, and the end of a command (incomplete dumps: exit 1 after the output).
 */
import type { Writable } from 'node:stream';
import type { DumpAnalysis } from '../src/memory/analyze.js';
import { integrityWarnings, type IntegrityData, type RdbError } from '../src/rdb/index.js';
import { buildModel, type ReportModel } from '../src/report/model.js';
import { wantColor, type TextStyle } from '../src/report/text.js';
import { readDumpHeader, runAnalysis, type DumpHeader, type RunRequest } from './analysis.js';
import { CliError } from './errors.js';
import { analysisSpec, type AnalysisSpec, type CommonOptionValues } from './options.js';
import { progressFor } from './progress.js';
import { LoadWatch, whileLoading } from './interrupt.js';
import type { KeyPass } from '../src/memory/sizer.js';

export interface CommandIo {
  stdout: Writable | NodeJS.WriteStream;
  stderr: NodeJS.WriteStream | Writable;
}

export const processIo = (): CommandIo => ({ stdout: process.stdout, stderr: process.stderr });

export interface Analyzed {
  spec: AnalysisSpec;
  headers: DumpHeader[];
  analyses: DumpAnalysis[];
  passes: KeyPass[];
}

/** Check every file, then analyze them all (in parallel up to --jobs) with a progress bar. */
export async function analyzeFiles(
  files: readonly string[],
  o: CommonOptionValues,
  opts: {
    topN: number;
    /** default 'analysis' */
    mode?: 'analysis' | 'keys';
    aggregates: boolean;
    csv?: RunRequest['csv'];
    io?: CommandIo;
    spec?: AnalysisSpec;
    /** the files' headers when already read (readDumpHeader) */
    headers?: DumpHeader[];
    /** called once every file is known to be a readable dump, before the analysis starts */
    onReady?: () => Promise<void>;
  },
): Promise<Analyzed> {
  const spec = opts.spec ?? analysisSpec(o, opts.topN);
  const headers = opts.headers ?? (await readHeaders(files, spec));
  await opts.onReady?.();
  const stderr = (opts.io?.stderr ?? process.stderr) as NodeJS.WriteStream;
  const progress = progressFor(
    headers.map((h) => h.size),
    o.quiet,
    stderr,
    headers.length > 0 && headers.every((h) => h.live) ? 'keys' : 'bytes',
  );
  // SIGINT / SIGTERM while the dumps are read: say where (cli/interrupt.ts)
  const watch = new LoadWatch(
    headers.map((h) => ({ name: h.file, size: h.size, unit: h.live ? 'key' : 'byte' })),
    progress,
  );
  try {
    const { analyses, passes } = await whileLoading(
      watch,
      (line) => stderr.write(`${line}\n`),
      () =>
        runAnalysis({
          files,
          spec,
          mode: opts.mode ?? 'analysis',
          jobs: o.jobs ?? 1,
          aggregates: opts.aggregates,
          progress: watch,
          headers,
          ...(opts.csv ? { csv: opts.csv } : {}),
        }),
    );
    progress?.clear();
    const results: Array<{ integrity: IntegrityData }> = analyses.length > 0 ? analyses : passes;
    results.forEach((r, i) => warnIntegrity(stderr, headers[i]?.file ?? files[i]!, r.integrity));
    return { spec, headers, analyses, passes };
  } finally {
    progress?.clear();
  }
}

/** The load-time findings of a dump (src/rdb/integrity.ts) as warnings on stderr. */
export function warnIntegrity(stderr: NodeJS.WritableStream | Writable, file: string, d: IntegrityData): void {
  const lines = integrityWarnings(file, d);
  if (lines.length > 0) stderr.write(lines.map((l) => `rdblens: ${l}\n`).join(''));
}

/** Check every file (in order: the first bad one is reported) and read its header. */
export async function readHeaders(files: readonly string[], spec: Pick<AnalysisSpec, 'target'>): Promise<DumpHeader[]> {
  const headers: DumpHeader[] = [];
  for (const f of files) headers.push(await readDumpHeader(f, spec.target));
  return headers;
}

export function modelOf(a: Analyzed): ReportModel {
  return buildModel(a.analyses, { topN: a.spec.topN, prefix: { separators: a.spec.separators, depth: a.spec.depth } });
}

/**
 * Exit 1 with one line per dump that could not be read to the end (after the output);
 * `written` says how many keys of that dump went to the output before the error (csv, json).
 */
export function failIfIncomplete<T extends { error: RdbError | null }>(results: readonly T[], written?: (r: T) => number): void {
  const lines = results
    .filter((a) => a.error !== null)
    .map((a) => (written ? `${a.error!.message} (${keysWritten(written(a))} before it)` : a.error!.message));
  if (lines.length > 0) throw new CliError(lines.join('\nrdblens: '));
}

/** Write text and wait until the stream has taken it. */
export function writeAll(out: Writable | NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    (out as Writable).write(text, (err) => (err ? reject(err) : resolve()));
  });
}

export function textStyle(o: { color?: 'auto' | 'always' | 'never'; escape: CommonOptionValues['escape'] }, out: { isTTY?: boolean }): TextStyle {
  return { color: wantColor(o.color ?? 'auto', out), escape: o.escape, maxKeyWidth: 60 };
}

/** "1 key written", "0 keys written". */
export function keysWritten(n: number): string {
  return `${n} key${n === 1 ? '' : 's'} written`;
}
