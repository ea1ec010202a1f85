/** XRANGE key start end [COUNT count] */
import type { Context } from './context.js';
import { ReplyError, ERR } from './errors.js';
import { readTyped, argInt, is } from './_util.js';
import { cmpId, type LiveStreamEntry, type StreamId } from '../engine/values.js';

export function handler(c: Context, argv: Buffer[]): void {
  xrangeGeneric(c, argv, false);
}

/** xrangeGenericCommand (t_stream.c, 7.0): XRANGE key start end, XREVRANGE key end start */
export function xrangeGeneric(c: Context, argv: Buffer[], rev: boolean): void {
  const start = parseRangeId(argv[rev ? 3 : 2]!, false);
  const end = parseRangeId(argv[rev ? 2 : 3]!, true);
  let count = -1;
  for (let i = 4; i < argv.length; i++) {
    if (is(argv[i]!, 'COUNT') && i + 1 < argv.length) {
      count = argInt(argv[++i]!);
      if (count < 0) count = 0;
    } else throw new ReplyError(ERR.SYNTAX);
  }
  const v = readTyped(c, argv[1]!, 'stream');
  if (v === null) return c.reply.array(0);
  if (count === 0) return c.reply.nullArray();
  const out: LiveStreamEntry[] = [];
  if (start !== null && end !== null) {
    if (!rev) {
      for (let i = v.lowerBound(start.ms, start.seq); i < v.length; i++) {
        const e = v.entry(i)!;
        if (cmpId(e.ms, e.seq, end.ms, end.seq) > 0) break;
        out.push(e);
        if (count > 0 && out.length >= count) break;
      }
    } else {
      // the last entry <= end, walking back to start
      let i = v.lowerBound(end.ms, end.seq);
      if (i >= v.length || cmpId(v.entry(i)!.ms, v.entry(i)!.seq, end.ms, end.seq) > 0) i--;
      for (; i >= 0; i--) {
        const e = v.entry(i)!;
        if (cmpId(e.ms, e.seq, start.ms, start.seq) < 0) break;
        out.push(e);
        if (count > 0 && out.length >= count) break;
      }
    }
  }
  c.reply.array(out.length);
  for (const e of out) writeEntry(c, e);
}

export function writeEntry(c: Context, e: LiveStreamEntry): void {
  c.reply.array(2);
  c.reply.bulkStr(`${e.ms}-${e.seq}`);
  c.reply.array(e.fields.length);
  for (const f of e.fields) c.reply.bulk(f);
}

const MAX = Number.MAX_SAFE_INTEGER;

/** streamParseIntervalIDOrReply: '-', '+', 'ms', 'ms-seq', '(' exclusive; null: an empty range */
export function parseRangeId(b: Buffer, isEnd: boolean): StreamId | null {
  let s = b.toString('latin1');
  let exclusive = false;
  if (s.startsWith('(') && s.length > 1) {
    exclusive = true;
    s = s.slice(1);
  }
  let id: StreamId;
  if (s === '-') id = { ms: 0, seq: 0 };
  else if (s === '+') id = { ms: MAX, seq: MAX };
  else {
    const m = /^(\d+)(?:-(\d+))?$/.exec(s);
    if (!m) throw new ReplyError('ERR Invalid stream ID specified as stream command argument');
    id = { ms: Number(m[1]), seq: m[2] !== undefined ? Number(m[2]) : isEnd ? MAX : 0 };
  }
  if (exclusive) {
    if (isEnd) {
      if (id.seq > 0) id.seq--;
      else if (id.ms > 0) id = { ms: id.ms - 1, seq: MAX };
      else return null;
    } else if (id.seq < MAX) id.seq++;
    else if (id.ms < MAX) id = { ms: id.ms + 1, seq: 0 };
    else return null;
  }
  return id;
}
