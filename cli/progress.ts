/**
 * Progress bar on stderr while dumps are read: bytes, keys, keys/s, ETA. Only on a TTY and
 * without --quiet (the commands decide); redrawn at most 10 times a second, erased at the end.
 */
import { formatBytes, formatCount, formatDuration } from '../src/report/format.js';

export interface ProgressSink {
  write(s: string): unknown;
  columns?: number;
}

/** Redraw at most this often (ms). */
const REDRAW_EVERY = 100;

export class ProgressBar {
  private readonly bytes: number[];
  private readonly keys: number[];
  private readonly done: boolean[];
  /** time and totals at the first update: rates leave out the start-up (workers booting) */
  private start = -1;
  private startBytes = 0;
  private startKeys = 0;
  private lastDraw = 0;
  private drawn = false;

  constructor(
    private readonly out: ProgressSink,
    /** size of each file */
    private readonly sizes: readonly number[],
    private readonly clock: () => number = Date.now,
    /** 'keys': live sources, whose size is their DBSIZE and whose progress is keys scanned */
    private readonly unit: 'bytes' | 'keys' = 'bytes',
  ) {
    this.bytes = sizes.map(() => 0);
    this.keys = sizes.map(() => 0);
    this.done = sizes.map(() => false);
  }

  /** The bytes read and keys seen so far in one file. */
  update(file: number, bytes: number, keys: number): void {
    if (this.start < 0) {
      this.start = this.clock();
      this.startBytes = bytes;
      this.startKeys = keys;
    }
    this.bytes[file] = bytes;
    this.keys[file] = keys;
    this.maybeDraw();
  }

  fileDone(file: number): void {
    this.done[file] = true;
    this.bytes[file] = this.sizes[file]!;
    this.maybeDraw();
  }

  /** The line as it would be drawn now (tests). */
  line(width = 100): string {
    const total = this.sizes.reduce((a, b) => a + b, 0);
    const read = this.bytes.reduce((a, b) => a + b, 0);
    const keys = this.keys.reduce((a, b) => a + b, 0);
    const secs = this.start < 0 ? 0 : (this.clock() - this.start) / 1000;
    const frac = total > 0 ? Math.min(1, read / total) : 0;
    const rate = secs > 0 ? (read - this.startBytes) / secs : 0;
    const keyRate = secs > 0 ? (keys - this.startKeys) / secs : 0;
    const eta = rate > 0 ? ((total - read) / rate) * 1000 : NaN;
    const files = this.sizes.length > 1 ? `  ${this.done.filter(Boolean).length}/${this.sizes.length} files` : '';
    const amount = this.unit === 'keys' ? `${formatCount(read)}/${formatCount(total)} keys scanned` : `${formatBytes(read)}/${formatBytes(total)}  ${formatCount(keys)} keys`;
    const tail =
      ` ${(frac * 100).toFixed(0).padStart(3)}%  ${amount}` +
      `  ${formatCount(keyRate)} keys/s  ETA ${Number.isFinite(eta) ? formatDuration(eta) : '-'}${files}`;
    const barWidth = Math.max(10, Math.min(30, width - tail.length - 3));
    const filled = Math.round(frac * barWidth);
    const line = `[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}]${tail}`;
    return line.length > width - 1 ? line.slice(0, Math.max(0, width - 1)) : line;
  }

  private maybeDraw(): void {
    const now = this.clock();
    if (now - this.lastDraw < REDRAW_EVERY) return;
    this.lastDraw = now;
    this.out.write(`\r${this.line(this.out.columns || 100)}\u001b[K`);
    this.drawn = true;
  }

  /** Erase the bar (before anything else is printed on the terminal). */
  clear(): void {
    if (this.drawn) this.out.write('\r\u001b[K');
    this.drawn = false;
  }
}

/** A progress bar on stderr when it is a TTY and the user did not ask for quiet. */
export function progressFor(sizes: readonly number[], quiet: boolean, stream: NodeJS.WriteStream = process.stderr, unit: 'bytes' | 'keys' = 'bytes'): ProgressBar | null {
  if (quiet || !stream.isTTY) return null;
  return new ProgressBar(stream, sizes, Date.now, unit);
}
