/**
 * The per-key sizer: every key record of a dump, sized on the chosen server profile and put
 * through the filters. The one path from a key record to its MEMORY USAGE that `rdblens csv`
 * and `json` (keys only, sizeKeys) and the full analysis (analyze.ts, which feeds the
 * aggregates and the MEMORY STATS and DOCTOR collectors too) share.
 *
 * - The profile is the --target one, or chosen at the first key (or at the end of an empty
 *   dump) from the AUX fields redis-ver / valkey-ver and the RDB version.
 * - The filter's cheap part (db, type, name, expiry) runs before sizing, its size part after.
 * - The row is built only when asked for (csv, json, onKey); the analysis reads `memory`.
 */
import type { ValueType } from '../rdb/constants.js';
import { createReadStream } from 'node:fs';
import { emptyIntegrity, nameFoundKeys, noteIntegrity, parseRdb, RdbError, type IntegrityData, type KeyRecord, type RdbRecord } from '../rdb/index.js';
import { sampling, withSource } from '../source/parse.js';
import { compileFilter, type KeyFilterSpec } from './filter.js';
import { profile as makeProfile, type ProfileId, type ServerConfig, type ServerProfile } from './profiles.js';
import { memoryUsage, newKeyMemory, profileForRedisVersion, type KeyMemory } from './usage.js';

/** One key as the presenters see it. */
export interface KeyRow {
  file: number;
  db: number;
  key: Buffer;
  type: ValueType;
  /** encoding on the target server after load (OBJECT ENCODING) */
  encoding: string;
  /** MEMORY USAGE estimate; -1 when unknown (module values) */
  bytes: number;
  length: number;
  maxElementLength: number;
  expireAt: number;
  idle: number;
  freq: number;
  /** offset of the key's record in the dump */
  offset: number;
  /** key name, object and entry overhead, payload */
  breakdown: { key: number; object: number; entryOverhead: number; payload: number };
  /** with AnalyzeOptions.allocations: allocator bytes the loaded key takes (src/memory/alloc.ts keyAllocation); 0 for a key the server drops on load */
  allocation?: number;
}

export interface SizerOptions {
  /** model this server instead of the one that wrote the dump */
  target?: ProfileId | undefined;
  config?: Partial<ServerConfig> | undefined;
  filter?: KeyFilterSpec | undefined;
  /** index of this file among several (cluster shards) */
  fileIndex?: number | undefined;
  /** the load-time findings are errors (ParserOptions.strict) */
  strict?: boolean | undefined;
  /** read one part of the file (ParserOptions.split; a file, not strict) */
  split?: { at: number; part: 'head' | 'tail' } | undefined;
}

export class KeySizer {
  /** the dump's AUX fields (latin1), as far as read */
  readonly aux: Record<string, string> = {};
  rdbVersion = 0;
  /** the header said VALKEY */
  valkey = false;
  /** keys in the file so far, before filters */
  keysInFile = 0;
  /** the dump's checksum as its EOF record gives it ('absent' until then) */
  checksum = 'absent';
  /** what Redis's load-time checks found (src/rdb/integrity.ts) */
  readonly integrity: IntegrityData = emptyIntegrity();
  /** keys that passed the filters */
  keys = 0;
  /** the last key that passed: its MEMORY USAGE (reused; valid until the next key) */
  readonly memory: KeyMemory = newKeyMemory();
  /** the last key that passed: MEMORY USAGE, -1 when unknown (module values) */
  bytes = 0;
  readonly fileIndex: number;
  private chosen: ServerProfile | null = null;
  private readonly filter: ReturnType<typeof compileFilter>;

  constructor(private readonly opts: SizerOptions = {}) {
    this.filter = compileFilter(opts.filter);
    this.fileIndex = opts.fileIndex ?? 0;
  }

  /** whether any filter is set (then the dump's RESIZEDB hints do not describe the keys kept) */
  get filtering(): boolean {
    return this.filter.active;
  }

  /** The profile the sizes model (chosen at the first read, i.e. from the first key on). */
  get profile(): ServerProfile {
    return (this.chosen ??= makeProfile(
      this.opts.target ?? profileForRedisVersion(this.aux['redis-ver'] ?? '', this.aux['valkey-ver'], this.rdbVersion),
      this.opts.config,
    ));
  }

  /** A header or AUX record: what the profile is chosen from. Other records are ignored. */
  note(r: RdbRecord): void {
    if (r.kind === 'header') {
      this.rdbVersion = r.version;
      this.valkey = r.magic === 'VALKEY';
    } else if (r.kind === 'aux') this.aux[r.name] = r.value.toString('latin1');
    else if (r.kind === 'eof') this.checksum = r.checksum;
    else if (r.kind === 'integrity') noteIntegrity(this.integrity, r);
  }

