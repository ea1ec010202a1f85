/**
 * Driving the explorer in tests: the App on a preloaded explorer (or loading by itself) inside
 * ink-testing-library, a terminal size, keys, and waiting for the screen to settle.
 */
import { render } from 'ink-testing-library';
import { App } from '../../src/tui/app.js';
import { openExplorer, type Explorer, type ExplorerOptions } from '../../src/tui/data/explorer.js';
import { corpusPath } from '../helpers/corpus.js';

export const KEYS = {
  up: '\u001B[A',
  down: '\u001B[B',
  right: '\u001B[C',
  left: '\u001B[D',
  pageDown: '\u001B[6~',
  pageUp: '\u001B[5~',
  home: '\u001B[H',
  end: '\u001B[F',
  enter: '\r',
  escape: '\u001B',
  backspace: '\u007F',
  tab: '\t',
  ctrlU: '\u0015',
} as const;

/** Corpus time base: every expiry in the generated dumps is in 2027 or later. */
export const CORPUS_NOW = Date.UTC(2026, 0, 1);

export function explorerOptions(files: string[], extra: Partial<ExplorerOptions> = {}): ExplorerOptions {
  return { files, now: CORPUS_NOW, separators: ':', depth: 3, escape: 'utf8', ...extra };
}

const cache = new Map<string, Promise<Explorer>>();

/** A corpus dump (path relative to the corpus) or a repo file, loaded once per test file. */
export function loadExplorer(file: string, extra: Partial<ExplorerOptions> = {}): Promise<Explorer> {
  const path = file.startsWith('samples/') || file.startsWith('/') ? file : corpusPath(file);
  const id = `${path}\u0000${JSON.stringify(extra)}`;
  let p = cache.get(id);
  if (!p) cache.set(id, (p = openExplorer(explorerOptions([path], extra))));
  return p;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface Driven {
  frame: () => string;
  lines: () => string[];
  /** press keys one by one, waiting for the screen to settle after each */
  press: (...keys: string[]) => Promise<string>;
  /** write raw input in one go (several keys in one read) */
  write: (data: string) => Promise<string>;
  /** wait until the frame satisfies `pred` (contains the text, matches the pattern) */
  waitFor: (pred: string | RegExp | ((frame: string) => boolean), timeoutMs?: number) => Promise<string>;
  /** every frame written so far */
  history: () => string[];
  resize: (columns: number, rows: number) => Promise<string>;
  frames: () => number;
  unmount: () => void;
}

/** Wait until no frame has been written for `quietMs` (or `maxMs` passed). */
async function settle(frames: () => number, quietMs = 40, maxMs = 3000): Promise<void> {
  const start = Date.now();
  let n = frames();
  let since = Date.now();
  while (Date.now() - start < maxMs) {
    await sleep(5);
    if (frames() !== n) {
      n = frames();
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return;
  }
}

export async function drive(
  target: { explorer: Explorer } | { options: ExplorerOptions },
  opts: { columns?: number; rows?: number; exportDir?: string } = {},
): Promise<Driven> {
  const props = 'explorer' in target ? { options: target.explorer.options, explorer: target.explorer } : { options: target.options };
  const r = render(<App {...props} exportDir={opts.exportDir} />);
  const frame = (): string => r.lastFrame() ?? '';
  const frames = (): number => r.frames.length;
  const resize = async (columns: number, rows: number): Promise<string> => {
    Object.defineProperty(r.stdout, 'columns', { value: columns, configurable: true });
    Object.defineProperty(r.stdout, 'rows', { value: rows, configurable: true });
    r.stdout.emit('resize');
    await settle(frames);
    return frame();
  };
  await resize(opts.columns ?? 80, opts.rows ?? 24);
  const d: Driven = {
    frame,
    lines: () => frame().split('\n'),
    frames,
    history: () => [...r.frames],
    resize,
    press: async (...keys) => {
      for (const k of keys) {
        r.stdin.write(k);
        await settle(frames);
      }
      return frame();
    },
    write: async (data) => {
      r.stdin.write(data);
      await settle(frames);
      return frame();
    },
    waitFor: async (pred, timeoutMs = 20_000) => {
      const test = typeof pred === 'string' ? (f: string) => f.includes(pred) : pred instanceof RegExp ? (f: string) => pred.test(f) : pred;
      const start = Date.now();
      while (!test(frame())) {
        if (Date.now() - start > timeoutMs) throw new Error(`timed out; last frame:\n${frame()}`);
        await sleep(10);
      }
      await settle(frames);
      return frame();
    },
    unmount: () => r.unmount(),
  };
  return d;
}

/** The rows of a table on screen: the lines after the header line that starts with `  <first>`. */
export function tableRows(frame: string, header: RegExp): string[] {
  const lines = frame.split('\n');
  const at = lines.findIndex((l) => header.test(l));
  if (at < 0) return [];
  const out: string[] = [];
  for (const l of lines.slice(at + 1)) {
    if (!/^[ ›] /.test(l) || l.trim() === '') break;
    out.push(l);
  }
  return out;
}
