/**
 * Running the analysis of one or more dumps for a command: every file is checked first (exists,
 * readable, an RDB header: otherwise one line and exit 1 before any output), then analyzed by a
 * pool of worker threads, up to `jobs` at once, in file order. The result is the same however
 * many threads run: each file's analysis is the same function of the file, and results are
 * put back in file order (CSV rows included: see OrderedOutput; Parquet rows go a part per slot: ParquetOutput).
 */
import { Worker } from 'node:worker_threads';
import type { DumpAnalysis } from '../src/memory/analyze.js';
import { DumpAggregate } from '../src/memory/aggregate.js';
import { profileForRedisVersion } from '../src/memory/usage.js';
import type { ProfileId } from '../src/memory/profiles.js';
import { RdbError, RdbParser, splitMin } from '../src/rdb/index.js';
import { mergeSplitAnalysis, mergeSplitPass } from '../src/memory/split.js';
import type { KeyCsvOptions } from '../src/report/csv.js';
import { mergeLargest } from '../src/report/largest.js';
import { CliError, isSystemError, systemReason } from './errors.js';
import { openDumpFile } from './input.js';
import { isLiveUrl } from '../src/source/url.js';
import { sourceNote } from '../src/source/parse.js';
import { liveHeader } from './live.js';
import { rowFormatter, runJob, type JobRequest, type RankedRow, type RowFormat } from './job.js';
import type { AnalysisSpec } from './options.js';
import type { RowOutput } from './ordered-output.js';
import type { ProgressLike } from './interrupt.js';
import { FLOW_ABORT, FLOW_INFLIGHT, type FailData, type FromWorker, type ToWorker } from './protocol.js';
import type { KeyPass } from '../src/memory/sizer.js';
import { reviveAnalysis, reviveBuffers, reviveError } from './transfer.js';

/** What the start of a dump says, read before the analysis starts. */
export interface DumpHeader {
  file: string;
  size: number;
  rdbVersion: number;
  valkey: boolean;
  aux: Record<string, string>;
  /** the profile the sizes will model (the --target, or the one matching the writer) */
  profile: ProfileId;
  /** a live source (redis://): `size` is its keys (DBSIZE), not bytes */
  live?: boolean;
  /** the first database's RESIZEDB size, when the dump has one: a hint of its key count (splitShare) */
  firstDbKeys?: number;
}

/** Bytes read from the start of a dump to find its version and AUX fields. */
const HEADER_CHUNK = 64 * 1024;
const HEADER_MAX = 4 << 20;

/**
 * Check that `path` is a readable RDB file and read its header and AUX fields. Throws a
 * CliError (one line, exit 1) for a missing or unreadable file or one that is not an RDB dump.
 */
export async function readDumpHeader(path: string, target?: ProfileId): Promise<DumpHeader> {
  if (isLiveUrl(path)) return liveHeader(path, target);
  const { fh, st } = await openDumpFile(path);
  try {
    if (!st.isFile()) throw new CliError(`${path}: not a regular file`);
    if (st.size === 0) throw new CliError(`${path}: empty file (0 bytes), not an RDB dump`);
    const aux: Record<string, string> = {};
    let version = 0;
    let valkey = false;
    let past = false;
    let firstDbKeys: number | undefined;
    const parser = new RdbParser({
      file: path,
      totalSize: st.size,
      verifyChecksum: false,
      onRecord: (r) => {
        if (r.kind === 'header') {
          version = r.version;
          valkey = r.magic === 'VALKEY';
        } else if (r.kind === 'aux') aux[r.name] = r.value.toString('latin1');
        else if (r.kind === 'resizedb') {
          firstDbKeys = r.dbSize;
          past = true;
        } else if (r.kind !== 'module-aux' && r.kind !== 'function' && r.kind !== 'selectdb') past = true;
      },
    });
    const buf = Buffer.allocUnsafe(HEADER_CHUNK);
    let at = 0;
    try {
      while (!past && !parser.done && at < Math.min(st.size, HEADER_MAX)) {
        const { bytesRead } = await fh.read(buf, 0, buf.length, at);
        if (bytesRead === 0) break;
        at += bytesRead;
        parser.write(Buffer.from(buf.subarray(0, bytesRead)));
      }
    } catch (err) {
      if (!(err instanceof RdbError)) throw err;
      // a bad header means this is no dump at all; later damage is reported by the analysis
      if (err.code === 'bad_magic' || err.code === 'unsupported_version') throw new CliError(err.message);
    }
    if (version === 0 && st.size < 9) throw new CliError(`${path}: too short for an RDB header (${st.size} bytes), not an RDB dump`);
    const profile = target ?? profileForRedisVersion(aux['redis-ver'] ?? '', aux['valkey-ver'], version);
    return { file: path, size: st.size, rdbVersion: version, valkey, aux, profile, ...(firstDbKeys !== undefined ? { firstDbKeys } : {}) };
  } catch (err) {
    if (isSystemError(err)) throw new CliError(`${path}: ${systemReason(err)}`);
    throw err;
  } finally {
    await fh.close();
  }
}