  /** Size one key (inside the parser's callback): true when it passes the filters (see `memory`, `bytes`). */
  size(r: KeyRecord): boolean {
    this.keysInFile++;
    const p = this.profile;
    if (!this.filter.pre(r.db, r.key, r.type, r.expireAt)) return false;
    const m = memoryUsage(r, p, this.memory);
    const bytes = m.unknown ? -1 : m.bytes;
    if (this.filter.active && !this.filter.size(Math.max(0, bytes))) return false;
    this.bytes = bytes;
    this.keys++;
    return true;
  }

  /** The row of the key `size` just passed (a new object; the key Buffer is the parser's). */
  row(r: KeyRecord): KeyRow {
    const m = this.memory;
    return {
      file: this.fileIndex,
      db: r.db,
      key: r.key,
      type: r.type,
      encoding: m.encoding,
      bytes: this.bytes,
      length: r.length,
      maxElementLength: r.maxElementLength,
      expireAt: r.expireAt,
      idle: r.idle,
      freq: r.freq,
      offset: r.offset,
      breakdown: { ...m.breakdown },
    };
  }

  /** Feed every record; a key that passes the filters comes back as a row. */
  record(r: RdbRecord): KeyRow | null {
    if (r.kind !== 'key') {
      this.note(r);
      return null;
    }
    return this.size(r) ? this.row(r) : null;
  }
}

/** What a pass over a dump's keys found besides the rows. */
export interface KeyPass {
  keysInFile: number;
  keys: number;
  profile: ProfileId;
  /** as DumpAnalysis.checksum */
  checksum: string;
  /** set when the dump is truncated or corrupt: the keys before the problem were delivered */
  error: RdbError | null;
  /** what Redis's load-time checks found */
  integrity: IntegrityData;
}

/** Every key of a dump file that passes the filters, sized, in file order. */
export async function sizeKeys(
  path: string,
  opts: SizerOptions,
  onKey: (row: KeyRow) => void,
  onProgress?: (bytes: number, keys: number) => void,
): Promise<KeyPass> {
  // a live source (redis://...) reads as a dump; its CONFIG GET thresholds under --config
  return withSource(path, async (src) => {
    const sizer = new KeySizer(src.live ? { ...opts, config: { ...src.config, ...opts.config } } : opts);
    const each = sampling(src, onKey)!;
    let error: RdbError | null = null;
    try {
      await src.parse({
        onRecord: (r) => {
          const row = sizer.record(r);
          if (row) each(row);
        },
        ...(onProgress ? { onProgress } : {}),
        strict: opts.strict === true,
        ...(opts.split ? { split: opts.split } : {}),
      });
      if (!src.live) await nameFoundKeys(path, sizer.integrity);
    } catch (e) {
      if (e instanceof RdbError) error = e;
      else throw e;
    }
    return { keysInFile: sizer.keysInFile, keys: sizer.keys, profile: sizer.profile.id, checksum: sizer.checksum, error, integrity: sizer.integrity };
  });
}

/**
 * Every key of the dumps, in file order, handed to `onKey`; between chunks of input it awaits
 * `pause()` (the consumer's chance to write out what it took). For the workbook's Keys sheets,
 * read after the analysis (a second pass over the files: nothing per key is held meanwhile).
 */
export async function forEachKey(
  files: readonly string[],
  opts: Omit<SizerOptions, 'fileIndex'>,
  onKey: (row: KeyRow) => void,
  pause: () => Promise<void>,
): Promise<KeyPass[]> {
  const passes: KeyPass[] = [];
  for (const [i, path] of files.entries()) {
    const sizer = new KeySizer({ ...opts, fileIndex: i });
    let error: RdbError | null = null;
    async function* paced(): AsyncGenerator<Buffer> {
      const stream = createReadStream(path, { highWaterMark: 1 << 20 });
      try {
        for await (const chunk of stream) {
          yield chunk as Buffer;
          await pause();
        }
      } finally {
        stream.destroy();
      }
    }
    try {
      await parseRdb(paced(), {
        file: path,
        onRecord: (r) => {
          const row = sizer.record(r);
          if (row) onKey(row);
        },
        strict: opts.strict === true,
      });
      await nameFoundKeys(path, sizer.integrity);
    } catch (e) {
      if (e instanceof RdbError) error = e;
      else throw e;
    }
    passes.push({ keysInFile: sizer.keysInFile, keys: sizer.keys, profile: sizer.profile.id, checksum: sizer.checksum, error, integrity: sizer.integrity });
  }
  return passes;
}
