/**
 * `serve` and `tui` loading one large dump on two threads: the analysis commands' split
 * (cli/analysis.ts runSplit: the head and the tail of the dump, each parsed, sized and analysed
 * by a worker) with the keys sent back as bytes (src/engine/row-wire.ts) and put into the
 * keyspaces here as they come. The two parts' keys interleave, and the keyspace keeps, of a key
 * present twice, the copy one pass in file order keeps (Keyspace.append's rule); the analyses
 * are merged as for `report`. What it leaves to the one pass on the main thread: a dump under
 * the split's threshold, a machine with one core, several inputs.
 */
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { splitMin } from '../src/rdb/index.js';
import { DEFAULT_PREFIX_OPTIONS } from '../src/memory/prefix-tree.js';
import type { DumpAnalysis } from '../src/memory/analyze.js';
import type { FileReader, KeyspaceFill, LoadOptions } from '../src/engine/load.js';
import { KeyRowDecoder, type KeyRowSink } from '../src/engine/row-wire.js';
import { readDumpHeader, runAnalysis } from './analysis.js';
import { CliError } from './errors.js';
import type { AnalysisSpec } from './options.js';
import type { RowOutput } from './ordered-output.js';
import type { ProgressLike } from './interrupt.js';

/** key records decoded per turn of the event loop: a few milliseconds */
const TURN_RECORDS = 4096;

/**
 * The keys of a split dump's two parts, decoded into a fill as they arrive (in any order),
 * TURN_RECORDS at most per turn of the event loop: the workers' batches come in bursts, and a
 * TUI must draw and answer keys meanwhile. A batch counts as written (the workers may send
 * more) once decoded.
 */
class KeyspaceOutput implements RowOutput {
  private readonly decoders: KeyRowDecoder[] = [];
  private readonly sink: KeyRowSink;
  private readonly queue: Array<{ slot: number; data: Buffer; at: number; done: () => void; failed: (e: unknown) => void }> = [];
  private pumping = false;
  /** drained()'s callers, told when the queue empties */
  private waiting: Array<() => void> = [];

  constructor(
    fill: KeyspaceFill,
    private readonly fileIndex: number,
  ) {
    this.sink = {
      key: (db, info, src, off, len) => fill.put(db, info, src, off, len),
      hint: (db, dbSize, expiresSize) => fill.hint(db, dbSize, expiresSize),
    };
    this.expand(1);
  }

  expand(n: number): void {
    while (this.decoders.length < n) this.decoders.push(new KeyRowDecoder(this.fileIndex));
  }

  write(slot: number, data: string | Buffer): Promise<void> {
    if (typeof data === 'string') return Promise.reject(new Error('key rows come as bytes'));
    return new Promise<void>((done, failed) => {
      this.queue.push({ slot, data, at: 0, done, failed });
      if (!this.pumping) {
        this.pumping = true;
        setImmediate(this.pump);
      }
    });
  }

  private readonly pump = (): void => {
    const b = this.queue[0];
    if (!b) {
      this.pumping = false;
      for (const resolve of this.waiting.splice(0)) resolve();
      return;
    }
    try {
      b.at = this.decoders[b.slot]!.decode(b.data, this.sink, b.at, TURN_RECORDS);
      if (b.at >= b.data.length) {
        this.queue.shift();
        b.done();
      }
    } catch (e) {
      this.queue.shift();
      b.failed(e);
    }
    setImmediate(this.pump);
  };

  direct(): Promise<void> {
    return Promise.reject(new Error('key rows have no part after the slots'));
  }

  fileDone(): void {}

  /** every batch taken is decoded */
  drained(): Promise<void> {
    if (!this.pumping) return Promise.resolve();
    return new Promise<void>((resolve) => this.waiting.push(resolve));
  }
}

/** The analysis options of a load (LoadOptions) as the workers' spec. */
function specOf(opts: LoadOptions): AnalysisSpec {
  const agg = opts.aggregate ?? {};
  return {
    target: opts.target,
    config: opts.config ?? {},
    filter: opts.filter ?? {},
    largest: undefined,
    // as DumpAggregate defaults them for a load without aggregate options
    now: agg.now ?? Date.now(),
    topN: agg.topN ?? 100,
    separators: agg.prefix?.separators ?? DEFAULT_PREFIX_OPTIONS.separators,
    depth: agg.prefix?.depth ?? DEFAULT_PREFIX_OPTIONS.depth,
    strict: false,
  };
}

/**
 * A FileReader (LoadOptions.readFile) that reads a dump of the split's size on two worker
 * threads when this machine has two cores or more; `opts` are the load's own options.
 */
export function splitReader(opts: LoadOptions): FileReader {
  return (file, fileIndex, fill, onProgress) => {
    // what the workers' spec cannot carry is read here, in one pass
    if (availableParallelism() < 2 || opts.strict === true || opts.allocations === true || opts.doctor !== undefined || opts.aggregate?.prefix?.maxNodes !== undefined) return null;
    if (!(statSync(file).size >= splitMin())) return null;
    return readSplit(file, fileIndex, fill, specOf(opts), onProgress);
  };
}

async function readSplit(file: string, fileIndex: number, fill: KeyspaceFill, spec: AnalysisSpec, onProgress: (bytesRead: number) => void): Promise<DumpAnalysis> {
  // its first RESIZEDB sets the split (splitShare); serve and tui have checked it is a dump
  const header = await readDumpHeader(file, spec.target);
  const progress: ProgressLike = { update: (_slot, bytes) => onProgress(bytes), fileDone: () => {}, clear: () => {} };
  const { analyses } = await runAnalysis({
    files: [file],
    spec,
    jobs: 2,
    mode: 'analysis',
    aggregates: true,
    csv: { options: { escape: 'raw', extra: false, withFile: false, now: spec.now, separators: spec.separators, depth: spec.depth }, output: new KeyspaceOutput(fill, fileIndex), format: 'keyspace' },
    progress,
    headers: [header],
  });
  const a = analyses[0];
  if (!a) throw new CliError(`${file}: the two-thread load gave no analysis`);
  return { ...a, fileIndex };
}
