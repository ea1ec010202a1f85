/**
 * The keys of a dump with their MEMORY USAGE, without the aggregates: what `rdblens csv` and
 * `rdblens json` need. The per-key path mirrors analyzeDump's (src/memory/analyze.ts): the
 * profile is chosen at the first key from the AUX fields (or --target), the filter's cheap part
 * runs before sizing and its size part after, and the row is the KeyRow onKey gets. What it
 * leaves out is what only the reports read: the aggregates and the MEMORY STATS and DOCTOR
 * collectors, about 40% of a pass over a 2.3M-key dump. test/cli/csv.test.ts and
 * json-sizes.test.ts check the rows against analyzeDump's.
 */
import { createReadStream } from 'node:fs';
import type { KeyRow } from '../src/memory/analyze.js';
import { compileFilter, type KeyFilterSpec } from '../src/memory/filter.js';
import { profile as makeProfile, type ProfileId, type ServerConfig, type ServerProfile } from '../src/memory/profiles.js';
import { memoryUsage, newKeyMemory, profileForRedisVersion } from '../src/memory/usage.js';
import { parseRdb, parseRdbFile, RdbError, type RdbRecord } from '../src/rdb/index.js';

export interface SizerOptions {
  target?: ProfileId | undefined;
  config?: Partial<ServerConfig>;
  filter?: KeyFilterSpec;
  fileIndex?: number;
}

export class KeySizer {
  private readonly aux: Record<string, string> = {};
  private version = 0;
  private chosen: ServerProfile | null = null;
  private readonly filter: ReturnType<typeof compileFilter>;
  private readonly fileIndex: number;
  keysInFile = 0;
  keys = 0;

  constructor(private readonly opts: SizerOptions) {
    this.filter = compileFilter(opts.filter);
    this.fileIndex = opts.fileIndex ?? 0;
  }

  /** The profile the sizes model (known from the first key on). */
  get profile(): ServerProfile {
    return (this.chosen ??= makeProfile(
      this.opts.target ?? profileForRedisVersion(this.aux['redis-ver'] ?? '', this.aux['valkey-ver'], this.version),
      this.opts.config,
    ));
  }

  private readonly scratch = newKeyMemory();

  /** Feed every record (inside the parser's callback); a key that passes the filters comes back as a row. */
  record(r: RdbRecord): KeyRow | null {
    if (r.kind !== 'key') {
      if (r.kind === 'header') this.version = r.version;
      else if (r.kind === 'aux') this.aux[r.name] = r.value.toString('latin1');
      return null;
    }
    this.keysInFile++;
    const p = this.profile;
    if (!this.filter.pre(r.db, r.key, r.type, r.expireAt)) return null;
    const m = memoryUsage(r, p, this.scratch);
    const bytes = m.unknown ? -1 : m.bytes;
    if (this.filter.active && !this.filter.size(Math.max(0, bytes))) return null;
    this.keys++;
    return {
      file: this.fileIndex,
      db: r.db,
      key: r.key,
      type: r.type,
      encoding: m.encoding,
      bytes,
      length: r.length,
      maxElementLength: r.maxElementLength,
      expireAt: r.expireAt,
      idle: r.idle,
      freq: r.freq,
      offset: r.offset,
      breakdown: { ...m.breakdown },
    };
  }
}

/** What a pass over a dump's keys found besides the rows. */
export interface KeyPass {
  keysInFile: number;
  keys: number;
  profile: ProfileId;
  /** set when the dump is truncated or corrupt: the keys before the problem were delivered */
  error: RdbError | null;
}

/** Every key of a dump file that passes the filters, sized, in file order. */
export async function sizeKeys(
  path: string,
  opts: SizerOptions,
  onKey: (row: KeyRow) => void,
  onProgress?: (bytes: number, keys: number) => void,
): Promise<KeyPass> {
  const sizer = new KeySizer(opts);
  let error: RdbError | null = null;
  try {
    await parseRdbFile(path, {
      onRecord: (r) => {
        const row = sizer.record(r);
        if (row) onKey(row);
      },
      ...(onProgress ? { onProgress } : {}),
    });
  } catch (e) {
    if (e instanceof RdbError) error = e;
    else throw e;
  }
  return { keysInFile: sizer.keysInFile, keys: sizer.keys, profile: sizer.profile.id, error };
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
      });
    } catch (e) {
      if (e instanceof RdbError) error = e;
      else throw e;
    }
    passes.push({ keysInFile: sizer.keysInFile, keys: sizer.keys, profile: sizer.profile.id, error });
  }
  return passes;
}
