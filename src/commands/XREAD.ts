/**
 * XREAD [COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...]
 * (xreadCommand, t_stream.c 7.0), the non-blocking part: entries with IDs greater than each
 * given ID ('$' = the stream's last ID). BLOCK is parsed as Redis parses it; when nothing can
 * be served at once it answers as a client that may not block does (a null array) for the
 * primary's stream, transactions and scripts, and refuses it for a client (the blocking
 * machinery is not on this branch yet).
 */
import type { Context } from './context.js';
import { ReplyError, ERR } from './errors.js';
import { argInt, is, lookupRead } from './_util.js';
import { cmpId, type LiveStreamEntry, type StreamId, type StreamValue } from '../engine/values.js';
import { writeEntry } from './XRANGE.js';

const INVALID_ID = 'ERR Invalid stream ID specified as stream command argument';
const U64_MAX = 18446744073709551615n;

/** streamParseStrictIDOrReply with missing_seq 0 ("-" and "+" refused) */
export function parseStrictId(b: Buffer): StreamId {
  if (b.length > 127) throw new ReplyError(INVALID_ID);
  const s = b.toString('latin1');
  const m = /^(\d+)(?:-(\d+))?$/.exec(s);
  if (!m) throw new ReplyError(INVALID_ID);
  const ms = BigInt(m[1]!);
  const seq = m[2] !== undefined ? BigInt(m[2]) : 0n;
  if (ms > U64_MAX || seq > U64_MAX) throw new ReplyError(INVALID_ID);
  return { ms: Number(ms), seq: Number(seq) };
}

/** getTimeoutFromObjectOrReply(UNIT_MILLISECONDS): the timeout argument checked, in ms */
function parseTimeoutMs(b: Buffer): number {
  const t = argInt(b, 'ERR timeout is not an integer or out of range');
  if (t < 0) throw new ReplyError('ERR timeout is negative');
  return t;
}

export function handler(c: Context, argv: Buffer[]): void {
  let block = false;
  let count = 0;
  let streamsArg = 0;
  let streamsCount = 0;
  for (let i = 1; i < argv.length; i++) {
    const more = argv.length - i - 1;
    const o = argv[i]!;
    if (is(o, 'BLOCK') && more) {
      if (c.caller === 'script') {
        throw new ReplyError(`ERR ${argv[0]!.toString('latin1')} command is not allowed with BLOCK option from scripts`);
      }
      i++;
      parseTimeoutMs(argv[i]!);
      block = true;
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
      throw new ReplyError('ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.');
    } else if (is(o, 'NOACK')) {
      throw new ReplyError('ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.');
    } else throw new ReplyError(ERR.SYNTAX);
  }
  if (streamsArg === 0) throw new ReplyError(ERR.SYNTAX);
  const ids: StreamId[] = [];
  for (let i = streamsArg + streamsCount; i < argv.length; i++) {
    const key = argv[i - streamsCount]!;
    const id = lookupRead(c, key);
    const s = id >= 0 ? streamOf(c, id) : null;
    const a = argv[i]!;
    if (a.length === 1 && a[0] === 0x24) {
      ids.push(s ? { ms: s.last.ms, seq: s.last.seq } : { ms: 0, seq: 0 });
      continue;
    }
    if (a.length === 1 && a[0] === 0x3e) {
      throw new ReplyError('ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.');
    }
    ids.push(parseStrictId(a));
  }
  const served: { key: Buffer; entries: LiveStreamEntry[] }[] = [];
  for (let i = 0; i < streamsCount; i++) {
    const key = argv[streamsArg + i]!;
    const id = lookupRead(c, key);
    if (id < 0) continue;
    const s = c.db.value(id) as StreamValue;
    if (s.length === 0) continue;
    const gt = ids[i]!;
    const lastEntry = s.entry(s.length - 1)!;
    if (cmpId(lastEntry.ms, lastEntry.seq, gt.ms, gt.seq) <= 0) continue;
    const entries: LiveStreamEntry[] = [];
    let j = s.lowerBound(gt.ms, gt.seq);
    if (j < s.length) {
      const e = s.entry(j)!;
      if (e.ms === gt.ms && e.seq === gt.seq) j++;
    }
    for (; j < s.length; j++) {
      entries.push(s.entry(j)!);
      if (count > 0 && entries.length >= count) break;
    }
    served.push({ key, entries });
  }
  const w = c.reply;
  if (served.length > 0) {
    if (w.resp === 2) w.array(served.length);
    else w.map(served.length);
    for (const sv of served) {
      if (w.resp === 2) w.array(2);
      w.bulk(sv.key);
      w.array(sv.entries.length);
      for (const e of sv.entries) writeEntry(c, e);
    }
    return;
  }
  if (block && c.caller === 'client' && c.conn !== null) {
    throw new ReplyError('ERR XREAD BLOCK is not supported by this server yet');
  }
  w.nullArray();
}

function streamOf(c: Context, id: number): StreamValue {
  if (c.db.typeOf(id) !== 'stream') throw new ReplyError(ERR.WRONGTYPE);
  return c.db.value(id) as StreamValue;
}
