/**
 * One dump's pass, as run by a worker thread (cli/worker.ts) or, for a single dump, the main
 * thread: for `report`, `prefixes`, `top`, `stats`, `doctor` the analysis (analyzeDump, with the
 * command's filters); for `csv` the keys alone (src/memory/sizer.ts), as CSV lines in batches. Either
 * way, with `--largest`, the file's N largest keys.
 */
import { analyzeDump, type DumpAnalysis, type KeyRow } from '../src/memory/analyze.js';
import { KeyCsvFormatter, type KeyCsvOptions } from '../src/report/csv.js';
import { KeyWireFormatter } from '../src/report/parquet.js';
import { LargestKeys } from '../src/report/largest.js';
import type { AnalysisSpec } from './options.js';
import { sizeKeys, type KeyPass } from '../src/memory/sizer.js';
import { KeyRowEncoder } from '../src/engine/row-wire.js';
import type { RdbRecord } from '../src/rdb/index.js';

export interface JobRequest {
  fileIndex: number;
  /** the job's place among the run's jobs (its output's turn): fileIndex unless a dump is split */
  slot?: number;
  /** one of two parts of the file (ParserOptions.split): see cli/analysis.ts runSplit */
  split?: { at: number; part: 'head' | 'tail' };
  file: string;
  spec: AnalysisSpec;
  /** 'analysis': analyzeDump (aggregates, stats, doctor); 'keys': the sized keys only */
  mode: 'analysis' | 'keys';
  /** write every key as a CSV line (not with --largest: the main thread writes the chosen ones) */
  csv: KeyCsvOptions | null;
  /**
   * 'parquet': the lines are the Parquet sink's (src/report/parquet.ts), not CSV; 'keyspace':
   * key rows and RESIZEDB hints as bytes for a keyspace on the main thread (src/engine/row-wire.ts)
   */
  format?: RowFormat;
  /** whether the command reads the aggregates (false: skip the prefix tree and top lists) */
  aggregates: boolean;
}

/** A key kept for `--largest`, with its place in the run. */
export interface RankedRow extends KeyRow {
  ordinal: number;
}

export interface JobResult {
  /** mode 'analysis' */
  analysis: DumpAnalysis | null;
  /** mode 'keys' */
  pass: KeyPass | null;
  /** with --largest: this file's N largest keys, in key order */
  largest: RankedRow[] | null;
}

export interface JobHooks {
  onProgress: (bytes: number, keys: number) => void;
  /**
   * a batch of CSV lines as UTF-8, in key order; the Buffer owns its ArrayBuffer (transferable),
   * except with format 'keyspace', where it is the batch's own buffer, to be copied at once
   */
  onCsv: (data: Buffer) => void;
}

export type RowFormat = 'csv' | 'parquet' | 'keyspace';

/** What turns a row into a line: KeyCsvFormatter, KeyWireFormatter or KeyRowEncoder's. */
export interface RowLineFormatter {
  /** the end of the row written at `off`; -2: no room from `off`, -1: write line(row) instead */
  encode(row: KeyRow, buf: Buffer, off: number): number;
  line(row: KeyRow): string;
  /** bytes formats: the room a row takes at most, for a row longer than a batch */
  maxBytes?(row: KeyRow): number;
}

/** Key rows as bytes for a keyspace (format 'keyspace'): no text form. */
class KeyRowFormatter implements RowLineFormatter {
  readonly encoder = new KeyRowEncoder();
  encode(row: KeyRow, buf: Buffer, off: number): number {
    return this.encoder.encode(row, buf, off);
  }
  line(): string {
    throw new Error('key rows for a keyspace have no text form');
  }
  maxBytes(row: KeyRow): number {
    return KeyRowEncoder.maxBytes(row);
  }
}

/** The line formatter of a per-key export. */
export function rowFormatter(opts: KeyCsvOptions, format: RowFormat = 'csv'): RowLineFormatter {
  if (format === 'keyspace') return new KeyRowFormatter();
  return format === 'parquet' ? new KeyWireFormatter(opts) : new KeyCsvFormatter(opts);
}

/** CSV lines are handed over in batches of about this many bytes. */
export const CSV_BATCH = 256 * 1024;

/**
 * Lines written straight into a byte buffer, handed over when full. (Growing one string line by
 * line and encoding it costs ~1 µs per line in flattening and encoding: 2 s for 2M keys.)
 */
export class LineBatch {
  private buf = Buffer.allocUnsafeSlow(CSV_BATCH * 2);
  private off = 0;

