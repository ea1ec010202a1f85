/**
 * XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-ms] [RETRYCOUNT n]
 * [FORCE] [JUSTID] [LASTID id] (xclaimCommand, t_stream.c 7.0). What a 7.0 primary propagates
 * for XREADGROUP and XCLAIM is this command with TIME, RETRYCOUNT, FORCE, JUSTID and LASTID.
 *
 * The IDs run up to the first argument that is not an ID; the options follow. A pending entry
 * whose stream entry is gone is dropped from the PEL; FORCE creates a missing pending entry
 * (of an entry still in the stream); others must have been idle min-idle-time.
 */
import type { Context } from './context.js';
import { ReplyError, printable } from './errors.js';
import { argInt, is } from './_util.js';
import { streamLookupCG, streamRemoveNACK, type StreamConsumer, type StreamNACK } from '../engine/types/stream-cgroups.js';
import { cmpId, type StreamId } from '../engine/types/stream.js';
import {
  groupStream,
  idString,
  lookupOrCreateConsumer,
  noGroup,
  parseStreamId,
  replyEntryById,
  streamEntryExists,
  tryParseStreamId,
} from './_stream-groups.js';

export function handler(c: Context, argv: Buffer[]): void {
  const gs = groupStream(c, argv[1]!, true);
  const cg = gs ? streamLookupCG(gs.s.groups, argv[2]!) : undefined;
  if (!gs || !cg) throw noGroup(argv[1]!, argv[2]!);
  const s = gs.s;
  let minidle = argInt(argv[4]!, 'ERR Invalid min-idle-time argument for XCLAIM');
  if (minidle < 0) minidle = 0;
  const ids: StreamId[] = [];
  let j = 5;
  for (; j < argv.length; j++) {
    const id = tryParseStreamId(argv[j]!, true);
    if (id === null) break;
    ids.push(id);
  }
  const now = c.db.shared.now();
  let deliverytime = -1;
  let retrycount = -1;
  let force = false;
  let justid = false;
  let lastId: StreamId = { ms: 0, seq: 0 };
  for (; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    const opt = argv[j]!;
    if (is(opt, 'FORCE')) force = true;
    else if (is(opt, 'JUSTID')) justid = true;
    else if (is(opt, 'IDLE') && more) deliverytime = now - argInt(argv[++j]!, 'ERR Invalid IDLE option argument for XCLAIM');
    else if (is(opt, 'TIME') && more) deliverytime = argInt(argv[++j]!, 'ERR Invalid TIME option argument for XCLAIM');
    else if (is(opt, 'RETRYCOUNT') && more) retrycount = argInt(argv[++j]!, 'ERR Invalid RETRYCOUNT option argument for XCLAIM');
    else if (is(opt, 'LASTID') && more) lastId = parseStreamId(argv[++j]!, true);
    else throw new ReplyError(`ERR Unrecognized XCLAIM option '${printable(opt, opt.length)}'`);
  }
  if (cmpId(lastId.ms, lastId.seq, cg.lastId.ms, cg.lastId.seq) > 0) cg.lastId = lastId;
  if (deliverytime === -1 || deliverytime < 0 || deliverytime > now) deliverytime = now;

  let consumer: StreamConsumer | null = null;
  const claimed: StreamNACK[] = [];
  for (const id of ids) {
    let nack = cg.pel.find(id.ms, id.seq);
    if (!streamEntryExists(s, id.ms, id.seq)) {
      if (nack) streamRemoveNACK(cg, nack);
      continue;
    }
    if (force && !nack) {
      nack = { ms: id.ms, seq: id.seq, deliveryTime: now, deliveryCount: 1, consumer: null };
      cg.pel.insert(nack);
    }
    if (!nack) continue;
    if (nack.consumer && minidle && now - nack.deliveryTime < minidle) continue;
    consumer ??= lookupOrCreateConsumer(c, cg, argv[3]!, argv[1]!);
    if (nack.consumer !== consumer) nack.consumer?.pel.remove(id.ms, id.seq);
    nack.deliveryTime = deliverytime;
    if (retrycount >= 0) nack.deliveryCount = retrycount;
    else if (!justid) nack.deliveryCount++;
    if (nack.consumer !== consumer) {
      consumer.pel.insert(nack);
      nack.consumer = consumer;
    }
    claimed.push(nack);
  }
  c.db.refresh(gs.id);
  c.reply.array(claimed.length);
  for (const n of claimed) {
    if (justid) c.reply.bulkStr(idString(n));
    else replyEntryById(c, s, n.ms, n.seq);
  }
}
