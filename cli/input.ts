/**
 * Opening a dump for the parser: a file path, or `-` for standard input. Open errors surface
 * here, before any output; the chunks pause while the output is backed up.
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import type { Readable } from 'node:stream';
import { parseRdb, type ParseOptions, type ParseResult } from '../src/rdb/index.js';
import { CliError, isSystemError, systemReason } from './errors.js';
import type { ServerConfig } from '../src/memory/profiles.js';
import { isLiveUrl } from '../src/source/url.js';
import { openLiveInput } from './live.js';

/** Files are read in chunks of this size. */
const READ_CHUNK = 1 << 20;

export interface DumpInput {
  /** the name used in messages */
  file: string;
  /** size in bytes when the input is a regular file */
  totalSize: number | undefined;
  stream: Readable;
  /** a live source's encoding thresholds (CONFIG GET), under --config */
  config?: Partial<ServerConfig>;
}

/**
 * Open a dump for reading: a missing or unreadable path, or a directory, is a CliError (one
 * line, exit 1). The caller owns the handle.
 */
export async function openDumpFile(path: string): Promise<{ fh: FileHandle; st: Stats }> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    if (isSystemError(err)) throw new CliError(`${path}: ${systemReason(err)}`);
    throw err;
  }
  try {
    const st = await fh.stat();
    if (st.isDirectory()) throw new CliError(`${path}: is a directory`);
    return { fh, st };
  } catch (err) {
    await fh.close();
    throw err;
  }
}

export async function openDump(path: string): Promise<DumpInput> {
  if (isLiveUrl(path)) return openLiveInput(path);
  if (path === '-') return { file: '<stdin>', totalSize: undefined, stream: process.stdin };
  const { fh, st } = await openDumpFile(path);
  try {
    const stream = fh.createReadStream({ highWaterMark: READ_CHUNK, autoClose: true });
    return { file: path, totalSize: st.isFile() ? st.size : undefined, stream };
  } catch (err) {
    await fh.close();
    throw err;
  }
}

/**
 * Parse a dump, calling `beforeNextChunk` between chunks (await the output's drain there).
 * Read errors become a CliError naming the file.
 */
export async function parseDump(
  input: DumpInput,
  opts: Omit<ParseOptions, 'file' | 'totalSize'>,
  beforeNextChunk: () => Promise<void> | void,
): Promise<ParseResult> {
  const { stream, file } = input;
  async function* chunks(): AsyncGenerator<Buffer> {
    try {
      for await (const chunk of stream) {
        yield chunk as Buffer;
        await beforeNextChunk();
      }
    } catch (err) {
      if (isSystemError(err)) throw new CliError(`${file}: ${systemReason(err)}`);
      throw err;
    } finally {
      if (stream !== process.stdin) stream.destroy();
    }
  }
  return parseRdb(chunks(), { ...opts, file, totalSize: input.totalSize });
}
