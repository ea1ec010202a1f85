/**
 * Fill the engine's keyspaces from dumps: one compact record per key with its MEMORY USAGE on
 * the chosen profile. Values stay in the dump files, read back by offset when asked for.
 */
import { stat } from 'node:fs/promises';
import { Keyspace, VALUE_TYPES, type KeyInfo } from './keyspace.js';
import type { ValueType } from '../rdb/constants.js';
import { startAnalysis, type AnalyzeOptions, type DumpAnalysis, type KeyRow } from '../memory/analyze.js';
import type { KeyFilterSpec } from '../memory/filter.js';
import { RdbError, nameFoundKeys, type RdbRecord } from '../rdb/index.js';
import { sampling, withSource } from '../source/parse.js';
import { isLiveUrl } from '../source/url.js';
import type { MemoryDump } from './dump-store.js';

const TYPE_INDEX = Object.fromEntries(VALUE_TYPES.map((t, i) => [t, i])) as Record<ValueType, number>;

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
  /** keys and bytes by type code (VALUE_TYPES) */
  private readonly typeKeys = new Float64Array(VALUE_TYPES.length);
  private readonly typeBytes = new Float64Array(VALUE_TYPES.length);
  /** the keyspace of the last key put, and its db */
  private last: Keyspace | null = null;
  private lastDb = -1;
  private db = 0;
  /** bytes of the dump being read (caps a hint); -1 when unknown (a live source) */
  private fileBytes = -1;

  constructor(private readonly filter: KeyFilterSpec | undefined) {}

  /** A new dump begins. */
  beginFile(bytes: number): void {
    this.fileBytes = bytes;
    this.db = 0;
  }

  /** A dump is read: the keyspaces index the keys added and give back their spare key bytes. */
  endFile(): void {
    for (const ks of this.dbs.values()) {
      ks.indexPending();
      ks.trim();
    }
  }

  /** Every record, before the analysis sees it: SELECTDB and RESIZEDB size the keyspaces. */
  note(r: RdbRecord): void {
    if (r.kind === 'selectdb') this.db = r.db;
    else if (r.kind === 'resizedb') this.hint(this.db, r.dbSize, r.expiresSize);
  }

  /** RESIZEDB of `db`: its keyspace is sized for that many more keys. */
  hint(db: number, dbSize: number, expiresSize: number): void {
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

  /** type -> [keys, bytes], of the types seen */
  get byType(): Map<string, [number, number]> {
    const out = new Map<string, [number, number]>();
    VALUE_TYPES.forEach((t, i) => {
      if (this.typeKeys[i]! > 0) out.set(t, [this.typeKeys[i]!, this.typeBytes[i]!]);
    });
    return out;
  }

  store = (row: KeyRow): void => {
    const key = row.key;
    this.put(row.db, keyRecordOf(row), key, 0, key.length);
  };

  /**
   * Record a key of `db`, named by `len` bytes of `src` at `off` (copied). Keys may come out of
   * file order (two threads on one dump, row-wire.ts): which copy of a key read twice stays is
   * Keyspace.append's rule, the same in any order.
   */
  put(db: number, info: Omit<KeyInfo, 'key'>, src: Uint8Array, off: number, len: number): void {
    let ks = this.last;
    if (db !== this.lastDb || ks === null) {
      ks = this.last = this.keyspace(db);
      this.lastDb = db;
    }
    ks.appendFrom(info, src, off, len);
    this.keys++;
    const b = info.memory > 0 ? info.memory : 0;
    this.bytes += b;
    if (info.expireAt >= 0) this.expires++;
    const t = TYPE_INDEX[info.type];
    this.typeKeys[t]!++;
    this.typeBytes[t]! += b;
  }
}

/**
 * Reads one dump file into `fill` some other way than a pass on this thread (cli/split-load.ts:
 * two worker threads on one large dump, their keys decoded here), resolving with its analysis;
 * or null, at once, to leave it to the pass here (a small dump, one core).
 */
export type FileReader = (file: string, fileIndex: number, fill: KeyspaceFill, onProgress: (bytesRead: number) => void) => Promise<DumpAnalysis> | null;

/**
 * The dump `file` (the only input) through `opts.readFile`: its analysis, or null when that
 * declines. A damaged dump read that way may hold keys from past the damage (the second thread's
 * part), where a pass in order stops: then 'again', and the caller drops `fill` and reads the dump
 * in one pass, so that what is served is what one pass loads (redis-server loads none of it).
 */
export async function readElsewhere(file: string, fileIndex: number, fill: KeyspaceFill, opts: LoadOptions, onProgress: (bytesRead: number) => void): Promise<DumpAnalysis | 'again' | null> {
  const pending = opts.readFile?.(file, fileIndex, fill, onProgress) ?? null;
  if (pending === null) return null;
  const a = await pending;
  return a.error ? 'again' : a;
}

export interface LoadOptions extends Omit<AnalyzeOptions, 'onKey' | 'fileIndex'> {
  /** read a dump file (when it is the only input) elsewhere: see FileReader */
  readFile?: FileReader;
  /** the fill the keys go into, as the load begins (and again if it starts over: readElsewhere) */
  onFill?: (fill: KeyspaceFill) => void;
  /** progress over all files: bytes read so far and keys loaded; the file being read and its bytes read */
  onLoadProgress?: (bytesRead: number, keys: number, fileIndex: number, fileBytes: number) => void;
}

/**
 * Load dumps one after the other into keyspaces. A key present in several files (shards should
 * not overlap) keeps the last one read. Corrupt dumps load what they hold: see analyses[i].error.
 */
export async function loadKeyspaces(files: string[], opts: LoadOptions = {}): Promise<LoadedDumps> {
  let fill = new KeyspaceFill(opts.filter);
  opts.onFill?.(fill);
  const analyses: DumpAnalysis[] = [];
  let doneBytes = 0;
  for (const [i, file] of files.entries()) {
    const size = isLiveUrl(file) ? -1 : (await stat(file)).size;
    fill.beginFile(size);
    let fileBytes = 0;
    const onProgress = (bytes: number): void => {
      fileBytes = bytes;
      opts.onLoadProgress?.(doneBytes + bytes, fill.keys, i, bytes);
    };
    let a: DumpAnalysis | null = null;
    if (files.length === 1 && size >= 0 && opts.strict !== true) {
      const elsewhere = await readElsewhere(file, i, fill, opts, onProgress);
      if (elsewhere === 'again') {
        fill = new KeyspaceFill(opts.filter);
        opts.onFill?.(fill);
        fill.beginFile(size);
      } else a = elsewhere;
    }
    // analyzeDump's pass, with the records seen first here (RESIZEDB sizes the keyspaces)
    a ??= await withSource(file, async (src) => {
      const onKey = sampling(src, fill.store)!;
      const pending = startAnalysis(src.name, { ...opts, ...(src.live ? { config: { ...src.config, ...opts.config } } : {}), fileIndex: i, onKey });
      const onRecord = (r: RdbRecord): void => {
        if (r.kind !== 'key') fill.note(r);
        pending.onRecord(r);
      };
      try {
        await src.parse({ onRecord, strict: opts.strict === true, onProgress });
        // the findings name their keys, as analyzeDump's do
        if (!src.live) await nameFoundKeys(file, pending.result.integrity);
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
