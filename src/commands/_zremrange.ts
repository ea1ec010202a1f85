/** ZREMRANGEBYRANK, ZREMRANGEBYSCORE, ZREMRANGEBYLEX key min max (zremrangeGenericCommand, t_zset.c 7.0) */
import type { Context } from './context.js';
import { zsetRemoveRanks } from '../engine/types/zset.js';
import { ReplyError } from './errors.js';
import { argDouble, argInt } from './_util.js';
import type { ZsetValue } from '../engine/types/zset.js';

/** zslParseRange item: "(1.5" exclusive, "-inf", "+inf" */
export function parseScoreBound(b: Buffer): { v: number; ex: boolean } {
  const msg = 'ERR min or max is not a float';
  if (b[0] === 0x28) return { v: argDouble(b.subarray(1), msg), ex: true };
  return { v: argDouble(b, msg), ex: false };
}

/** zslParseLexRangeItem: "[a" inclusive, "(a" exclusive, "-" and "+" the ends */
export function parseLexBound(b: Buffer): { v: string; ex: boolean } | '-' | '+' {
  const c0 = b[0];
  if (c0 === 0x2b && b.length === 1) return '+';
  if (c0 === 0x2d && b.length === 1) return '-';
  if (c0 === 0x28) return { v: b.latin1Slice(1, b.length), ex: true };
  if (c0 === 0x5b) return { v: b.latin1Slice(1, b.length), ex: false };
  throw new ReplyError('ERR min or max not valid string range item');
}

function firstLast(z: ZsetValue, inRange: (i: number) => boolean): [number, number] | null {
  let a = -1;
  let b = -1;
  for (let i = 0; i < z.order.length; i++) {
    if (inRange(i)) {
      if (a < 0) a = i;
      b = i;
    } else if (a >= 0) break;
  }
  return a < 0 ? null : [a, b];
}

export function zremrangeCommand(c: Context, argv: Buffer[], kind: 'rank' | 'score' | 'lex'): void {
  let rank: (z: ZsetValue) => [number, number] | null;
  if (kind === 'rank') {
    const start0 = argInt(argv[2]!);
    const end0 = argInt(argv[3]!);
    rank = (z) => {
      const llen = z.length;
      let start = start0 < 0 ? llen + start0 : start0;
      let end = end0 < 0 ? llen + end0 : end0;
      if (start < 0) start = 0;
      if (start > end || start >= llen) return null;
      if (end >= llen) end = llen - 1;
      return [start, end];
    };
  } else if (kind === 'score') {
    const lo = parseScoreBound(argv[2]!);
    const hi = parseScoreBound(argv[3]!);
    rank = (z) => {
      if (lo.v > hi.v || (lo.v === hi.v && (lo.ex || hi.ex))) return null;
      const s = z.orderScores;
      return firstLast(z, (i) => (lo.ex ? s[i]! > lo.v : s[i]! >= lo.v) && (hi.ex ? s[i]! < hi.v : s[i]! <= hi.v));
    };
  } else {
    const lo = parseLexBound(argv[2]!);
    const hi = parseLexBound(argv[3]!);
    rank = (z) => {
      const o = z.order;
      const geMin = (m: string): boolean => (lo === '-' ? true : lo === '+' ? false : lo.ex ? m > lo.v : m >= lo.v);
      const leMax = (m: string): boolean => (hi === '+' ? true : hi === '-' ? false : hi.ex ? m < hi.v : m <= hi.v);
      return firstLast(z, (i) => geMin(o[i]!) && leMax(o[i]!));
    };
  }
  c.reply.int(zsetRemoveRanks(c.db, argv[1]!, rank));
}
