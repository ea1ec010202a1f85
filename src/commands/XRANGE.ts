/** XRANGE key start end [COUNT count] */
import type { Context } from './context.js';
import { ReplyError, ERR } from './errors.js';
import { readTyped, argInt, is } from './_util.js';
import { cmpId, type LiveStreamEntry } from '../engine/types/stream.js';
import { idText, streamDecrID, streamIncrID, U64_MAX_PART } from '../engine/types/stream.js';
import { parseIntervalId } from './_stream-groups.js';

export function handler(c: Context, argv: Buffer[]): void {
  xrangeGeneric(c, argv, false);
}

/** xrangeGenericCommand (t_stream.c, 7.0): XRANGE key start end, XREVRANGE key end start */
export function xrangeGeneric(c: Context, argv: Buffer[], rev: boolean): void {
  const st = parseIntervalId(argv[rev ? 3 : 2]!, 0);
  const start = st.id;
  if (st.excluded && !streamIncrID(start)) throw new ReplyError('ERR invalid start ID for the interval');
  const en = parseIntervalId(argv[rev ? 2 : 3]!, U64_MAX_PART);
  const end = en.id;
  if (en.excluded && !streamDecrID(end)) throw new ReplyError('ERR invalid end ID for the interval');
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
  {
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
  c.reply.bulkStr(idText(e.ms, e.seq));
  c.reply.array(e.fields.length);
  for (const f of e.fields) c.reply.bulk(f);
}