export interface RunRequest {
  files: readonly string[];
  spec: AnalysisSpec;
  /** worker threads at most */
  jobs: number;
  /** 'analysis' (report, prefixes, top, stats, doctor) or 'keys' (csv: the sized keys only) */
  mode: 'analysis' | 'keys';
  /** whether the command reads the aggregates (prefix tree, top lists) */
  aggregates: boolean;
  /** the per-key CSV export: options and where the lines go */
  csv?: { options: Omit<KeyCsvOptions, 'files'>; output: RowOutput; format?: RowFormat };
  /** the progress bar, or a LoadWatch in front of it (cli/interrupt.ts) */
  progress: ProgressLike | null;
  /** headers already read (readDumpHeader); read here otherwise */
  headers?: DumpHeader[];
}

export interface RunResult {
  headers: DumpHeader[];
  /** one per file, in file order (mode 'analysis'; empty in mode 'keys') */
  analyses: DumpAnalysis[];
  /** one per file, in file order (mode 'keys'; empty in mode 'analysis') */
  passes: KeyPass[];
}

// The worker runs cli/worker.ts from source under tsx (tests, `node --import tsx`), or the
// compiled cli/worker.js; Node 20 will not start a worker from a .ts file, so a small ESM
// bootstrap registers tsx first when running from source (as src/rdb/file-crc.ts does).
const fromSource = import.meta.url.endsWith('.ts');
const WORKER_MODULE = new URL(`./worker${fromSource ? '.ts' : '.js'}`, import.meta.url).href;
const TSX_API = fromSource ? import.meta.resolve('tsx/esm/api') : null;
const BOOTSTRAP = `
import { workerData } from 'node:worker_threads';
if (workerData.tsxApi) (await import(workerData.tsxApi)).register();
await import(workerData.module);
`;

