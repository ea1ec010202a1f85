/**
 * What the consumer-group commands share (t_stream.c, 7.0): ID parsing with Redis's rules
 * (streamGenericParseIDOrReply, streamIncrID/DecrID), the entries-read bookkeeping
 * (streamRangeHasTombstones, streamEstimateDistanceFromFirstEverEntry, streamReplyWithCGLag),
 * the group side of streamReplyWithRange (last ID, entries read, PEL) and its history form
 * (streamReplyWithRangeFromConsumerPEL), and the lookups with their NOGROUP errors.
 *
 * The data lives in src/engine/types/stream-cgroups.ts; a command that changes a group calls
 * `db.refresh(id)` afterwards, which re-reads the stream's memory and signals the key.
 */
import type { Context } from './context.js';
import { ReplyError, ERR, printable } from './errors.js';
import { argInt, is, lookupRead } from './_util.js';
import { notify, NOTIFY } from './_notify.js';
import { writeEntry } from './XRANGE.js';
import { cmpId, type StreamId, type StreamValue } from '../engine/types/stream.js';
import { idText, streamDecrID, streamIncrID, u64Part, U64_MAX_PART } from '../engine/types/stream.js';
import {
  SCG_INVALID_ENTRIES_READ,
  streamEstimateDistanceFromFirstEverEntry,
  streamRangeHasTombstones,
  streamCreateConsumer,
  streamLookupCG,
  streamLookupConsumer,
  type StreamCG,
  type StreamConsumer,
  type StreamNACK,
} from '../engine/types/stream-cgroups.js';

/** UINT64_MAX as an ID part (src/engine/types/stream.ts) */
export const ID_MAX = U64_MAX_PART;
const INVALID_ID = 'ERR Invalid stream ID specified as stream command argument';
const U64_MAX = 18446744073709551615n;
const DIGITS = /^\d+$/;

/**
 * streamGenericParseIDOrReply: "ms", "ms-seq" (64-bit unsigned parts, `missingSeq` when no seq);
 * "-" and "+" unless `strict`. Null when invalid.
 */
export function tryParseStreamId(b: Buffer, strict: boolean, missingSeq = 0): StreamId | null {
  if (b.length > 127) return null;
  const s = b.latin1Slice(0, b.length);
  if (s === '-' || s === '+') {
    if (strict) return null;
    return s === '-' ? { ms: 0, seq: 0 } : { ms: ID_MAX, seq: ID_MAX };
  }
  const dash = s.indexOf('-');
  const msText = dash < 0 ? s : s.slice(0, dash);
  const seqText = dash < 0 ? null : s.slice(dash + 1);
  if (!DIGITS.test(msText) || msText.length > 20) return null;
  const ms = BigInt(msText);
  if (ms > U64_MAX) return null;
  if (seqText === null) return { ms: u64Part(ms), seq: missingSeq };
  if (!DIGITS.test(seqText) || seqText.length > 20) return null;
  const seq = BigInt(seqText);
  if (seq > U64_MAX) return null;
  return { ms: u64Part(ms), seq: u64Part(seq) };
}

/** streamGenericParseIDOrReply's error reply when the ID is invalid */
export function parseStreamId(b: Buffer, strict: boolean, missingSeq = 0): StreamId {
  const id = tryParseStreamId(b, strict, missingSeq);
  if (id === null) throw new ReplyError(INVALID_ID);
  return id;
}

/** streamParseIntervalIDOrReply with exclusion: "(" makes it a strict ID, `excluded` set */
export function parseIntervalId(b: Buffer, missingSeq: number): { id: StreamId; excluded: boolean } {
  if (b.length > 1 && b[0] === 0x28) return { id: parseStreamId(b.subarray(1), true, missingSeq), excluded: true };
  return { id: parseStreamId(b, false, missingSeq), excluded: false };
}

export { streamIncrID, streamDecrID, streamEstimateDistanceFromFirstEverEntry, streamRangeHasTombstones };

export function idString(id: { ms: number; seq: number }): string {
  return idText(id.ms, id.seq);
}

