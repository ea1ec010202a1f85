/**
 * The Parquet output of `rdblens csv --format parquet`: byte streams of wire lines (see
 * src/report/parquet.ts) in, one stream per part, one Parquet file out.
 *
 * Each part (a dump of the run, or each half of a dump read by two threads: the slots of
 * cli/analysis.ts) has its own DuckDB and its own named pipe, through which DuckDB runs
 * `COPY (SELECT <typed columns> FROM read_csv(<pipe>)) TO <part file> (FORMAT parquet)` while
 * the part's worker streams its lines: a row group each ROW_GROUP_ROWS rows, memory bounded (the
 * worker waits when the pipe is full, as it waits for a slow CSV reader), and the parts encoded
 * at the same time on their own threads, where one DuckDB would take the second half's rows only
 * after the first's (one core idle while it did). Once every part is done they are joined by
 * their bytes (src/report/parquet-footer.ts): their row groups one after the other in part
 * order, under one footer that also carries what the table says about each dump as a whole (its
 * header, keys before filters, checksum, whether it was read to the end) as key-value metadata
 * under `rdblens` (ParquetMeta). Parts are written beside the output under temporary names and
 * the joined file is renamed into place at the end, so a failed run leaves no half file.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, constants, createReadStream, createWriteStream, mkdtempSync, openSync, rmSync, statSync } from 'node:fs';
import { open, rename, rm, stat, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Socket } from 'node:net';
import type { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { pipeline } from 'node:stream/promises';
import { parquetSelect, sqlString, wireSource, type ParquetFileInfo, type ParquetRowOptions } from '../src/report/parquet.js';
import { footerLength, joinedFooter, parquetPart, type ParquetPart } from '../src/report/parquet-footer.js';
import { duckError, openDuck, type Duck } from './duckdb.js';
import { CliError, isSystemError, systemReason } from './errors.js';
import type { RowOutput } from './ordered-output.js';

/** Rows per row group (DuckDB's default). */
export const ROW_GROUP_ROWS = 122_880;

/** The metadata key the table's description is stored under. */
export const META_KEY = 'rdblens';

/** An RdbError as fields (enough to build it again). */
export interface ParquetMetaError {
  code: string;
  reason: string;
  offset: number;
  /** the key being read, hex */
  key: string | null;
  rdb_type: number | null;
  keys_read: number | null;
  message: string;
}

export interface ParquetMetaFile {
  /** the dump's place among those the run was given */
  index: number;
  file: string;
  shard: string;
  rdb_version: number;
  valkey: boolean;
  /** the dump's AUX fields (redis-ver, ctime, used-mem, ...) */
  aux: Record<string, string>;
  profile: string;
  /** keys in the dump before filters; null if the run stopped before the end */
  keys_in_file: number | null;
  /** rows written for this dump */
  keys: number | null;
  checksum: string | null;
  /** set when the dump is truncated or corrupt (the rows before the damage are in the table) */
  error: ParquetMetaError | null;
}

/** The `rdblens` key-value metadata of a file written by `rdblens csv --format parquet`. */
export interface ParquetMeta {
  format: 'rdblens-keys';
  version: 1;
  /** the reference time of `ttl` and `expired` */
  now: string;
  separators: string;
  depth: number;
  escape: string;
  /** whether key filters (--db, --match, --min-bytes, ...) left keys out */
  filtered: boolean;
  files: ParquetMetaFile[];
}

export interface ParquetOutputOptions {
  /** the Parquet file to write, or '-' for standard output */
  output: string;
  stdout: Writable | NodeJS.WritableStream;
  files: ParquetFileInfo[];
  rows: ParquetRowOptions;
}

/**
 * The pipe's write end as a non-blocking stream (a libuv pipe handle: writes wait on the event
 * loop, not on a thread of the libuv pool, which DuckDB's query and the dump reads need).
 * Opened once DuckDB has opened the read end (ENXIO before that); gives up when `failed`.
 */