function startWorker(flow: SharedArrayBuffer): Worker {
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(BOOTSTRAP)}`), {
    workerData: { rdblensWorker: true, module: WORKER_MODULE, tsxApi: TSX_API, flow },
    stdout: false,
    stderr: false,
  });
}

function failure(file: string, e: FailData): Error {
  if (e.code && e.syscall) return new CliError(`${e.path ?? file}: ${systemReason(Object.assign(new Error(e.message), { code: e.code }))}`);
  if (e.name === 'CliError' || e.name === 'LiveSourceError') return new CliError(e.message);
  const err = new Error(`${file}: ${e.message}`);
  if (e.stack) err.stack = `${file}: ${e.stack}`;
  return err;
}

type FileResult = { analysis: DumpAnalysis | null; pass: KeyPass | null; largest: RankedRow[] | null };

/** Progress by job slot (runPool): the files' own, or a split's two parts' (runSplit). */
type SlotProgress = Pick<ProgressLike, 'update' | 'fileDone'>;

/**
 * The head's share of a split dump's bytes. The tail skims the head's part before reading its
 * own and checks every key of the dump for duplicates, work that goes with the number of keys:
 * the fewer bytes a key, the more the head takes. Fitted on the bench dumps (bench/scale.js):
 * 0.6 is fastest at 219 bytes a key (the 500 MB and 2 GB dumps), 0.75 at 32 (20M small strings
 * of DEBUG POPULATE). Without a RESIZEDB to count keys by, 0.6.
 */
export function splitShare(size: number, firstDbKeys: number | undefined): number {
  if (!firstDbKeys || firstDbKeys <= 0) return 0.6;
  const bytesPerKey = size / firstDbKeys;
  return Math.min(0.8, Math.max(0.5, 0.5 + 31.2 / (bytesPerKey + 92.7)));
}

/**
 * Where to split the one dump of this run between two threads, or null to read it whole: only a
 * file of SPLIT_MIN bytes or more (splitMin: RDBLENS_SPLIT_MIN overrides that, for tests), with two jobs
 * allowed, and not with --strict (its first finding stops the run where one pass would) or
 * --largest (its ranks are places in one pass).
 */
function splitPoint(req: RunRequest, headers: readonly DumpHeader[]): number | null {
  if (req.files.length !== 1 || req.jobs < 2 || req.spec.strict || req.spec.largest !== undefined) return null;
  const h = headers[0]!;
  if (h.live || !(h.size >= splitMin())) return null;
  return Math.floor(h.size * splitShare(h.size, h.firstDbKeys));
}

/**
 * One dump read by two threads (ParserOptions.split): the head from the start to the first record
 * boundary at or past `at`, the tail skimming to there and reading the rest; their CSV lines in
 * that order, their results merged into the one-pass result (src/memory/split.ts).
 */
async function runSplit(req: RunRequest, job: JobRequest, at: number, out: RowOutput | null): Promise<FileResult> {
  out?.expand(2);
  const jobs: JobRequest[] = [
    { ...job, slot: 0, split: { at, part: 'head' } },
    { ...job, slot: 1, split: { at, part: 'tail' } },
  ];
  const seen = [
    { bytes: 0, keys: 0 },
    { bytes: 0, keys: 0 },
  ];
  let finished = 0;
  const progress: SlotProgress = {
    update: (slot, bytes, keys) => {
      seen[slot] = { bytes, keys };
      // the tail's bytes up to `at` were skimmed: the head counts those
      const tailBytes = Math.max(0, seen[1]!.bytes - at);
      req.progress?.update(0, seen[0]!.bytes + tailBytes, seen[0]!.keys + (tailBytes > 0 ? seen[1]!.keys : 0));
    },
    fileDone: () => {
      if (++finished === 2) req.progress?.fileDone(0);
    },
  };
  const [head, tail] = await runPool(req, jobs, out, progress);
  return {
    analysis: head!.analysis && tail!.analysis ? mergeSplitAnalysis(head!.analysis, tail!.analysis) : null,
    pass: head!.pass && tail!.pass ? mergeSplitPass(head!.pass, tail!.pass) : null,
    largest: null,
  };
}

/**
 * Run the jobs on up to `jobs` worker threads, handing out files in order as threads free up.
 * CSV batches go to `out` (in file order); the workers wait while too much is unwritten.
 */
async function runPool(req: RunRequest, jobs: readonly JobRequest[], out: RowOutput | null, progress: SlotProgress | null = req.progress): Promise<FileResult[]> {
  const files = jobs;
  const results: FileResult[] = new Array<FileResult>(files.length);
  const flow = new SharedArrayBuffer(8);
  const flowView = new Int32Array(flow);
  const workers: Worker[] = [];
  let next = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      let finished = 0;
      let failed = false;
      const fail = (err: unknown): void => {
        if (failed) return;
        failed = true;
        Atomics.store(flowView, FLOW_ABORT, 1);
        Atomics.notify(flowView, FLOW_INFLIGHT);
        reject(err);
      };
      const dispatch = (w: Worker): void => {
        if (next < files.length) w.postMessage({ t: 'job', req: jobs[next++]! } satisfies ToWorker);
      };
      const onMessage = (w: Worker, m: FromWorker): void => {
        if (failed) return;
        switch (m.t) {
          case 'progress':
            progress?.update(m.file, m.bytes, m.keys);
            return;
          case 'csv': {
            const data = Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength);
            out!.write(m.file, data).then(() => {
              Atomics.sub(flowView, FLOW_INFLIGHT, data.length);
              Atomics.notify(flowView, FLOW_INFLIGHT);
            }, fail);
            return;
          }
          case 'done':
            results[m.file] = {
              analysis: m.analysis ? reviveAnalysis(m.analysis) : null,
              pass: m.pass ? { ...m.pass, error: reviveError(m.pass.error) } : null,
              largest: m.largest ? (reviveBuffers(m.largest) as RankedRow[]) : null,
            };
            progress?.fileDone(m.file);
            out?.fileDone(m.file);
            if (++finished === files.length) resolve();
            else dispatch(w);
            return;
          case 'fail':
            fail(failure(files[m.file]!.file, m.error));
            return;
          case 'note':
            req.progress?.clear();
            sourceNote(m.line);
            return;
        }
      };
      const n = Math.max(1, Math.min(req.jobs, files.length));
      for (let k = 0; k < n; k++) {
        const w = startWorker(flow);
        workers.push(w);
        w.on('message', (m: FromWorker) => onMessage(w, m));
        w.on('error', fail);
        w.on('exit', (code) => {
          if (!failed && finished < files.length && code !== 0) fail(new Error(`analysis worker exited with code ${code}`));
        });
        dispatch(w);
      }
      if (files.length === 0) resolve();
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}

/** Analyze every file; resolves with the analyses in file order. */
export async function runAnalysis(req: RunRequest): Promise<RunResult> {
  const { files, spec } = req;
  const headers = req.headers ?? (await Promise.all(files.map((f) => readDumpHeader(f, spec.target))));
  const fileInfo = headers.map((h) => ({ file: h.file, profile: h.profile }));
  const csvOptions: KeyCsvOptions | null = req.csv ? { ...req.csv.options, files: fileInfo } : null;
  const out = req.csv?.output ?? null;
  const jobFor = (i: number): JobRequest => ({
    fileIndex: i,
    file: files[i]!,
    spec,
    mode: req.mode,
    csv: csvOptions && spec.largest === undefined ? csvOptions : null,
    format: req.csv?.format ?? 'csv',
    aggregates: req.aggregates,
  });
  let results: FileResult[];
  const splitAt = splitPoint(req, headers);
  if (splitAt !== null) results = [await runSplit(req, jobFor(0), splitAt, out)];
  else if (files.length === 1 && !out) {
    // one dump and no per-key output: analyze it right here (one V8 heap less, nothing to
    // move); the workers run the very same job
    results = [await runJob(jobFor(0), { onProgress: (bytes, keys) => req.progress?.update(0, bytes, keys), onCsv: () => {} })];
    req.progress?.fileDone(0);
  } else results = await runPool(req, files.map((_, i) => jobFor(i)), out);

  if (out) await out.drained();
  const passes = results.flatMap((r) => (r.pass ? [r.pass] : []));
  let analyses = results.flatMap((r) => (r.analysis ? [r.analysis] : []));
  if (spec.largest !== undefined) {
    const chosen = mergeLargest(
      results.map((r) => r.largest ?? []),
      spec.largest,
    );
    if (out && csvOptions) {
      const fmt = rowFormatter(csvOptions, req.csv?.format);
      let text = '';
      for (const row of chosen) {
        text += fmt.line(row);
        if (text.length >= 1 << 16) {
          await out.direct(text);
          text = '';
        }
      }
      if (text.length > 0) await out.direct(text);
    }
    analyses = restrictTo(analyses, chosen, spec);
  }
  return { headers, analyses, passes };
}

/** The analyses with their aggregates rebuilt from the chosen keys only (`--largest`). */
function restrictTo(analyses: DumpAnalysis[], rows: readonly RankedRow[], spec: AnalysisSpec): DumpAnalysis[] {
  return analyses.map((a) => {
    const agg = new DumpAggregate({ now: spec.now, topN: spec.topN, prefix: { separators: spec.separators, depth: spec.depth } });
    let expiredKeys = 0;
    let expiredBytes = 0;
    for (const r of rows) {
      if (r.file !== a.fileIndex) continue;
      agg.add(r.db, r.key, r.type, r.encoding, r.bytes, r.length, r.expireAt, r.file, r.offset);
      if (r.expireAt >= 0 && r.expireAt <= spec.now) {
        expiredKeys++;
        expiredBytes += Math.max(0, r.bytes);
      }
    }
    return { ...a, aggregate: agg.data(), expiredKeys, expiredBytes };
  });
}
