/** ZRANGE key start stop [BYSCORE] [REV] [LIMIT offset count] [WITHSCORES] */
import type { Context } from './context.js';
import { ReplyError, ERR } from './errors.js';
import { readTyped, clampRange, argInt, argDouble, is } from './_util.js';
import { bytesOf } from '../engine/values.js';

export function handler(c: Context, argv: Buffer[]): void {
  zrangeGeneric(c, argv, false);
}

/** zrangeGenericCommand for ranks and scores (t_zset.c); `rev` for ZREVRANGE */
export function zrangeGeneric(c: Context, argv: Buffer[], revCmd: boolean): void {
  let withScores = false;
  let byScore = false;
  let rev = revCmd;
  let offset = 0;
  let limit = -1;
  let hasLimit = false;
  for (let i = 4; i < argv.length; i++) {
    const a = argv[i]!;
    const left = argv.length - i - 1;
    if (is(a, 'WITHSCORES')) withScores = true;
    else if (!revCmd && is(a, 'BYSCORE')) byScore = true;
    else if (!revCmd && is(a, 'REV')) rev = true;
    else if (!revCmd && is(a, 'LIMIT') && left >= 2) {
      offset = argInt(argv[i + 1]!);
      limit = argInt(argv[i + 2]!);
      hasLimit = true;
      i += 2;
    } else throw new ReplyError(ERR.SYNTAX);
  }
  if (hasLimit && !byScore) {
    throw new ReplyError('ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX');
  }
  if (byScore) {
    const lo = parseScoreBound(argv[rev ? 3 : 2]!);
    const hi = parseScoreBound(argv[rev ? 2 : 3]!);
    const v = readTyped(c, argv[1]!, 'zset');
    const picked: number[] = [];
    if (v !== null) {
      const n = v.order.length;
      const inRange = (s: number): boolean => (lo.ex ? s > lo.v : s >= lo.v) && (hi.ex ? s < hi.v : s <= hi.v);
      if (!rev) {
        for (let i = 0; i < n; i++) if (inRange(v.orderScores[i]!)) picked.push(i);
      } else {
        for (let i = n - 1; i >= 0; i--) if (inRange(v.orderScores[i]!)) picked.push(i);
      }
    }
    const sel = offset < 0 ? [] : picked.slice(offset, limit < 0 ? undefined : offset + limit);
    return reply(c, v, sel, withScores);
  }
  const start = argInt(argv[2]!);
  const stop = argInt(argv[3]!);
  const v = readTyped(c, argv[1]!, 'zset');
  if (v === null) return c.reply.array(0);
  const n = v.order.length;
  const r = clampRange(start, stop, n);
  if (r === null) return c.reply.array(0);
  const sel: number[] = [];
  for (let i = r[0]; i <= r[1]; i++) sel.push(rev ? n - 1 - i : i);
  reply(c, v, sel, withScores);
}

function reply(c: Context, v: { order: string[]; orderScores: number[] } | null, sel: number[], withScores: boolean): void {
  const w = c.reply;
  if (v === null) return w.array(0);
  if (withScores && w.resp >= 3) {
    w.array(sel.length);
    for (const i of sel) {
      w.array(2);
      w.bulk(bytesOf(v.order[i]!));
      w.double(v.orderScores[i]!);
    }
    return;
  }
  w.array(withScores ? sel.length * 2 : sel.length);
  for (const i of sel) {
    w.bulk(bytesOf(v.order[i]!));
    if (withScores) w.double(v.orderScores[i]!);
  }
}

/** zslParseRange: "(1.5", "-inf", "+inf" */
function parseScoreBound(b: Buffer): { v: number; ex: boolean } {
  if (b[0] === 0x28) return { v: argDouble(b.subarray(1), 'ERR min or max is not a float'), ex: true };
  return { v: argDouble(b, 'ERR min or max is not a float'), ex: false };
}