async function openPipeWriter(fifo: string, failed: () => unknown): Promise<{ stream: Socket; fd: number }> {
  for (let wait = 1; ; wait = Math.min(wait * 2, 50)) {
    const err = failed();
    if (err !== undefined) throw err;
    try {
      const fd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
      return { stream: new Socket({ fd, readable: false, writable: true }), fd };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENXIO') throw e;
    }
    await sleep(wait);
  }
}

/** One part: a DuckDB COPY from its pipe to its own Parquet file. */
class ParquetPartWriter {
  private failure: unknown;

  /**
   * At exit, the pipe's write end is closed if it is still open: DuckDB's read of the pipe runs
   * on a thread of libuv's pool, which the process waits for as it exits (a run that fails on an
   * error nobody caught would hang there instead of exiting).
   */
  private readonly onExit = (): void => {
    if (!this.stream.destroyed) closeSync(this.fd);
  };

  private constructor(
    private readonly duck: Duck,
    readonly file: string,
    private readonly copy: Promise<unknown>,
    readonly stream: Socket,
    private readonly fd: number,
  ) {
    copy.catch((err: unknown) => {
      this.failure ??= duckError('writing Parquet', err);
    });
    // a write's error reaches its callback (write below); the stream's 'error' event repeats it
    stream.on('error', (err) => {
      this.failure ??= err;
    });
    process.once('exit', this.onExit);
  }

  static async open(dir: string, name: string, file: string, o: ParquetOutputOptions): Promise<ParquetPartWriter> {
    const fifo = path.join(dir, `${name}.csv`);
    try {
      execFileSync('mkfifo', ['-m', '600', fifo], { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (err) {
      throw new CliError(`cannot make a pipe for DuckDB (mkfifo ${fifo}): ${err instanceof Error ? err.message : String(err)}`);
    }
    const duck = await openDuck({ tempDirectory: path.join(dir, `${name}-duckdb-tmp`) });
    try {
      const sql =
        `COPY (${parquetSelect(wireSource(fifo, o.rows.depth), o.files, o.rows)}) TO ${sqlString(file)} ` +
        `(FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1, ROW_GROUP_SIZE ${ROW_GROUP_ROWS})`;
      const copy = duck.connection.run(sql);
      let failure: unknown;
      copy.catch((err: unknown) => {
        failure = err;
      });
      const { stream, fd } = await openPipeWriter(fifo, () => (failure === undefined ? undefined : duckError('writing Parquet', failure)));
      return new ParquetPartWriter(duck, file, copy, stream, fd);
    } catch (err) {
      duck.close();
      throw err;
    }
  }

  write(data: Buffer | string): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise<void>((resolve, reject) => {
      this.stream.write(data, (err) => {
        if (!err) return resolve();
        // DuckDB closed the pipe (EPIPE): its COPY has ended, and its error is the reason
        this.copy.then(
          () => reject(err),
          (e: unknown) => reject(duckError('writing Parquet', e)),
        );
      });
    });
  }

  /** No more lines: wait for DuckDB to write the part. */
  async finish(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.stream.once('error', reject);
      this.stream.end(() => resolve());
    });
    // close the write end: DuckDB reads to the end of the pipe
    this.stream.destroy();
    process.off('exit', this.onExit);
    try {
      await this.copy;
    } catch (err) {
      throw duckError('writing Parquet', err);
    } finally {
      this.duck.close();
    }
  }

  /** Stop (a failed run): DuckDB sees the pipe end; its error, if any, is the run's. */
  async abort(): Promise<void> {
    if (!this.stream.destroyed) this.stream.destroy();
    process.off('exit', this.onExit);
    await this.copy.catch(() => {});
    this.duck.close();
  }
}

interface Slot {
  /** the part's writer, once its first lines came (or it was finished empty) */
  writer: Promise<ParquetPartWriter> | null;
  /** the part's writes and its finish, in order */
  chain: Promise<void>;
}

