/**
 * SIGINT / SIGTERM while dumps load (serve, tui, report, csv): say what was interrupted, where,
 * and exit 128 + the signal's number (130, 143) as a shell reports a death by that signal:
 *
 *   rdblens: interrupted by SIGTERM while loading dump.rdb at byte 1048576 of 8388608 (9120 keys read)
 *
 * A LoadWatch follows the load (the progress the loaders report, per file or over all files)
 * and forwards it to the progress bar when there is one.
 */
import { constants } from 'node:os';
import type { ProgressBar } from './progress.js';

/** What the analysis reports progress to: the bar, or a LoadWatch in front of it. */
export type ProgressLike = Pick<ProgressBar, 'update' | 'fileDone' | 'clear'>;

export interface LoadItem {
  /** as the user named it (a path or a redis:// source) */
  name: string;
  /** its size (null: not known) */
  size: number | null;
  /** what size and progress count: bytes (a dump), or keys (a live source scanned) */
  unit?: 'byte' | 'key';
}

export class LoadWatch implements ProgressLike {
  private readonly bytes: number[];
  private readonly keys: number[];
  private readonly done: boolean[];
  /** keys over all files, when the loader counts them so (onLoad) */
  private allKeys: number | null = null;

  constructor(
    private readonly items: readonly LoadItem[],
    private readonly bar: ProgressLike | null = null,
  ) {
    this.bytes = items.map(() => 0);
    this.keys = items.map(() => 0);
    this.done = items.map(() => false);
  }

  /** bytes read and keys seen so far in one file (the analysis' progress) */
  update(file: number, bytes: number, keys: number): void {
    this.bytes[file] = bytes;
    this.keys[file] = keys;
    this.bar?.update(file, bytes, keys);
  }

  fileDone(file: number): void {
    this.done[file] = true;
    this.bar?.fileDone(file);
  }

  clear(): void {
    this.bar?.clear();
  }

  /** LoadOptions.onLoadProgress: keys over all files, bytes within file `index` */
  onLoad(keys: number, index: number, fileBytes: number): void {
    for (let i = 0; i < index; i++) this.done[i] = true;
    this.bytes[index] = fileBytes;
    this.allKeys = keys;
  }

  /** "dump.rdb at byte N of M (K keys read)": the files being read now (the first unread one before any progress) */
  describe(): string {
    let at = this.items.map((_, i) => i).filter((i) => !this.done[i] && this.bytes[i]! > 0);
    if (at.length === 0) {
      const next = this.done.indexOf(false);
      at = next < 0 ? [] : [next];
    }
    const where = at.map((i) => {
      const it = this.items[i]!;
      const unit = it.unit ?? 'byte';
      return it.size === null ? `${it.name} at ${unit} ${this.bytes[i]}` : `${it.name} at ${unit} ${this.bytes[i]} of ${it.size}`;
    });
    const keys = this.allKeys ?? this.keys.reduce((a, b) => a + b, 0);
    const files = this.items.length > 1 ? `, ${this.done.filter(Boolean).length} of ${this.items.length} dumps read` : '';
    return `${where.length > 0 ? where.join(', ') : 'the dumps'} (${keys} keys read${files})`;
  }
}

/**
 * From now on SIGINT and SIGTERM mean: write (`write`, one line) what `watch` says was being
 * loaded, exit 128 + the signal's number. The line is written at exit, after the exit handlers
 * that were there before (the explorer leaving the alternate screen), so it stays on the
 * terminal. Returns the function that puts the signals back as they were.
 */
export function armInterrupt(watch: LoadWatch, write: (line: string) => void): () => void {
  const onSignal = (signal: NodeJS.Signals): void => {
    const line = `rdblens: interrupted by ${signal} while loading ${watch.describe()}`;
    process.once('exit', () => write(line));
    process.exit(128 + constants.signals[signal as keyof typeof constants.signals]);
  };
  // first in line: a listener that signal-exit (Ink's) adds can count the listeners, take itself
  // for the only one and re-raise the signal, ending the process silently before ours runs
  process.prependListener('SIGINT', onSignal);
  process.prependListener('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

/** Run `work` (the load) with the signals armed (armInterrupt); disarmed when it settles. */
export async function whileLoading<T>(watch: LoadWatch, write: (line: string) => void, work: () => Promise<T>): Promise<T> {
  const disarm = armInterrupt(watch, write);
  try {
    return await work();
  } finally {
    disarm();
  }
}
