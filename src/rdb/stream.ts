/**
 * Streams (t_stream.c, rdb.c): a rax of listpack nodes keyed by 128-bit master IDs, then the
 * stream metadata and consumer groups with their pending entries lists (PEL) and consumers.
 */
import { BlobFormatError, EncodedValue } from './encoded.js';
import { decodeListpack } from './listpack.js';
import { RDB_TYPE, STREAM_ITEM_FLAG_DELETED, STREAM_ITEM_FLAG_SAMEFIELDS } from './constants.js';
import type { RdbParser } from './parser.js';
import { EMPTY } from './reader.js';

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

/** A node listpack's master entry: what a write appending to the node needs (streamAppendItem) */
export interface StreamNodeMaster {
  /** the master entry's field names */
  fields: Buffer[];
  /** live entries and entries flagged deleted (the master entry's two counts) */
  count: number;
  deleted: number;
}

/** A stream as a dump holds it (parsed with values: true); the live stream is StreamValue in src/engine. */
export interface RdbStreamValue {
  /** per node, in order */
  nodes?: StreamNodeMaster[];
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
export function decodeStreamNode(master: Buffer, lp: Buffer, start: number, end: number, out: StreamEntry[], masters?: StreamNodeMaster[]): void {
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
  masters?.push({ fields: masterFields, count, deleted });
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

// ---------------------------------------------------------------- the unit reader (rdbLoadObject, RDB_TYPE_STREAM_LISTPACKS*)

const ST_NODES = 0;
const ST_META = 1;
const ST_GROUP = 2;
const ST_GROUP_PEL = 3;
const ST_CONSUMERS = 4;
const ST_CONSUMER = 5;
const ST_CONSUMER_PEL = 6;

/** Collects 16-byte stream IDs into one growing buffer. */
export class IdCollector {
  private buf = Buffer.allocUnsafe(16 * 64);
  private n = 0;

  reset(): void {
    this.n = 0;
  }

  add(src: Uint8Array, off: number): void {
    if (this.n + 16 > this.buf.length) {
      const next = Buffer.allocUnsafe(this.buf.length * 2);
      this.buf.copy(next, 0, 0, this.n);
      this.buf = next;
    }
    for (let i = 0; i < 16; i++) this.buf[this.n + i] = src[off + i]!;
    this.n += 16;
  }

  /** The IDs collected so far, as a new Buffer; starts over. */
  take(): Buffer {
    const out = Buffer.from(this.buf.subarray(0, this.n));
    this.n = 0;
    return out;
  }
}

export function readStreamUnit(p: RdbParser): void {
  const rec = p.cur!;
  const t = rec.rdbType;
  switch (p.phase) {
    case ST_NODES: {
      if (p.remaining < 0) {
        p.remaining = p.readCountOf(2, 'listpack nodes');
        p.stream = {
          nodes: p.remaining,
          nodeKeys: EMPTY,
          nodeBytes: [],
          length: 0,
          lastId: '0-0',
          firstId: null,
          maxDeletedId: null,
          entriesAdded: null,
          groups: [],
        };
        p.ids.reset();
        p.streamValue = p.wantValues
          ? { length: 0, lastId: '0-0', firstId: null, maxDeletedId: null, entriesAdded: null, entries: [], groups: [] }
          : null;
        return;
      }
      if (p.remaining === 0) {
        p.stream!.nodeKeys = p.ids.take();
        p.phase = ST_META;
        return;
      }
      const keyAt = p.offset;
      const nodeKey = p.readString();
      if (nodeKey.length !== 16) throw p.fail('corrupt_value', `stream node key of ${nodeKey.length} bytes, not 16`, keyAt);
      p.readStringHeader();
      const lpAt = p.sAt;
      p.viewString();
      const lp = p.vBuf;
      const ls = p.vStart;
      const le = p.vEnd;
      if (le - ls < 7 || lp.readUInt16LE(ls + 4) === 0) throw p.fail('corrupt_value', 'empty stream node listpack', lpAt);
      p.ids.add(nodeKey, 0);
      p.stream!.nodeBytes.push(le - ls);
      if (p.streamValue) {
        try {
          decodeStreamNode(nodeKey, lp, ls, le, p.streamValue.entries, (p.streamValue.nodes ??= []));
        } catch (e) {
          p.blobError(e, lpAt);
        }
      }
      p.remaining--;
      return;
    }
    case ST_META: {
      const s = p.stream!;
      s.length = p.readCount();
      s.lastId = `${p.readLenBig()}-${p.readLenBig()}`;
      if (t >= RDB_TYPE.STREAM_LISTPACKS_2) {
        s.firstId = `${p.readLenBig()}-${p.readLenBig()}`;
        s.maxDeletedId = `${p.readLenBig()}-${p.readLenBig()}`;
        s.entriesAdded = Number(p.readLenBig());
      }
      const groups = p.readCountOf(4, 'consumer groups');
      if (p.streamValue) {
        Object.assign(p.streamValue, {
          length: s.length,
          lastId: s.lastId,
          firstId: s.firstId,
          maxDeletedId: s.maxDeletedId,
          entriesAdded: s.entriesAdded,
        });
      }
      p.remaining = groups;
      p.phase = ST_GROUP;
      return;
    }
    case ST_GROUP: {
      if (p.remaining === 0) {
        rec.facts.stream = p.stream;
        if (p.streamValue) rec.value = { type: 'stream', value: p.streamValue };
        const len = p.stream!.length;
        p.stream = null;
        p.streamValue = null;
        p.finishKey(len);
        return;
      }
      const name = p.readString();
      const lastId = `${p.readLenBig()}-${p.readLenBig()}`;
      let entriesRead: number | null = null;
      if (t >= RDB_TYPE.STREAM_LISTPACKS_2) {
        // SCG_INVALID_ENTRIES_READ (all ones) means "unknown"
        const v = p.readLenBig();
        entriesRead = v === 0xffffffffffffffffn ? null : Number(v);
      }
      const pel = p.readCountOf(17, 'pending entries');
      p.group = { nameLength: name.length, pelCount: pel, pelIds: EMPTY, consumers: [] };
      p.stream!.groups.push(p.group);
      if (p.streamValue) {
        p.groupValue = { name, lastId, entriesRead, pending: [], consumers: [] };
        p.streamValue.groups.push(p.groupValue);
      }
      p.ids.reset();
      p.consumerIdx = pel;
      p.phase = ST_GROUP_PEL;
      return;
    }
    case ST_GROUP_PEL: {
      if (p.consumerIdx === 0) {
        p.group!.pelIds = p.ids.take();
        p.phase = ST_CONSUMERS;
        return;
      }
      p.need(16);
      const idAt = p.pos;
      p.pos += 16;
      const deliveryTime = p.msTime();
      const deliveryCount = p.readCount();
      p.ids.add(p.buf, idAt);
      p.groupValue?.pending.push({ id: rawStreamId(p.buf, idAt), consumer: null, deliveryTime, deliveryCount });
      p.consumerIdx--;
      return;
    }
    case ST_CONSUMERS: {
      p.consumersLeft = p.readCountOf(2, 'consumers');
      p.phase = ST_CONSUMER;
      return;
    }
    case ST_CONSUMER: {
      if (p.consumersLeft === 0) {
        p.remaining--;
        p.phase = ST_GROUP;
        return;
      }
      const name = p.readString();
      const seenTime = p.msTime();
      const activeTime = t >= RDB_TYPE.STREAM_LISTPACKS_3 ? p.msTime() : null;
      const pel = p.readCountOf(16, 'consumer pending entries');
      p.group!.consumers.push({ nameLength: name.length, pelCount: pel, pelIds: EMPTY });
      p.groupValue?.consumers.push({ name, seenTime, activeTime, pending: [] });
      p.ids.reset();
      p.consumerIdx = pel;
      p.phase = ST_CONSUMER_PEL;
      return;
    }
    case ST_CONSUMER_PEL: {
      const consumer = p.group!.consumers[p.group!.consumers.length - 1]!;
      if (p.consumerIdx === 0) {
        consumer.pelIds = p.ids.take();
        p.consumersLeft--;
        p.phase = ST_CONSUMER;
        return;
      }
      p.need(16);
      const idAt = p.pos;
      p.pos += 16;
      p.ids.add(p.buf, idAt);
      if (p.groupValue) {
        const id = rawStreamId(p.buf, idAt);
        const cv = p.groupValue.consumers[p.groupValue.consumers.length - 1]!;
        cv.pending.push(id);
        const owner = p.groupValue.pending.find((e) => e.id === id);
        if (owner) owner.consumer = cv.name;
      }
      p.consumerIdx--;
      return;
    }
  }
}
