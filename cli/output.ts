/**
 * Line output with backpressure: lines are collected into one string and written in chunks of
 * about 64 KB; `ready()` resolves once the destination has drained.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { CliError, isSystemError, systemReason } from './errors.js';

export const OUTPUT_CHUNK = 64 * 1024;

export class LineWriter {
  private buf = '';
  private full = false;

  constructor(
    private readonly out: Writable | NodeJS.WriteStream,
    private readonly chunk = OUTPUT_CHUNK,
  ) {}

  /** Queue one line (without its newline). */
  line(text: string): void {
    this.buf += text + '\n';
    if (this.buf.length >= this.chunk) this.flush();
  }

  /** Hand what is queued to the destination. */
  flush(): void {
    if (this.buf.length === 0) return;
    const text = this.buf;
    this.buf = '';
    if (!this.out.write(text)) this.full = true;
  }

  /** Whether the destination asked us to wait. */
  get waiting(): boolean {
    return this.full;
  }

  /** Resolves when the destination can take more (rejects if it fails or closes first). */
  async ready(): Promise<void> {
    if (!this.full) return;
    const out = this.out;
    if ((out as Writable).destroyed) throw Object.assign(new Error('output closed'), { code: 'EPIPE' });
    await new Promise<void>((resolve, reject) => {
      const done = (err?: Error): void => {
        out.off('drain', onDrain);
        out.off('error', onError);
        out.off('close', onClose);
        if (err) reject(err);
        else resolve();
      };
      const onDrain = (): void => done();
      const onError = (err: Error): void => done(err);
      const onClose = (): void => done(Object.assign(new Error('output closed'), { code: 'EPIPE' }));
      out.on('drain', onDrain);
      out.on('error', onError);
      out.on('close', onClose);
    });
    this.full = false;
  }

  /** Flush everything and wait until the destination has taken it. */
  async end(): Promise<void> {
    this.flush();
    await this.ready();
  }
}

/** Open an output file before any work, so that a bad path fails first (one line, exit 1). */
export async function openOutput(file: string): Promise<WriteStream> {
  const ws = createWriteStream(file);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', (err) => reject(isSystemError(err) ? new CliError(`${file}: ${systemReason(err)}`) : err));
  });
  return ws;
}

/** Write all of `text` to a stream opened by openOutput, then close it. */
export async function writeFile(ws: WriteStream, text: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    ws.once('error', reject);
    ws.end(text, () => resolve());
  });
}