/**
 * The rows of every slot as one Parquet file: the RowOutput that cli/analysis.ts writes the
 * wire lines of each slot to (in any order across slots), then `finish`.
 */
export class ParquetOutput implements RowOutput {
  private readonly slots: Slot[] = [];
  /** lines written with `direct` (after the slots: `--largest`) */
  private direct_: Slot | null = null;
  /** every part opened or opening (cleanup waits for those still opening, then stops them) */
  private readonly opening: Array<Promise<ParquetPartWriter>> = [];
  private readonly writers: ParquetPartWriter[] = [];
  private closed = false;
  private error: unknown = null;
  private done = false;
  private parts = 0;
  /** Ctrl-C or a kill: remove the pipes, the parts and the partial file, then die of the same signal */
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    this.removeSync();
    process.kill(process.pid, signal);
  };

  private constructor(
    private readonly o: ParquetOutputOptions,
    private readonly dir: string,
    private readonly target: string,
    /** the joined file, beside the output (or in `dir` for stdout); the parts are `${temp}.part-N` */
    private readonly temp: string,
  ) {
    process.once('SIGINT', this.onSignal);
    process.once('SIGTERM', this.onSignal);
  }

  static async open(o: ParquetOutputOptions): Promise<ParquetOutput> {
    const toStdout = o.output === '-';
    const target = toStdout ? '' : path.resolve(o.output);
    const dir = mkdtempSync(path.join(tmpdir(), 'rdblens-parquet-'));
    const partDir = toStdout ? dir : path.dirname(target);
    const temp = toStdout ? path.join(dir, 'out.parquet') : path.join(partDir, `.${path.basename(target)}.${process.pid}.tmp`);
    try {
      // fail on a bad output path before any work, as the CSV export does
      if (!toStdout) {
        if (statSync(target, { throwIfNoEntry: false })?.isDirectory()) throw new CliError(`${o.output}: is a directory`);
        try {
          await (await open(temp, 'w')).close();
        } catch (err) {
          throw isSystemError(err) ? new CliError(`${o.output}: ${systemReason(err)}`) : err;
        }
      }
    } catch (err) {
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
    return new ParquetOutput(o, dir, target, temp);
  }

  private slot(i: number): Slot {
    while (this.slots.length <= i) this.slots.push({ writer: null, chain: Promise.resolve() });
    return this.slots[i]!;
  }

  private writerOf(s: Slot): Promise<ParquetPartWriter> {
    if (!s.writer) {
      if (this.closed) return Promise.reject(new Error('Parquet output already closed'));
      const n = this.parts++;
      const name = `part-${n}`;
      const file = `${this.temp}.${name}`;
      s.writer = ParquetPartWriter.open(this.dir, name, file, this.o).then((w) => {
        this.writers.push(w);
        return w;
      });
      this.opening.push(s.writer);
    }
    return s.writer;
  }

  private enqueue(s: Slot, step: () => Promise<void>): Promise<void> {
    const p = s.chain.then(step);
    s.chain = p.catch((err: unknown) => {
      this.error ??= err;
    });
    return p;
  }

  expand(n: number): void {
    this.slot(n - 1);
  }

  write(slot: number, text: string | Buffer): Promise<void> {
    if (this.error) return Promise.reject(this.error);
    const s = this.slot(slot);
    return this.enqueue(s, async () => (await this.writerOf(s)).write(text));
  }

  direct(text: string | Buffer): Promise<void> {
    if (this.error) return Promise.reject(this.error);
    this.direct_ ??= { writer: null, chain: Promise.resolve() };
    const s = this.direct_;
    return this.enqueue(s, async () => (await this.writerOf(s)).write(text));
  }

  fileDone(slot: number): void {
    this.close(this.slot(slot));
  }

  /** The slot has no more lines: its part is finished after its writes. */
  private close(s: Slot): void {
    void this.enqueue(s, async () => {
      if (s.writer) await (await s.writer).finish();
    });
  }

  async drained(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.chain));
    if (this.error) throw this.error;
  }

  /** Every part done: join them (with `meta` in the footer) and put the file in place. */
  async finish(meta: ParquetMeta): Promise<void> {
    if (this.direct_) {
      this.close(this.direct_);
      await this.direct_.chain;
    }
    await this.drained();
    const order = [...this.slots, ...(this.direct_ ? [this.direct_] : [])].filter((s) => s.writer !== null);
    // no rows at all: one empty part gives the file its schema
    if (order.length === 0) {
      const s: Slot = { writer: null, chain: Promise.resolve() };
      await (await this.writerOf(s)).finish();
      order.push(s);
    }
    const files = await Promise.all(order.map(async (s) => (await s.writer!).file));
    await joinParquet(files, this.temp, [[META_KEY, JSON.stringify(meta)]]);
    if (this.target === '') await pipeline(createReadStream(this.temp), this.o.stdout as Writable, { end: false });
    else await rename(this.temp, this.target);
    this.done = true;
  }

  private removeSync(): void {
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
    for (const w of this.writers) rmSync(w.file, { force: true });
    rmSync(this.dir, { recursive: true, force: true });
    if (!this.done && this.target !== '') rmSync(this.temp, { force: true });
  }

  /** Stop DuckDB and remove the pipes, the parts and (unless finished) the partial output. */
  async cleanup(): Promise<void> {
    this.closed = true;
    // a part still opening when the run failed holds DuckDB's read of its pipe: end it too,
    // or DuckDB's thread waits on the pipe forever (and the process with it, at exit)
    await Promise.allSettled(this.opening);
    await Promise.all(this.writers.map((w) => w.abort()));
    this.removeSync();
  }
}

