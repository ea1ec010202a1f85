/**
 * src/rdb: the streaming RDB parser and its entry points.
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { RdbParser, ParserOptions } from './parser.js';
import { RdbError, printableKey } from './errors.js';
import type { IntegrityData } from './integrity.js';
import type { EofRecord, KeyRecord, RdbRecord } from './records.js';
import { fileCrc64 } from './file-crc.js';
import { Crc64 } from './crc64.js';

export { RdbParser } from './parser.js';
export type { ParserOptions } from './parser.js';
export { RdbError, printableKey } from './errors.js';
export type { RdbErrorCode } from './errors.js';
export { emptyIntegrity, integrityWarnings, noteIntegrity, serverRefuses, serverVerdict } from './integrity.js';
export type { IntegrityData, IntegrityFinding } from './integrity.js';
export * from './records.js';
export type { StreamFacts, RdbStreamValue, StreamEntry, StreamGroup, StreamConsumer, StreamPendingEntry } from './stream.js';
export { ElementStats, INT_CLASS, LP_INT_SIZE, ZL_INT_SIZE, INTSET_WIDTH } from './facts.js';
export { RDB_TYPE, RDB_OPCODE } from './constants.js';
export type { ValueType } from './constants.js';

/** Files are read in chunks of this size. */
const FILE_CHUNK = 1 << 18;

export interface ParseOptions {
  values?: boolean;
  file?: string;
  totalSize?: number;
  verifyChecksum?: boolean;
  /** every load-time finding an RdbError (ParserOptions.strict) */
  strict?: boolean;
  onRecord?: (rec: RdbRecord) => void;
  /** Called after each chunk with the bytes consumed so far (progress bars). */
  onProgress?: (bytes: number, keys: number) => void;
  /** ParserOptions.directKeys (tests) */
  directKeys?: number;
  /** ParserOptions.split: one of two parts read by two threads (parseRdbFile only) */
  split?: { at: number; part: 'head' | 'tail' };
}

/**
 * Files at least this big may be read as two parts by two threads (ParserOptions.split). Their
 * duplicate-key check is deferred whole (no exact first part), so one thread and two agree.
 */
export const SPLIT_MIN = 64 << 20;

/** SPLIT_MIN, or the environment's RDBLENS_SPLIT_MIN (tests split small dumps with it). */
export function splitMin(): number {
  const v = process.env.RDBLENS_SPLIT_MIN;
  return v !== undefined && v !== '' && Number.isFinite(Number(v)) ? Number(v) : SPLIT_MIN;
}

export interface ParseResult {
  keys: number;
  bytes: number;
  version: number;
  valkey: boolean;
}

/**
 * Parse a dump from any Readable or async iterable of Buffers. Records go to `onRecord`
 * synchronously as they are parsed; the promise settles when the input ends (an RdbError when
 * it is truncated or corrupt: the records before the problem have been delivered).
 */
export async function parseRdb(source: Readable | AsyncIterable<Buffer | Uint8Array>, opts: ParseOptions = {}): Promise<ParseResult> {
  const onRecord = opts.onRecord ?? (() => {});
  const parserOpts: ParserOptions = { onRecord, values: opts.values, file: opts.file, totalSize: opts.totalSize, verifyChecksum: opts.verifyChecksum, strict: opts.strict, directKeys: opts.directKeys, split: opts.split };
  const parser = new RdbParser(parserOpts);
  let bytes = 0;
  for await (const chunk of source as AsyncIterable<Buffer | Uint8Array>) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    bytes += b.length;
    parser.write(b);
    opts.onProgress?.(bytes, parser.keysRead);
    if (parser.done) break;
  }
  parser.end();
  return { keys: parser.keysRead, bytes: parser.offset, version: parser.version, valkey: parser.valkey };
}

/** Files at least this big get their CRC-64 computed by a worker thread, in parallel. */
const PARALLEL_CRC_MIN = 16 << 20;

