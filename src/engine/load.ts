/**
 * Fill the engine's keyspaces from dumps: one compact record per key with its MEMORY USAGE on
 * the chosen profile. Values stay in the dump files, read back by offset when asked for.
 */
import { Keyspace } from './keyspace.js';
import { analyzeDump, AnalyzeOptions, DumpAnalysis, KeyRow } from '../memory/analyze.js';
import type { MemoryDump } from './dump-store.js';

export interface LoadedDumps {
  /** db number -> keyspace, over all files */
  dbs: Map<number, Keyspace>;
  /** names of the dumps (paths, or a replication source's name) */
  files: string[];
  /** where values are read back from, when not the files at `files` (a dump held in memory) */
  sources?: (string | MemoryDump)[];
  analyses: DumpAnalysis[];
}

/** An analysed key as a keyspace record (the value stays in dump `row.file`). */
export function keyRecordOf(row: KeyRow): Parameters<Keyspace['set']>[0] {
  return {
    key: row.key,
    type: row.type,
    encoding: row.encoding,
    memory: row.bytes,
    length: row.length,
    maxElementLength: row.maxElementLength,
    expireAt: row.expireAt,
    idle: row.idle,
    freq: row.freq,
    offset: row.offset,
    file: row.file,
  };
}

/** Record one analysed key in its db's keyspace. */
export function storeKeyRow(dbs: Map<number, Keyspace>, row: KeyRow): void {
  let ks = dbs.get(row.db);
  if (!ks) dbs.set(row.db, (ks = new Keyspace()));
  ks.set(keyRecordOf(row));
}

export interface LoadOptions extends Omit<AnalyzeOptions, 'onKey' | 'fileIndex'> {
  /** progress over all files: bytes read so far and keys loaded; the file being read and its bytes read */
  onLoadProgress?: (bytesRead: number, keys: number, fileIndex: number, fileBytes: number) => void;
}

/**
 * Load dumps one after the other into keyspaces. A key present in several files (shards should
 * not overlap) keeps the last one read. Corrupt dumps load what they hold: see analyses[i].error.
 */
export async function loadKeyspaces(files: string[], opts: LoadOptions = {}): Promise<LoadedDumps> {
  const dbs = new Map<number, Keyspace>();
  const analyses: DumpAnalysis[] = [];
  let doneBytes = 0;
  let keys = 0;
  for (const [i, file] of files.entries()) {
    let fileBytes = 0;
    const a = await analyzeDump(file, {
      ...opts,
      fileIndex: i,
      onProgress: (bytes) => {
        fileBytes = bytes;
        opts.onLoadProgress?.(doneBytes + bytes, keys, i, bytes);
      },
      onKey: (row) => {
        storeKeyRow(dbs, row);
        keys++;
      },
    });
    doneBytes += fileBytes;
    analyses.push(a);
  }
  return { dbs, files, analyses };
}
