/**
 * Fill the engine's keyspaces from dumps: one compact record per key with its MEMORY USAGE on
 * the chosen profile. Values stay in the dump files, read back by offset when asked for.
 */
import { stat } from 'node:fs/promises';
import { Keyspace } from './keyspace.js';
import { startAnalysis, type AnalyzeOptions, type DumpAnalysis, type KeyRow } from '../memory/analyze.js';
import type { KeyFilterSpec } from '../memory/filter.js';
import { RdbError, type RdbRecord } from '../rdb/index.js';
import { sampling, withSource } from '../source/parse.js';
import { isLiveUrl } from '../source/url.js';
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

/** Smallest key record in a dump: type byte, key length byte, value length byte. */
const MIN_RECORD_BYTES = 3;

/**
 * Keyspaces filled as a dump is read: each db's keyspace sized once from the RESIZEDB hint
 * that precedes its keys (db_size, expires_size: rdbSaveDb writes it after SELECTDB), so its
 * columns and hash index are allocated once, with no doubling slack and no copy at the peak.
 */
export class KeyspaceFill {
  readonly dbs = new Map<number, Keyspace>();
  keys = 0;
  /** running totals of the keys stored, for a display while they load: MEMORY USAGE (known sizes), keys with a TTL */
  bytes = 0;
  expires = 0;
  /** type -> [keys, bytes] */
  readonly byType = new Map<string, [number, number]>();
  private db = 0;
  /** bytes of the dump being read (caps a hint); -1 when unknown (a live source) */
  private fileBytes = -1;

  constructor(private readonly filter: KeyFilterSpec | undefined) {}

  /** A new dump begins. */
  beginFile(bytes: number): void {
    this.fileBytes = bytes;
    this.db = 0;
  }

  /** A dump is read: the keyspaces give back their spare key bytes. */
  endFile(): void {
    for (const ks of this.dbs.values()) ks.trim();
  }

  /** Every record, before the analysis sees it: SELECTDB and RESIZEDB size the keyspaces. */
  note(r: RdbRecord): void {
    if (r.kind === 'selectdb') this.db = r.db;
    else if (r.kind === 'resizedb') this.hint(this.db, r.dbSize, r.expiresSize);
  }

  private hint(db: number, dbSize: number, expiresSize: number): void {
    const f = this.filter;
    // a filter other than by db leaves out an unknown share: no hint then
    if (f && (f.types || f.match || f.regex || f.minBytes !== undefined || f.maxBytes !== undefined || f.expiry)) return;
    if (f?.dbs && !f.dbs.includes(db)) return;
    // a lying hint costs growth, not memory: no more records than the file can hold
    const cap = this.fileBytes >= 0 ? Math.floor(this.fileBytes / MIN_RECORD_BYTES) : Infinity;
    const ks = this.keyspace(db);
    ks.reserve(ks.size + Math.min(dbSize, cap), Math.min(expiresSize, cap));
  }

  keyspace(db: number): Keyspace {
    let ks = this.dbs.get(db);
    if (!ks) this.dbs.set(db, (ks = new Keyspace()));
    return ks;
  }

  store = (row: KeyRow): void => {
    this.keyspace(row.db).set(keyRecordOf(row));
    this.keys++;
    const b = row.bytes > 0 ? row.bytes : 0;
    this.bytes += b;
    if (row.expireAt >= 0) this.expires++;
    const t = this.byType.get(row.type);
    if (t) {
      t[0]++;
      t[1] += b;
    } else this.byType.set(row.type, [1, b]);
  };
}

export interface LoadOptions extends Omit<AnalyzeOptions, 'onKey' | 'fileIndex'> {
  /** progress over all files: bytes read so far and keys loaded; the file being read and its bytes read */
  onLoadProgress?: (bytesRead: number, keys: number, fileIndex: number, fileBytes: number) => void;
  /**
   * The analysis of the dump being read, as it accrues (its aggregate, counts and stats fill
   * while the keys load; `fill.dbs` holds the keys so far): called once per file as it begins.
   */
  onAnalysisStart?: (analysis: DumpAnalysis, fill: KeyspaceFill, fileIndex: number) => void;
}

/**
 * Load dumps one after the other into keyspaces. A key present in several files (shards should
 * not overlap) keeps the last one read. Corrupt dumps load what they hold: see analyses[i].error.
 */
export async function loadKeyspaces(files: string[], opts: LoadOptions = {}): Promise<LoadedDumps> {
  const fill = new KeyspaceFill(opts.filter);
  const analyses: DumpAnalysis[] = [];
  let doneBytes = 0;
  for (const [i, file] of files.entries()) {
    fill.beginFile(isLiveUrl(file) ? -1 : (await stat(file)).size);
    let fileBytes = 0;
    // analyzeDump's pass, with the records seen first here (RESIZEDB sizes the keyspaces)
    const a = await withSource(file, async (src) => {
      const onKey = sampling(src, fill.store)!;
      const pending = startAnalysis(src.name, { ...opts, ...(src.live ? { config: { ...src.config, ...opts.config } } : {}), fileIndex: i, onKey });
      opts.onAnalysisStart?.(pending.result, fill, i);
      const onRecord = (r: RdbRecord): void => {
        if (r.kind !== 'key') fill.note(r);
        pending.onRecord(r);
      };
      try {
        await src.parse({
          onRecord,
          strict: opts.strict === true,
          onProgress: (bytes) => {
            fileBytes = bytes;
            opts.onLoadProgress?.(doneBytes + bytes, fill.keys, i, bytes);
          },
        });
      } catch (e) {
        if (e instanceof RdbError) return pending.finish(e);
        throw e;
      }
      return pending.finish(null);
    });
    fill.endFile();
    doneBytes += fileBytes;
    analyses.push(a);
  }
  return { dbs: fill.dbs, files, analyses };
}
