/**
 * The Parquet sink of `rdblens csv --format parquet`: a byte stream of wire lines (see
 * src/report/parquet.ts) in, a Parquet file out.
 *
 * The lines go through a named pipe to DuckDB, which runs
 * `COPY (SELECT <typed columns> FROM read_csv(<pipe>)) TO <file> (FORMAT parquet)` while the
 * dump streams: DuckDB reads the pipe as it fills and writes a row group each ROW_GROUP_ROWS
 * rows, so memory stays bounded (the producer waits when the pipe is full, as it waits for a
 * slow CSV reader). The file is written beside the output under a temporary name and renamed at
 * the end, so a failed run leaves no half file.
 *
 * What the table says about each dump as a whole (its header, keys before filters, checksum,
 * whether it was read to the end) goes into the file's key-value metadata under `rdblens`
 * (ParquetMeta). The parts only known at the end are written then: COPY is given a
 * placeholder value of a fixed length, and once it is done the placeholder's bytes in the
 * footer are overwritten with the JSON padded with spaces to the same length (a string of the
 * same length keeps the footer's Thrift encoding valid).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { constants, createReadStream, mkdtempSync, openSync, rmSync, statSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Socket } from 'node:net';
import type { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { pipeline } from 'node:stream/promises';
import { parquetSelect, sqlString, wireSource, type ParquetFileInfo, type ParquetRowOptions } from '../src/report/parquet.js';
import { duckError, openDuck, type Duck } from './duckdb.js';
import { CliError, isSystemError, systemReason } from './errors.js';

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

export interface ParquetSinkOptions {
  /** the Parquet file to write, or '-' for standard output */
  output: string;
  stdout: Writable | NodeJS.WritableStream;
  files: ParquetFileInfo[];
  rows: ParquetRowOptions;
  /** the metadata known before the rows (end facts null) */
  meta: ParquetMeta;
}

/** The bytes of the metadata placeholder, and how much room it leaves. */
function placeholder(meta: ParquetMeta): { marker: string; text: string } {
  const marker = `rdblens-pending-${randomBytes(12).toString('hex')}`;
  const room = JSON.stringify(meta).length + 2048 * (meta.files.length + 1);
  return { marker, text: marker.padEnd(room, ' ') };
}

