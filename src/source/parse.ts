/**
 * One entry point for what an analysis reads: a dump file, or a live source URL
 * (`redis://…`, `rediss://…`) read as the RDB stream LiveSource builds. The analyses
 * (analyzeDump, the CSV sizer, serve's loader) open their input through `withSource` and get
 * the same records either way.
 */
import { parseRdb, parseRdbFile, type ParseOptions, type ParseResult } from '../rdb/index.js';
import type { ServerConfig } from '../memory/profiles.js';
import { LiveSource, verifyLine, type SampledKey } from './live.js';
import { isLiveUrl } from './url.js';

export interface SourceParseOptions extends Omit<ParseOptions, 'file' | 'totalSize'> {
  /** every chunk of the RDB as it is parsed (a copy kept in memory by serve) */
  onChunk?: (chunk: Buffer) => void;
}

export interface OpenSource {
  /** the name in reports (a path, or the URL without its password) */
  name: string;
  /** for a live source, what the server says; null for a file */
  live: LiveSource | null;
  /** encoding thresholds read from the server (CONFIG GET; empty for a file) */
  config: Partial<ServerConfig>;
  /**
   * Parse it. onProgress gets (bytes read, keys) for a file, (keys scanned, keys) for a live
   * source (its size is its DBSIZE: see sourceSize).
   */
  parse(opts: SourceParseOptions): Promise<ParseResult>;
  /** Called with every sized key when the source verifies sizes (`verify=N`): keeps a sample. */
  sample: ((db: number, key: Buffer, bytes: number) => void) | null;
}

/** Where a line about a live source goes (stderr, also from a worker thread). */
let note = (line: string): void => {
  process.stderr.write(`rdblens: ${line}\n`);
};

/** Redirect the notes (a worker thread sends them to the main thread). */
export function setSourceNotes(fn: (line: string) => void): void {
  note = fn;
}

/** Write a note where notes go now. */
export function sourceNote(line: string): void {
  note(line);
}

/** Open `path` (a file or a source URL), run `fn` with it, close it. */
export async function withSource<T>(path: string, fn: (src: OpenSource) => Promise<T>): Promise<T> {
  if (!isLiveUrl(path)) {
    return fn({
      name: path,
      live: null,
      config: {},
      parse: (opts) => parseRdbFile(path, opts),
      sample: null,
    });
  }
  const live = await LiveSource.open(path);
  const want = live.target.verify;
  const samples: SampledKey[] = [];
  let seen = 0;
  try {
    const result = await fn({
      name: live.name,
      live,
      config: live.facts.config,
      parse: (opts) => {
        const { onChunk, onProgress, ...rest } = opts;
        async function* chunks(): AsyncGenerator<Buffer> {
          for await (const c of live.rdb()) {
            onChunk?.(c);
            yield c;
          }
        }
        return parseRdb(chunks(), { ...rest, file: live.name, ...(onProgress ? { onProgress: (_bytes, keys) => onProgress(live.scanned, keys) } : {}) });
      },
      // reservoir sampling (Algorithm R): every key equally likely to be verified
      sample:
        want > 0
          ? (db, key, bytes) => {
              seen++;
              if (samples.length < want) samples.push({ db, key, bytes });
              else {
                const j = Math.floor(Math.random() * seen);
                if (j < want) samples[j] = { db, key, bytes };
              }
            }
          : null,
    });
    if (live.vanished > 0) note(`${live.name}: ${live.vanished} keys vanished between SCAN and DUMP (deleted or expired meanwhile): not counted`);
    if (want > 0) note(verifyLine(live.name, await live.verify(samples)));
    return result;
  } finally {
    live.close();
  }
}

/** Wrap an onKey so that it also feeds the source's verification sample. */
export function sampling<R extends { db: number; key: Buffer; bytes: number }>(src: OpenSource, onKey: ((row: R) => void) | undefined): ((row: R) => void) | undefined {
  const sample = src.sample;
  if (!sample) return onKey;
  return (row) => {
    if (row.bytes >= 0) sample(row.db, row.key, row.bytes);
    onKey?.(row);
  };
}
