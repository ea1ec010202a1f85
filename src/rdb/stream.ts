/**
 * Streams (t_stream.c, rdb.c): a rax of listpack nodes keyed by 128-bit master IDs, then the
 * stream metadata and consumer groups with their pending entries lists (PEL) and consumers.
 */
import { BlobFormatError, EncodedValue } from './encoded.js';
import { decodeListpack } from './listpack.js';
import { STREAM_ITEM_FLAG_DELETED, STREAM_ITEM_FLAG_SAMEFIELDS } from './constants.js';

export interface StreamConsumerFacts {
  nameLength: number;
  pelCount: number;
  /** 16-byte raw IDs of the consumer's pending entries, concatenated */
  pelIds: Buffer;
}

export interface StreamGroupFacts {
  nameLength: number;
  pelCount: number;
  /** 16-byte raw IDs of the group's PEL, concatenated */
  pelIds: Buffer;
  consumers: StreamConsumerFacts[];
}

export interface StreamFacts {
  /** listpack nodes (rax keys) */
  nodes: number;
  /** 16-byte master IDs of the nodes, concatenated (rax keys, for radix-tree sizing) */
  nodeKeys: Buffer;
  /** bytes of every node listpack, in order */
  nodeBytes: number[];
  length: number;
  lastId: string;
  firstId: string | null;
  maxDeletedId: string | null;
  entriesAdded: number | null;
  groups: StreamGroupFacts[];
}

export interface StreamEntry {
  id: string;
  /** field, value, field, value ... */
  fields: Buffer[];
}

export interface StreamPendingEntry {
  id: string;
  consumer: Buffer | null;
  deliveryTime: number;
  deliveryCount: number;
}

export interface StreamConsumer {
  name: Buffer;
  seenTime: number;
  /** RDB type 21+ only */
  activeTime: number | null;
  pending: string[];
}

export interface StreamGroup {
  name: Buffer;
  lastId: string;
  /** RDB type 19+ only */
  entriesRead: number | null;
  pending: StreamPendingEntry[];
  consumers: StreamConsumer[];
}

/** A stream as a dump holds it (parsed with values: true); the live stream is StreamValue in src/engine. */
export interface RdbStreamValue {
  length: number;
  lastId: string;
  firstId: string | null;
  maxDeletedId: string | null;
  entriesAdded: number | null;
  entries: StreamEntry[];
  groups: StreamGroup[];
}

/** "ms-seq" of a 16-byte big-endian raw stream ID. */
export function rawStreamId(buf: Uint8Array, off: number): string {
  const b = Buffer.from(buf.buffer, buf.byteOffset + off, 16);
  return `${b.readBigUInt64BE(0)}-${b.readBigUInt64BE(8)}`;
}

function asBigInt(v: EncodedValue, what: string): bigint {
  if (typeof v === 'number') return BigInt(v);
  if (typeof v === 'bigint') return v;
  throw new BlobFormatError(`stream node: ${what} is not an integer`, 0);
}

function asInt(v: EncodedValue | undefined, what: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  throw new BlobFormatError(`stream node: ${what} is not an integer`, 0);
}

/**
 * Decode the live entries of one stream node listpack whose master ID is `master` (16 raw bytes).
 * Mirrors the entry layout written by streamAppendItem.
 */
export function decodeStreamNode(master: Buffer, lp: Buffer, start: number, end: number, out: StreamEntry[]): void {
  const e = decodeListpack(lp, start, end);
  const masterMs = master.readBigUInt64BE(0);
  const masterSeq = master.readBigUInt64BE(8);
  let i = 0;
  const next = (): EncodedValue => {
    if (i >= e.length) throw new BlobFormatError('stream node listpack ends early', 0);
    return e[i++]!;
  };
  const count = asInt(next(), 'count');
  const deleted = asInt(next(), 'deleted count');
  const nfields = asInt(next(), 'master field count');
  if (nfields < 0 || nfields > e.length) throw new BlobFormatError('stream node: bad master field count', 0);
  const masterFields: Buffer[] = [];
  for (let k = 0; k < nfields; k++) masterFields.push(toBuf(next()));
  next(); // master entry terminator (0)
  const total = count + deleted;
  for (let n = 0; n < total; n++) {
    const flags = asInt(next(), 'flags');
    const ms = masterMs + asBigInt(next(), 'ms delta');
    const seq = masterSeq + asBigInt(next(), 'seq delta');
    const fields: Buffer[] = [];
    if (flags & STREAM_ITEM_FLAG_SAMEFIELDS) {
      for (let k = 0; k < nfields; k++) {
        fields.push(masterFields[k]!, toBuf(next()));
      }
    } else {
      const k = asInt(next(), 'field count');
      if (k < 0 || k * 2 > e.length - i) throw new BlobFormatError('stream node: bad field count', 0);
      for (let j = 0; j < k; j++) fields.push(toBuf(next()), toBuf(next()));
    }
    next(); // lp-count
    if ((flags & STREAM_ITEM_FLAG_DELETED) === 0) out.push({ id: `${ms}-${seq}`, fields });
  }
}

function toBuf(v: EncodedValue): Buffer {
  return Buffer.isBuffer(v) ? v : Buffer.from(String(v), 'latin1');
}
