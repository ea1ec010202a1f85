/**
 * XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID] (xautoclaimCommand,
 * t_stream.c 7.0): walks the group's PEL from `start`, claiming up to COUNT entries idle for
 * min-idle-time (10 x COUNT looked at at most); pending entries whose stream entry is gone are
 * dropped and listed in the third element of the reply (7.0). The first element is the cursor.
 */
import type { Context } from './context.js';
import { ReplyError, ERR } from './errors.js';
import { argInt, is } from './_util.js';
import { parseLongLong } from '../protocol/decoder.js';
import { streamLookupCG, streamRemoveNACK, type StreamConsumer, type StreamNACK } from '../engine/types/stream-cgroups.js';
import type { StreamId } from '../engine/types/stream.js';
import { groupStream, idString, lookupOrCreateConsumer, noGroup, parseIntervalId, replyEntryById, streamEntryExists, streamIncrID } from './_stream-groups.js';

const ATTEMPTS_FACTOR = 10;
/** LONG_MAX / max(sizeof(streamID), attempts_factor) */
const MAX_COUNT = 576460752303423487n;
/** a deleted-IDs buffer (count x 16 bytes) ztrymalloc cannot get: past the 47-bit address space */
const MAX_TRANSIENT = 2 ** 47;

export function handler(c: Context, argv: Buffer[]): void {
  let minidle = argInt(argv[4]!, 'ERR Invalid min-idle-time argument for XAUTOCLAIM');
  if (minidle < 0) minidle = 0;
  const st = parseIntervalId(argv[5]!, 0);
  const start = st.id;
  if (st.excluded && !streamIncrID(start)) throw new ReplyError('ERR invalid start ID for the interval');
  let count = 100;
  let justid = false;
  for (let j = 6; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    const opt = argv[j]!;
    if (is(opt, 'COUNT') && more) {
      const a = argv[++j]!;
      const v = parseLongLong(a, 0, a.length);
      // getRangeLongFromObjectOrReply(1, max_count, "COUNT must be > 0")
      if (v === null || v < 1 || BigInt(v) > MAX_COUNT) throw new ReplyError('ERR COUNT must be > 0');
      count = v;
    } else if (is(opt, 'JUSTID')) justid = true;
    else throw new ReplyError(ERR.SYNTAX);
  }
  const gs = groupStream(c, argv[1]!, true);
  const cg = gs ? streamLookupCG(gs.s.groups, argv[2]!) : undefined;
  if (!gs || !cg) throw noGroup(argv[1]!, argv[2]!);
  if (count * 16 >= MAX_TRANSIENT) throw new ReplyError('ERR Insufficient memory, failed allocating transient memory, COUNT too high.');
  const s = gs.s;
  const now = c.db.shared.now();
  const items = cg.pel.items;
  let attempts = count * ATTEMPTS_FACTOR;
  let i = cg.pel.lowerBound(start.ms, start.seq);
  let consumer: StreamConsumer | null = null;
  const claimed: StreamNACK[] = [];
  const deleted: StreamId[] = [];
  while (attempts-- > 0 && count > 0 && i < items.length) {
    const nack = items[i]!;
    if (!streamEntryExists(s, nack.ms, nack.seq)) {
      streamRemoveNACK(cg, nack); // the next entry is now at i
      deleted.push({ ms: nack.ms, seq: nack.seq });
      count--;
      continue;
    }
    i++;
    if (minidle && now - nack.deliveryTime < minidle) continue;
    consumer ??= lookupOrCreateConsumer(c, cg, argv[3]!, argv[1]!);
    if (nack.consumer !== consumer) nack.consumer?.pel.remove(nack.ms, nack.seq);
    nack.deliveryTime = now;
    if (!justid) nack.deliveryCount++;
    if (nack.consumer !== consumer) {
      consumer.pel.insert(nack);
      nack.consumer = consumer;
    }
    claimed.push(nack);
    count--;
  }
  const next = items[i];
  c.db.refresh(gs.id);
  const w = c.reply;
  w.array(3);
  w.bulkStr(next ? idString(next) : '0-0');
  w.array(claimed.length);
  for (const n of claimed) {
    if (justid) w.bulkStr(idString(n));
    else replyEntryById(c, s, n.ms, n.seq);
  }
  w.array(deleted.length);
  for (const d of deleted) w.bulkStr(idString(d));
}