/** streamReplyWithCGLag: the group's lag, or a null when it cannot be told */
export function replyCGLag(c: Context, s: StreamValue, cg: StreamCG): void {
  let lag: number | null = null;
  if (!s.entriesAdded) lag = 0;
  else if (cg.entriesRead !== SCG_INVALID_ENTRIES_READ && !streamRangeHasTombstones(s, cg.lastId, null)) lag = s.entriesAdded - cg.entriesRead;
  else {
    const read = streamEstimateDistanceFromFirstEverEntry(s, cg.lastId);
    if (read !== SCG_INVALID_ENTRIES_READ) lag = s.entriesAdded - read;
  }
  if (lag === null) c.reply.nullBulk();
  else c.reply.int(lag);
}

/** the entries-read reply (null when invalid) */
export function replyEntriesRead(c: Context, cg: StreamCG): void {
  if (cg.entriesRead !== SCG_INVALID_ENTRIES_READ) c.reply.int(cg.entriesRead);
  else c.reply.nullBulk();
}

export interface GroupStream {
  id: number;
  s: StreamValue;
}

/**
 * A stream a group command reads and may change: lookupKeyRead's statistics when `read`
 * (XACK, XCLAIM, XPENDING ...), lookupKeyWrite's otherwise (XGROUP); WRONGTYPE as checkType;
 * null when the key is absent. The value is materialised (a dump key) so that it may change.
 */
export function groupStream(c: Context, key: Buffer, read: boolean): GroupStream | null {
  const id = read ? lookupRead(c, key) : c.db.find(key);
  if (id < 0) return null;
  if (c.db.typeOf(id) !== 'stream') throw new ReplyError(ERR.WRONGTYPE);
  const s = c.db.valueForWrite(id);
  if (s === null || s.type !== 'stream') throw new ReplyError(ERR.WRONGTYPE);
  return { id, s };
}

/** `-NOGROUP No such key 'k' or consumer group 'g'` + `tail` (XPENDING, XCLAIM, XAUTOCLAIM, XREADGROUP) */
export function noGroup(key: Buffer, group: Buffer, tail = ''): ReplyError {
  return new ReplyError(`NOGROUP No such key '${printable(key, key.length)}' or consumer group '${printable(group, group.length)}'${tail}`);
}

/** `-NOGROUP No such consumer group 'g' for key name 'k'` (XGROUP, XINFO CONSUMERS) */
export function noSuchGroupForKey(group: Buffer, key: Buffer): ReplyError {
  return new ReplyError(`NOGROUP No such consumer group '${printable(group, group.length)}' for key name '${printable(key, key.length)}'`);
}

/** streamCreateConsumer with SCC_DEFAULT: the "xgroup-createconsumer" event */
export function createConsumer(c: Context, cg: StreamCG, name: Buffer, key: Buffer): StreamConsumer | null {
  const consumer = streamCreateConsumer(cg, name, c.db.shared.now());
  if (consumer) notify(c, NOTIFY.STREAM, 'xgroup-createconsumer', key);
  return consumer;
}

/** streamLookupConsumer (refreshing its seen time), else streamCreateConsumer */
export function lookupOrCreateConsumer(c: Context, cg: StreamCG, name: Buffer, key: Buffer): StreamConsumer {
  return streamLookupConsumer(cg, name, c.db.shared.now()) ?? createConsumer(c, cg, name, key)!;
}

/**
 * The group form of streamReplyWithRange: the entries after `start` (inclusive) up to `count`
 * (0: all) as an array; each moves the group's last ID and entries read, and without NOACK is
 * added to the group's and the consumer's PEL (taken from another consumer if it was there).
 */
export function replyGroupRange(c: Context, s: StreamValue, start: StreamId, count: number, cg: StreamCG, consumer: StreamConsumer, noack: boolean): number {
  const now = c.db.shared.now();
  let i = s.lowerBound(start.ms, start.seq);
  const n = count > 0 ? Math.min(count, s.length - i) : s.length - i;
  c.reply.array(n);
  for (let k = 0; k < n; k++, i++) {
    const e = s.entry(i)!;
    const id = { ms: e.ms, seq: e.seq };
    if (cmpId(e.ms, e.seq, cg.lastId.ms, cg.lastId.seq) > 0) {
      if (cg.entriesRead !== SCG_INVALID_ENTRIES_READ && !streamRangeHasTombstones(s, id, null)) cg.entriesRead++;
      else if (s.entriesAdded) cg.entriesRead = streamEstimateDistanceFromFirstEverEntry(s, id);
      cg.lastId = id;
    }
    writeEntry(c, e);
    if (noack) continue;
    const nack: StreamNACK = { ms: e.ms, seq: e.seq, deliveryTime: now, deliveryCount: 1, consumer };
    if (cg.pel.insert(nack)) consumer.pel.insert(nack);
    else {
      const old = cg.pel.find(e.ms, e.seq)!;
      old.consumer?.pel.remove(e.ms, e.seq);
      old.consumer = consumer;
      old.deliveryTime = now;
      old.deliveryCount = 1;
      consumer.pel.insert(old);
    }
  }
  return n;
}