/** Parse a dump file. */
export async function parseRdbFile(path: string, opts: ParseOptions = {}): Promise<ParseResult> {
  const st = await stat(path);
  if (!st.isFile()) throw new Error(`${path}: not a regular file`);
  const file = opts.file ?? path;
  // a split's head ends at its boundary: the tail has the trailer and checks the CRC
  const head = opts.split?.part === 'head';
  const parallelCrc = opts.verifyChecksum !== false && !head && st.size >= PARALLEL_CRC_MIN;
  const crcJob = parallelCrc ? fileCrc64(path, st.size - 8) : null;
  const onRecord = opts.onRecord ?? (() => {});
  let eof: EofRecord | null = null;
  const stream = createReadStream(path, { highWaterMark: FILE_CHUNK });
  try {
    const result = await parseRdb(stream, {
      ...opts,
      file,
      totalSize: opts.totalSize ?? st.size,
      verifyChecksum: parallelCrc || head ? false : opts.verifyChecksum,
      directKeys: opts.directKeys ?? (st.size >= splitMin() ? 0 : undefined),
      // hold the EOF record back until the worker's checksum is compared with the trailer
      onRecord: crcJob ? (r) => (r.kind === 'eof' ? (eof = r) : onRecord(r)) : onRecord,
    });
    if (crcJob) {
      const last = eof as EofRecord | null;
      if (last) {
        if (last.checksum === 'unchecked' && last.trailer !== null) {
          const covered = last.offset + 1;
          const { crc } = covered === st.size - 8 ? await crcJob.result : { crc: await crcOf(path, covered) };
          if (crc !== last.trailer) {
            throw new RdbError('checksum_mismatch', `CRC64 trailer ${last.trailer.toString(16).padStart(16, '0')} does not match the content's ${crc.toString(16).padStart(16, '0')}`, {
              file,
              offset: covered,
              keysRead: result.keys,
            });
          }
          onRecord({ ...last, checksum: 'verified' });
        } else onRecord(last);
      }
    }
    return result;
  } finally {
    crcJob?.cancel();
    stream.destroy();
  }
}

/** CRC-64 of path[0, end) on this thread (a trailer not at the very end of the file). */
async function crcOf(path: string, end: number): Promise<bigint> {
  const crc = new Crc64();
  for await (const chunk of createReadStream(path, { start: 0, end: end - 1, highWaterMark: FILE_CHUNK }) as AsyncIterable<Buffer>) {
    crc.update(chunk, 0, chunk.length);
  }
  return crc.value();
}

/** Collect every record of a dump (small dumps and tests). */
export async function readAllRecords(path: string, opts: Omit<ParseOptions, 'onRecord'> = {}): Promise<RdbRecord[]> {
  const out: RdbRecord[] = [];
  await parseRdbFile(path, { ...opts, onRecord: (r) => out.push(r) });
  return out;
}

/**
 * Random access: read the one key record that starts at `offset` (a KeyRecord.offset from an
 * earlier parse) with its full value. `db` is the database it belongs to.
 */
/**
 * Name the keys of the findings that carry only their offset (duplicates found at the end of a
 * big dump, IntegrityRecord.keyAt) by reading each key record back from the file.
 */
export async function nameFoundKeys(path: string, d: IntegrityData): Promise<void> {
  for (const f of d.findings) {
    if (!f.keyAt) continue;
    f.key = printableKey((await readKeyAt(path, f.offset, f.db)).key);
    delete f.keyAt;
  }
}

export async function readKeyAt(path: string, offset: number, db = 0): Promise<KeyRecord> {
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    const head = Buffer.alloc(9);
    await fh.read(head, 0, 9, 0);
    const valkey = head.toString('latin1', 0, 6) === 'VALKEY';
    const version = valkey ? Number(head.toString('latin1', 6, 9)) : Number(head.toString('latin1', 5, 9));
    if (!(offset >= 9 && offset < size)) {
      throw new RdbError('length_exceeds_input', `no key record can start at byte ${offset} of a ${size}-byte file`, { file: path, offset });
    }
    let found: KeyRecord | null = null;
    const parser = new RdbParser({
      values: true,
      file: path,
      totalSize: size,
      resume: { offset, version, valkey, db },
      onRecord: (r) => {
        if (r.kind === 'key') found = r;
      },
    });
    const chunk = Buffer.allocUnsafe(FILE_CHUNK);
    let at = offset;
    while (!parser.done && at < size) {
      const { bytesRead } = await fh.read(chunk, 0, chunk.length, at);
      if (bytesRead === 0) break;
      at += bytesRead;
      parser.write(Buffer.from(chunk.subarray(0, bytesRead)));
    }
    if (!parser.done) parser.end();
    if (found === null) throw new RdbError('corrupt_value', `no key record at byte ${offset}`, { file: path, offset });
    return found;
  } finally {
    await fh.close();
  }
}
