/**
 * The explorer's data: dumps loaded into the engine's keyspaces (one compact record per key,
 * values left in the files), indexed for paging and sorting, and summarized for the views.
 */
import { stat } from 'node:fs/promises';
import { loadKeyspaces, type FileReader, type KeyspaceFill, type LoadedDumps, type LoadOptions } from '../../engine/load.js';
import type { KeyFilterSpec } from '../../memory/filter.js';
import type { ProfileId, ServerConfig } from '../../memory/profiles.js';
import type { PrefixOptions } from '../../memory/prefix-tree.js';
import type { EscapeMode } from '../../report/escape.js';
import { KeyIndex } from './key-index.js';
import { summarize, type Summary } from './summary.js';
import { ExpiryTally } from './expiry.js';
import type { LiveExtras, ReplicaTarget } from './live.js';

export interface ExplorerOptions {
  /** the dumps (none when following a primary) */
  files: string[];
  /** follow this primary instead of reading dumps (`--replicaof`, src/tui/data/live.ts) */
  replica?: ReplicaTarget;
  target?: ProfileId;
  config?: Partial<ServerConfig>;
  /** keys left out at load time (the command line's --db, --type, --match, ...) */
  filter?: KeyFilterSpec;
  /** reference time for TTLs (ms) */
  now: number;
  separators: string;
  depth: number;
  escape: EscapeMode;
  /** the load's progress as loadKeyspaces reports it (the CLI's interruption message) */
  onLoadProgress?: LoadOptions['onLoadProgress'];
  /** the dumps are loaded and indexed */
  onLoaded?: () => void;
  /** how a large dump is read elsewhere (the CLI's two worker threads: cli/split-load.ts), given the load's options */
  readerFor?: (load: LoadOptions) => FileReader;
}

export interface LoadProgress {
  phase: 'reading' | 'indexing';
  bytesRead: number;
  totalBytes: number;
  keys: number;
  /** fraction of the indexing done (phase 'indexing') */
  indexed: number;
  /** the figures of the keys read so far (the overview while the dumps load) */
  sofar?: LoadSoFar;
}

/** What the keys read so far add up to. */
export interface LoadSoFar {
  /** sum of MEMORY USAGE (known sizes) */
  bytes: number;
  expires: number;
  /** databases with keys */
  dbs: number[];
  /** by type, largest first */
  byType: { name: string; keys: number; bytes: number }[];
}

/** The running totals of a fill as LoadSoFar. */
export function soFarOf(fill: KeyspaceFill): LoadSoFar {
  const byType = [...fill.byType].map(([name, [keys, bytes]]) => ({ name, keys, bytes }));
  byType.sort((a, b) => b.bytes - a.bytes || b.keys - a.keys);
  return { bytes: fill.bytes, expires: fill.expires, dbs: [...fill.dbs.keys()].sort((a, b) => a - b), byType };
}

export interface Explorer {
  options: ExplorerOptions;
  loaded: LoadedDumps;
  index: KeyIndex;
  summary: Summary;
  /** TTL distribution of every key */
  expiry: ExpiryTally;
  prefixOptions: Partial<PrefixOptions>;
  /** following a primary: the feed this explorer was built from (values come from its engine) */
  live?: LiveExtras;
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Load and index the dumps. Corrupt dumps load what they hold (summary.files[i].error). */
export async function openExplorer(opts: ExplorerOptions, onProgress: (p: LoadProgress) => void = () => {}): Promise<Explorer> {
  let totalBytes = 0;
  for (const f of opts.files) totalBytes += (await stat(f)).size;
  const prefixOptions: Partial<PrefixOptions> = { separators: opts.separators, depth: opts.depth };
  let keys = 0;
  let bytesRead = 0;
  let fill: KeyspaceFill | null = null;
  const load: LoadOptions = {
    onFill: (f) => (fill = f),
    target: opts.target,
    config: opts.config,
    filter: opts.filter,
    aggregate: { now: opts.now, prefix: prefixOptions },
    onLoadProgress: (b, k, file, fileBytes) => {
      opts.onLoadProgress?.(b, k, file, fileBytes);
      bytesRead = b;
      keys = k;
      onProgress({ phase: 'reading', bytesRead: b, totalBytes, keys: k, indexed: 0, ...(fill ? { sofar: soFarOf(fill) } : {}) });
    },
  };
  if (opts.readerFor) load.readFile = opts.readerFor(load);
  const loaded = await loadKeyspaces(opts.files, load);
  const sofar = fill ? soFarOf(fill) : undefined;
  const indexing = (indexed: number): LoadProgress => ({ phase: 'indexing', bytesRead: Math.max(bytesRead, totalBytes), totalBytes, keys, indexed, ...(sofar ? { sofar } : {}) });
  onProgress(indexing(0));
  await tick();
  // in slices of at most ~20 ms, each followed by a turn of the event loop: keys are answered while 20M keys are indexed
  const index = await KeyIndex.build(loaded.dbs, async (done, total) => {
    onProgress(indexing((done / total) * 0.9));
    await tick();
  });
  const expiry = new ExpiryTally(opts.now);
  let seen = 0;
  for (const s of index.slices) {
    for (let id = 0; id < s.ks.idLimit; id++) {
      if (s.ks.isLive(id)) expiry.add(s.ks.expireOf(id), s.ks.memoryOf(id));
      if (++seen % 500_000 === 0) {
        onProgress(indexing(0.9 + (0.05 * seen) / Math.max(1, index.limit)));
        await tick();
      }
    }
  }
  onProgress(indexing(0.95));
  await tick();
  const summary = summarize(loaded.analyses);
  opts.onLoaded?.();
  return { options: opts, loaded, index, summary, expiry, prefixOptions };
}

/** The dump file and server profile of a key. */
export function keyLocation(ex: Explorer, g: number): { file: string; offset: number; db: number; fileIndex: number } {
  const info = ex.index.info(g);
  return { file: ex.loaded.files[info.file]!, offset: info.offset, db: info.db, fileIndex: info.file };
}