/**
 * streamReplyWithRangeFromConsumerPEL: the consumer's pending entries from `start` on, each
 * redelivered (time now, count + 1); an entry no longer in the stream is its ID and a null.
 */
export function replyConsumerHistory(c: Context, s: StreamValue, start: StreamId, count: number, consumer: StreamConsumer): number {
  const now = c.db.shared.now();
  const items = consumer.pel.items;
  let i = consumer.pel.lowerBound(start.ms, start.seq);
  const n = count > 0 ? Math.min(count, items.length - i) : items.length - i;
  c.reply.array(n);
  for (let k = 0; k < n; k++, i++) {
    const nack = items[i]!;
    const j = s.lowerBound(nack.ms, nack.seq);
    const e = s.entry(j);
    if (e !== undefined && e.ms === nack.ms && e.seq === nack.seq) {
      writeEntry(c, e);
      nack.deliveryTime = now;
      nack.deliveryCount++;
    } else {
      c.reply.array(2);
      c.reply.bulkStr(idString(nack));
      c.reply.nullArray();
    }
  }
  return n;
}

/** streamEntryExists */
export function streamEntryExists(s: StreamValue, ms: number, seq: number): boolean {
  const e = s.entry(s.lowerBound(ms, seq));
  return e !== undefined && e.ms === ms && e.seq === seq;
}

/** streamReplyWithRange(id, id, 1, RAWENTRIES): the entry itself */
export function replyEntryById(c: Context, s: StreamValue, ms: number, seq: number): void {
  writeEntry(c, s.entry(s.lowerBound(ms, seq))!);
}

export interface XgroupArgs {
  gs: GroupStream | null;
  cg: StreamCG | undefined;
  mkstream: boolean;
  entriesRead: number;
}

/** `ERR unknown subcommand or wrong number of arguments for 'create'. Try XGROUP HELP.` */
export function xgroupSyntax(argv: Buffer[]): ReplyError {
  return new ReplyError(`ERR unknown subcommand or wrong number of arguments for '${printable(argv[1]!, 128)}'. Try XGROUP HELP.`);
}

/**
 * xgroupCommand's common part (argc >= 4): MKSTREAM / ENTRIESREAD from argv[5] on, the key
 * (lookupKeyWrite), and the key / group existence checks, in Redis's order.
 */
export function xgroupPrelude(c: Context, argv: Buffer[], sub: 'create' | 'setid' | 'destroy' | 'createconsumer' | 'delconsumer'): XgroupArgs {
  let mkstream = false;
  let entriesRead = SCG_INVALID_ENTRIES_READ;
  const create = sub === 'create';
  for (let i = 5; i < argv.length; ) {
    if (create && is(argv[i]!, 'MKSTREAM')) {
      mkstream = true;
      i++;
    } else if ((create || sub === 'setid') && is(argv[i]!, 'ENTRIESREAD') && i + 1 < argv.length) {
      entriesRead = argInt(argv[i + 1]!);
      if (entriesRead < 0 && entriesRead !== SCG_INVALID_ENTRIES_READ) throw new ReplyError('ERR value for ENTRIESREAD must be positive or -1');
      i += 2;
    } else throw xgroupSyntax(argv);
  }
  const gs = groupStream(c, argv[2]!, false);
  let cg: StreamCG | undefined;
  if (!mkstream) {
    if (gs === null) {
      throw new ReplyError(
        'ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.',
      );
    }
    cg = streamLookupCG(gs.s.groups, argv[3]!);
    if (cg === undefined && (sub === 'setid' || sub === 'createconsumer' || sub === 'delconsumer')) throw noSuchGroupForKey(argv[3]!, argv[2]!);
  } else if (gs) cg = streamLookupCG(gs.s.groups, argv[3]!);
  return { gs, cg, mkstream, entriesRead };
}
