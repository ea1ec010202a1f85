/**
 * CSV lines from several files analyzed at once, written in file order. The lines of the file
 * whose turn it is go straight to the output; a file that runs ahead of its turn spools its
 * lines to a temp file, which is copied to the output when its turn comes. Memory stays bounded
 * (the workers wait for each write: see cli/protocol.ts), disk use is at most the spooled part.
 */
import { createReadStream, createWriteStream, mkdtempSync, rmSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Writable } from 'node:stream';

interface Spool {
  path: string;
  stream: WriteStream;
}

/**
 * Where the per-key lines of each slot (a dump, or a part of one) go: OrderedOutput (one CSV
 * stream) or ParquetOutput (cli/parquet-sink.ts, a part per slot).
 */
export interface RowOutput {
  /** Take `n` slots in all, in order (a dump read in two parts by two threads), before any is written. */
  expand(n: number): void;
  /** Lines of slot `slot`, in its key order; resolves once taken (the workers wait for it). */
  write(slot: number, text: string | Buffer): Promise<void>;
  /** Lines after every slot (`--largest`). */
  direct(text: string | Buffer): Promise<void>;
  /** Slot `slot` has no more lines. */
  fileDone(slot: number): void;
  /** Resolves when every finished slot's lines are written. */
  drained(): Promise<void>;
}

export class OrderedOutput implements RowOutput {
  private current = 0;
  private readonly spools: Array<Spool | null>;
  private readonly done: boolean[];
  private dir: string | null = null;
  private advancing: Promise<void> = Promise.resolve();
  private error: unknown = null;
  private readonly onExit = (): void => this.cleanup();
  /** Ctrl-C or a kill while spooling: remove the spool, then die of the same signal */
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    this.cleanup();
    process.kill(process.pid, signal);
  };

  constructor(
    private readonly out: Writable | NodeJS.WritableStream,
    files: number,
  ) {
    this.spools = Array.from({ length: files }, () => null);
    this.done = Array.from({ length: files }, () => false);
    process.once('exit', this.onExit);
  }

  /** Take `n` parts in all, in order (a dump read in two parts by two threads), before any is written. */
  expand(n: number): void {
    while (this.spools.length < n) {
      this.spools.push(null);
      this.done.push(false);
    }
  }

  /** Write text now (the header, or lines written after every file is done). */
  direct(text: string | Buffer): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      (this.out as Writable).write(text, (err) => (err ? reject(err) : resolve()));
    });
  }

  /** Lines of file `file`, in its key order; resolves once written (to the output or a spool). */
  write(file: number, text: string | Buffer): Promise<void> {
    if (this.error) return Promise.reject(this.error);
    if (file === this.current && this.spools[file] === null) return this.direct(text);
    const spool = this.spool(file);
    return new Promise<void>((resolve, reject) => {
      spool.stream.write(text, (err) => (err ? reject(err) : resolve()));
    });
  }

  /** File `file` has no more lines. */
  fileDone(file: number): void {
    this.done[file] = true;
    this.advancing = this.advancing.then(() => this.advance()).catch((err: unknown) => {
      this.error ??= err;
    });
  }

  /** Resolves when every finished file's lines are in the output. */
  async drained(): Promise<void> {
    await this.advancing;
    if (this.error) throw this.error;
  }

  /** Remove the spool files (also done at process exit). */
  cleanup(): void {
    process.off('exit', this.onExit);
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
    for (const s of this.spools) s?.stream.destroy();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = null;
  }

  private spool(file: number): Spool {
    let s = this.spools[file];
    if (!s) {
      if (this.dir === null) {
        this.dir = mkdtempSync(path.join(tmpdir(), 'rdblens-'));
        process.once('SIGINT', this.onSignal);
        process.once('SIGTERM', this.onSignal);
      }
      const p = path.join(this.dir, `file-${file}.csv`);
      s = { path: p, stream: createWriteStream(p) };
      this.spools[file] = s;
    }
    return s;
  }

  private async advance(): Promise<void> {
    while (this.current < this.done.length && this.done[this.current]) {
      const s = this.spools[this.current];
      if (s) {
        await new Promise<void>((resolve, reject) => {
          s.stream.once('error', reject);
          s.stream.end(() => resolve());
        });
        for await (const chunk of createReadStream(s.path, { highWaterMark: 1 << 20 })) {
          await this.direct(chunk as Buffer);
        }
        rmSync(s.path, { force: true });
        this.spools[this.current] = null;
      }
      this.current++;
    }
  }
}
