/**
 * XREAD [COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...]
 * and, through xreadGeneric, XREADGROUP GROUP group consumer [COUNT count] [BLOCK ms] [NOACK]
 * STREAMS key [key ...] id|> [id|> ...] (xreadCommand, t_stream.c 7.0; the blocked side is
 * serveClientsBlockedOnStreamKey and unblockDeletedStreamReadgroupClients, blocked.c 7.0).
 *
 * Served at once when a stream has entries after the ID ('$': the stream's last ID; '>': the
 * group's last delivered ID; another ID with a group: the consumer's own history). Otherwise,
 * with BLOCK, the client waits on the keys (src/commands/_blocking.ts) and is served by the
 * first write after which one of them has entries past its ID, COUNT (default 1000) at most.
 */
import type { Context } from './context.js';
import { ReplyError, ERR } from './errors.js';
import { argInt, is, lookupRead } from './_util.js';
import { blockForKeys, mayBlock, parseTimeout } from './_blocking.js';
import { cmpId, type LiveStreamEntry, type StreamId, type StreamValue } from '../engine/types/stream.js';
import { streamLookupCG, type StreamCG } from '../engine/types/stream-cgroups.js';
import { writeEntry } from './XRANGE.js';
import { ReplyWriter } from '../protocol/encoder.js';
import {
  groupStream,
  lookupOrCreateConsumer,
  noGroup,
  parseStreamId,
  replyConsumerHistory,
  replyGroupRange,
  streamIncrID,
} from './_stream-groups.js';

/** XREAD_BLOCKED_DEFAULT_COUNT */
const XREAD_BLOCKED_DEFAULT_COUNT = 1000;

export function handler(c: Context, argv: Buffer[]): void {
  xreadGeneric(c, argv, false);
}

interface GroupArgs {
  group: Buffer;
  consumer: Buffer;
  noack: boolean;
}

export function xreadGeneric(c: Context, argv: Buffer[], xreadgroup: boolean): void {
  let timeout = -1;
  let count = 0;
  let streamsArg = 0;
  let streamsCount = 0;
  let noack = false;
  let groupName: Buffer | null = null;
  let consumerName: Buffer | null = null;
  for (let i = 1; i < argv.length; i++) {
    const more = argv.length - i - 1;
    const o = argv[i]!;
    if (is(o, 'BLOCK') && more) {
      if (c.caller === 'script') {
        throw new ReplyError(`ERR ${argv[0]!.toString('latin1')} command is not allowed with BLOCK option from scripts`);
      }
      i++;
      timeout = parseTimeout(argv[i]!, 'milliseconds');
    } else if (is(o, 'COUNT') && more) {
      i++;
      count = argInt(argv[i]!);
      if (count < 0) count = 0;
    } else if (is(o, 'STREAMS') && more) {
      streamsArg = i + 1;
      streamsCount = argv.length - streamsArg;
      if (streamsCount % 2 !== 0) {
        throw new ReplyError("ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.");
      }
      streamsCount /= 2;
      break;
    } else if (is(o, 'GROUP') && more >= 2) {
      if (!xreadgroup) throw new ReplyError('ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.');
      groupName = argv[i + 1]!;
      consumerName = argv[i + 2]!;
      i += 2;
    } else if (is(o, 'NOACK')) {
      if (!xreadgroup) throw new ReplyError('ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.');
      noack = true;
    } else throw new ReplyError(ERR.SYNTAX);
  }
  if (streamsArg === 0) throw new ReplyError(ERR.SYNTAX);
  if (xreadgroup && groupName === null) throw new ReplyError('ERR Missing GROUP option for XREADGROUP');
  const ga: GroupArgs | null = groupName !== null ? { group: groupName, consumer: consumerName!, noack } : null;

  /** per stream: the ID entries must be above; null for '>' */
  const ids: (StreamId | null)[] = [];
  const groups: StreamCG[] = [];
  for (let i = streamsArg + streamsCount; i < argv.length; i++) {
    const key = argv[i - streamsCount]!;
    const id = lookupRead(c, key);
    if (id >= 0 && c.db.typeOf(id) !== 'stream') throw new ReplyError(ERR.WRONGTYPE);
    const s = id >= 0 ? (c.db.value(id) as StreamValue) : null;
    if (ga) {
      const cg = s ? streamLookupCG(s.groups, ga.group) : undefined;
      if (!cg) throw noGroup(key, ga.group, ' in XREADGROUP with GROUP option');
      groups.push(cg);
    }
    const a = argv[i]!;
    if (a.length === 1 && a[0] === 0x24) {
      if (xreadgroup) {
        throw new ReplyError(
          'ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.',
        );
      }
      ids.push(s ? { ms: s.last.ms, seq: s.last.seq } : { ms: 0, seq: 0 });
      continue;
    }
    if (a.length === 1 && a[0] === 0x3e) {
      if (!xreadgroup) throw new ReplyError('ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.');
      ids.push(null);
      continue;
    }
    ids.push(parseStreamId(a, true));
  }

  // serve synchronously what can be
  // into a sink of its own: the top-level length comes first (addReplyDeferredLen)
  const w = c.reply;
  const body = new ReplyWriter();
  body.resp = w.resp;
  c.reply = body;
  let served = 0;
  try {
    served = serveNow(c, argv, streamsArg, streamsCount, ids, groups, ga, count);
  } finally {
    c.reply = w;
  }
  if (served > 0) {
    if (w.resp === 2) w.array(served);
    else w.map(served);
    w.raw(body.take() ?? Buffer.alloc(0));
    return;
  }
  if (timeout === -1 || !mayBlock(c)) return w.nullArray();
  const keys = argv.slice(streamsArg, streamsArg + streamsCount);
  const blockedCount = count || XREAD_BLOCKED_DEFAULT_COUNT;
  // the first occurrence of a key gives its ID (blockForKeys's dictAdd)
  const idOf = new Map<string, StreamId | null>();
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!.latin1Slice(0, keys[i]!.length);
    if (!idOf.has(k)) idOf.set(k, ids[i]!);
  }
  const gaKept: GroupArgs | null = ga ? { group: Buffer.from(ga.group), consumer: Buffer.from(ga.consumer), noack: ga.noack } : null;
  blockForKeys(c, {
    keys,
    timeout,
    argv,
    serve: (cc, key) => serveBlocked(cc, key, idOf.get(key.latin1Slice(0, key.length)) ?? null, blockedCount, gaKept),
  });
}