  /**
   * `reuse`: hand over views of one buffer, written again after each flush (the receiver copies
   * them at once: postMessage without a transfer). One buffer then serves the whole pass, where
   * a fresh one per batch, freed on the other thread, leaves more of this thread's malloc arena
   * resident after it ends (serve after a split load of the 500 MB dump: about 25 MB more).
   */
  constructor(
    private readonly flushTo: (data: Buffer) => void,
    private readonly reuse = false,
  ) {}

  /** Write a row with `encode` (see KeyCsvFormatter.encode), or its line when it cannot. */
  addRow(row: KeyRow, fmt: RowLineFormatter): void {
    let end = fmt.encode(row, this.buf, this.off);
    if (end === -2) {
      this.flush();
      end = fmt.encode(row, this.buf, this.off);
      if (end === -2 && fmt.maxBytes) {
        this.buf = Buffer.allocUnsafeSlow(fmt.maxBytes(row));
        end = fmt.encode(row, this.buf, 0);
      }
    }
    if (end < 0) return this.add(fmt.line(row));
    this.off = end;
    if (this.off >= CSV_BATCH) this.flush();
  }

  /** Bytes written by `put` (returns the end, or -2 when there is no room from `off`). */
  addBytes(put: (buf: Buffer, off: number) => number): void {
    let end = put(this.buf, this.off);
    if (end === -2) {
      this.flush();
      end = put(this.buf, this.off);
    }
    this.off = end;
    if (this.off >= CSV_BATCH) this.flush();
  }

  add(line: string): void {
    // a UTF-16 code unit takes at most 3 bytes in UTF-8
    if (this.off + line.length * 3 > this.buf.length) {
      this.flush();
      if (line.length * 3 > this.buf.length) this.buf = Buffer.allocUnsafeSlow(line.length * 3);
    }
    this.off += this.buf.write(line, this.off, 'utf8');
    if (this.off >= CSV_BATCH) this.flush();
  }

  flush(): void {
    if (this.off === 0) return;
    const data = this.buf.subarray(0, this.off);
    if (!this.reuse) this.buf = Buffer.allocUnsafeSlow(Math.max(CSV_BATCH * 2, this.buf.length));
    this.off = 0;
    this.flushTo(data);
  }
}

export async function runJob(req: JobRequest, hooks: JobHooks): Promise<JobResult> {
  const { spec } = req;
  const largest = spec.largest !== undefined ? new LargestKeys<RankedRow>(spec.largest) : null;
  const csv = req.csv && !largest ? rowFormatter(req.csv, req.format) : null;
  const batch = new LineBatch(hooks.onCsv, req.format === 'keyspace');
  let ordinal = 0;
  const onKey =
    largest !== null
      ? (row: KeyRow): void => {
          const ranked = { file: row.file, ordinal: ordinal++, bytes: row.bytes };
          if (largest.wants(ranked)) largest.add({ ...row, ordinal: ranked.ordinal });
        }
      : csv !== null
        ? (row: KeyRow): void => batch.addRow(row, csv)
        : undefined;
  if (req.mode === 'keys') {
    const pass = await sizeKeys(req.file, { target: spec.target, config: spec.config, filter: spec.filter, fileIndex: req.fileIndex, strict: spec.strict, split: req.split }, onKey ?? (() => {}), hooks.onProgress);
    batch.flush();
    return { analysis: null, pass, largest: largest ? largest.inPositionOrder() : null };
  }
  const aggregates = req.aggregates && largest === null;
  const analysis = await analyzeDump(req.file, {
    target: spec.target,
    config: spec.config,
    filter: spec.filter,
    fileIndex: req.fileIndex,
    strict: spec.strict,
    ...(req.split ? { split: req.split } : {}),
    aggregate: {
      now: spec.now,
      // the CSV export reads no aggregate: skip the top lists and the prefix tree
      topN: aggregates ? spec.topN : 0,
      prefix: { separators: spec.separators, depth: aggregates ? spec.depth : 0 },
    },
    ...(onKey ? { onKey } : {}),
    ...(csv instanceof KeyRowFormatter ? { onMeta: hintsTo(batch, csv.encoder) } : {}),
    onProgress: hooks.onProgress,
  });
  batch.flush();
  return { analysis, pass: null, largest: largest ? largest.inPositionOrder() : null };
}

/** RESIZEDB hints into the key rows' stream, ahead of their db's keys (a keyspace sizes itself by them). */
function hintsTo(batch: LineBatch, encoder: KeyRowEncoder): (r: RdbRecord) => void {
  let db = 0;
  return (r) => {
    if (r.kind === 'selectdb') db = r.db;
    else if (r.kind === 'resizedb') batch.addBytes((buf, off) => encoder.hint(db, r.dbSize, r.expiresSize, buf, off));
  };
}