/** JSON in ASCII only (one byte per character), so that its length is its length in bytes. */
function asciiJson(v: unknown): string {
  return JSON.stringify(v).replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The metadata as JSON of exactly `length` bytes (error texts shortened if need be). */
export function fitMeta(meta: ParquetMeta, length: number): string {
  let text = asciiJson(meta);
  for (let cut = 1024; text.length > length && cut >= 16; cut >>= 1) {
    text = asciiJson({
      ...meta,
      files: meta.files.map((f) =>
        f.error ? { ...f, error: { ...f.error, reason: f.error.reason.slice(0, cut), message: f.error.message.slice(0, cut), key: f.error.key?.slice(0, cut) ?? null } } : f,
      ),
    });
  }
  if (text.length > length) throw new Error(`parquet metadata of ${text.length} bytes does not fit its ${length}-byte placeholder`);
  return text.padEnd(length, ' ');
}

/** Overwrite `marker...` (a run of `length` bytes) in the footer of the Parquet file at `file`. */
async function patchFooter(file: string, marker: string, replacement: string): Promise<void> {
  const fh = await open(file, 'r+');
  try {
    const { size } = await fh.stat();
    const tail = Buffer.alloc(8);
    await fh.read(tail, 0, 8, size - 8);
    if (tail.toString('latin1', 4) !== 'PAR1') throw new Error(`${file}: not a Parquet file after COPY`);
    const footerLength = tail.readUInt32LE(0);
    const start = size - 8 - footerLength;
    const footer = Buffer.alloc(footerLength);
    await fh.read(footer, 0, footerLength, start);
    const at = footer.indexOf(marker, 0, 'latin1');
    if (at < 0 || footer.indexOf(marker, at + 1, 'latin1') >= 0) throw new Error(`${file}: the metadata placeholder is not in the footer exactly once`);
    await fh.write(Buffer.from(replacement, 'latin1'), 0, replacement.length, start + at);
  } finally {
    await fh.close();
  }
}

/**
 * The pipe's write end as a non-blocking stream (a libuv pipe handle: writes wait on the event
 * loop, not on a thread of the libuv pool, which DuckDB's query and the dump reads need).
 * Opened once DuckDB has opened the read end (ENXIO before that); gives up when `failed`.
 */
async function openPipeWriter(fifo: string, failed: () => unknown): Promise<Socket> {
  for (let wait = 1; ; wait = Math.min(wait * 2, 50)) {
    const err = failed();
    if (err !== undefined) throw err;
    try {
      const fd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
      return new Socket({ fd, readable: false, writable: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENXIO') throw e;
    }
    await sleep(wait);
  }
}

export class ParquetSink {
  private done = false;
  /** Ctrl-C or a kill: remove the pipe's directory and the partial file, then die of the same signal */
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    this.removeSync();
    process.kill(process.pid, signal);
  };

  private constructor(
    private readonly duck: Duck,
    private readonly dir: string,
    private readonly target: string,
    private readonly temp: string,
    private readonly stdout: Writable | NodeJS.WritableStream | null,
    private readonly marker: string,
    private readonly room: number,
    private readonly copy: Promise<unknown>,
    /** the wire lines: write them here (in order), then call finish */
    readonly stream: Socket,
  ) {
    process.once('SIGINT', this.onSignal);
    process.once('SIGTERM', this.onSignal);
  }

  private removeSync(): void {
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
    rmSync(this.dir, { recursive: true, force: true });
    if (!this.done && !this.stdout) rmSync(this.temp, { force: true });
  }

  /** Start DuckDB's COPY on a fresh pipe; the stream opens once DuckDB reads. */
  static async open(o: ParquetSinkOptions): Promise<ParquetSink> {
    const toStdout = o.output === '-';
    const target = toStdout ? '' : path.resolve(o.output);
    const dir = mkdtempSync(path.join(tmpdir(), 'rdblens-parquet-'));
    const temp = toStdout ? path.join(dir, 'out.parquet') : path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
    const fifo = path.join(dir, 'rows.csv');
    let duck: Duck | null = null;
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
      try {
        execFileSync('mkfifo', ['-m', '600', fifo], { stdio: ['ignore', 'ignore', 'pipe'] });
      } catch (err) {
        throw new CliError(`cannot make a pipe for DuckDB (mkfifo ${fifo}): ${err instanceof Error ? err.message : String(err)}`);
      }
      duck = await openDuck({ tempDirectory: path.join(dir, 'duckdb-tmp') });
      const { marker, text } = placeholder(o.meta);
      const sql =
        `COPY (${parquetSelect(wireSource(fifo, o.rows.depth), o.files, o.rows)}) TO ${sqlString(temp)} ` +
        `(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${ROW_GROUP_ROWS}, KV_METADATA {${META_KEY}: ${sqlString(text)}})`;
      const copy = duck.connection.run(sql);
      let failure: unknown;
      copy.catch((err: unknown) => {
        failure = duckError('writing Parquet', err);
      });
      const stream = await openPipeWriter(fifo, () => failure);
      return new ParquetSink(duck, dir, target, temp, toStdout ? o.stdout : null, marker, text.length, copy, stream);
    } catch (err) {
      duck?.close();
      rmSync(dir, { recursive: true, force: true });
      if (!toStdout) await rm(temp, { force: true });
      throw err;
    }
  }

  /** No more lines: wait for DuckDB, write the metadata's end facts, put the file in place. */
  async finish(meta: ParquetMeta): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.stream.once('error', reject);
      this.stream.end(() => resolve());
    });
    // close the write end: DuckDB reads to the end of the pipe
    this.stream.destroy();
    try {
      await this.copy;
    } catch (err) {
      throw duckError('writing Parquet', err);
    }
    await patchFooter(this.temp, this.marker, fitMeta(meta, this.room));
    if (this.stdout) await pipeline(createReadStream(this.temp), this.stdout as Writable, { end: false });
    else await rename(this.temp, this.target);
    this.done = true;
  }

  /** Remove the pipe, DuckDB and (unless finished) the partial output. */
  async cleanup(): Promise<void> {
    if (!this.stream.destroyed) this.stream.destroy();
    await this.copy.catch(() => {});
    this.duck.close();
    this.removeSync();
  }
}