/** the streams that can be served now, written as the reply's elements: how many */
function serveNow(
  c: Context,
  argv: Buffer[],
  streamsArg: number,
  streamsCount: number,
  ids: (StreamId | null)[],
  groups: StreamCG[],
  ga: GroupArgs | null,
  count: number,
): number {
  const w = c.reply;
  let served = 0;
  for (let i = 0; i < streamsCount; i++) {
    const key = argv[streamsArg + i]!;
    const id = lookupRead(c, key);
    if (id < 0) continue;
    if (ga) {
      const gs = groupStream(c, key, false)!;
      const s = gs.s;
      const cg = groups[i]!;
      const gt = ids[i]!;
      let start: StreamId;
      let history = false;
      if (gt !== null) {
        history = true;
        start = { ...gt };
      } else {
        if (s.length === 0) continue;
        const top = s.entry(s.length - 1)!;
        if (cmpId(top.ms, top.seq, cg.lastId.ms, cg.lastId.seq) <= 0) continue;
        start = { ...cg.lastId };
      }
      served++;
      streamIncrID(start);
      if (w.resp === 2) w.array(2);
      w.bulk(key);
      const consumer = lookupOrCreateConsumer(c, cg, ga.consumer, key);
      if (history) replyConsumerHistory(c, s, start, count, consumer);
      else replyGroupRange(c, s, start, count, cg, consumer, ga.noack);
      c.db.refresh(gs.id);
    } else {
      const s = c.db.value(id) as StreamValue;
      const entries = entriesAfter(s, ids[i]!, count);
      if (entries === null) continue;
      served++;
      if (w.resp === 2) w.array(2);
      w.bulk(key);
      w.array(entries.length);
      for (const e of entries) writeEntry(c, e);
    }
  }
  return served;
}

/** serveClientsBlockedOnStreamKey for one client (and unblockDeletedStreamReadgroupClients) */
function serveBlocked(c: Context, key: Buffer, gt: StreamId | null, count: number, ga: GroupArgs | null): boolean {
  const id = c.db.find(key);
  const isStream = id >= 0 && c.db.typeOf(id) === 'stream';
  if (!ga) {
    if (!isStream) return false;
    const entries = entriesAfter(c.db.value(id) as StreamValue, gt!, count);
    if (entries === null) return false;
    writeKeyHeader(c, key);
    c.reply.array(entries.length);
    for (const e of entries) writeEntry(c, e);
    return true;
  }
  if (!isStream) throw new ReplyError('UNBLOCKED the stream key no longer exists');
  const gs = groupStream(c, key, false)!;
  const s = gs.s;
  const cg = streamLookupCG(s.groups, ga.group);
  if (!cg) throw new ReplyError('NOGROUP the consumer group this client was blocked on no longer exists');
  if (s.length === 0) return false;
  const top = s.entry(s.length - 1)!;
  if (cmpId(top.ms, top.seq, cg.lastId.ms, cg.lastId.seq) <= 0) return false;
  const start = { ...cg.lastId };
  streamIncrID(start);
  const consumer = lookupOrCreateConsumer(c, cg, ga.consumer, key);
  writeKeyHeader(c, key);
  replyGroupRange(c, s, start, count, cg, consumer, ga.noack);
  c.db.refresh(gs.id);
  return true;
}

/** a one-stream XREAD reply's start: [[key, ...]] (RESP2), {key: ...} (RESP3) */
function writeKeyHeader(c: Context, key: Buffer): void {
  if (c.reply.resp === 2) {
    c.reply.array(1);
    c.reply.array(2);
  } else c.reply.map(1);
  c.reply.bulk(key);
}

/** the entries with IDs above `gt` (COUNT 0: all), or null when there are none */
function entriesAfter(s: StreamValue, gt: StreamId, count: number): LiveStreamEntry[] | null {
  if (s.length === 0) return null;
  const last = s.entry(s.length - 1)!;
  if (cmpId(last.ms, last.seq, gt.ms, gt.seq) <= 0) return null;
  let j = s.lowerBound(gt.ms, gt.seq);
  const at = s.entry(j);
  if (at !== undefined && at.ms === gt.ms && at.seq === gt.seq) j++;
  const out: LiveStreamEntry[] = [];
  for (; j < s.length; j++) {
    out.push(s.entry(j)!);
    if (count > 0 && out.length >= count) break;
  }
  return out;
}