/**
 * Join the Parquet files `parts` (one schema, written by DuckDB) into `out`: the first part is
 * moved there and cut before its footer, the others' row groups appended, then one footer for
 * all with `kv` as its key-value metadata. The parts are gone afterwards.
 */
export async function joinParquet(parts: readonly string[], out: string, kv: ReadonlyArray<[string, string]>): Promise<void> {
  const read: ParquetPart[] = [];
  for (const file of parts) {
    const fh = await open(file, 'r');
    try {
      const { size } = await fh.stat();
      const tail = Buffer.alloc(Math.min(8, size));
      await fh.read(tail, 0, tail.length, size - tail.length);
      const n = footerLength(tail, file);
      if (n > size - 12) throw new CliError(`${file}: a ${n}-byte Parquet footer in a ${size}-byte file`);
      const footer = Buffer.alloc(n);
      await fh.read(footer, 0, n, size - 8 - n);
      read.push(parquetPart(file, footer, size));
    } finally {
      await fh.close();
    }
  }
  await rename(parts[0]!, out);
  await truncate(out, read[0]!.dataEnd);
  const starts = [4];
  let at = read[0]!.dataEnd;
  for (let i = 1; i < read.length; i++) {
    starts.push(at);
    at += read[i]!.dataEnd - 4;
  }
  const footer = joinedFooter(read, starts, kv);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(footer.length, 0);
  trailer.write('PAR1', 4, 'latin1');
  const ws = createWriteStream(out, { flags: 'a' });
  try {
    for (let i = 1; i < read.length; i++) {
      await pipeline(createReadStream(read[i]!.file, { start: 4, end: read[i]!.dataEnd - 1, highWaterMark: 1 << 20 }), ws, { end: false });
      await rm(read[i]!.file, { force: true });
    }
    await new Promise<void>((resolve, reject) => {
      ws.write(Buffer.concat([footer, trailer]), (err) => (err ? reject(err) : resolve()));
    });
  } finally {
    await new Promise<void>((resolve) => ws.end(resolve));
  }
  const { size } = await stat(out);
  if (size !== at + footer.length + 8) throw new Error(`${out}: joined Parquet file of ${size} bytes, ${at + footer.length + 8} expected`);
}
