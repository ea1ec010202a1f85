/**
 * ZRANDMEMBER key [count [WITHSCORES]] (zrandmemberCommand, zrandmemberWithCountCommand,
 * t_zset.c 7.0). A positive count gives distinct members (all of them when count >= size), a
 * negative one may repeat. Which members come out is random, as in Redis.
 */
import type { Context } from './context.js';
import { ReplyError, ERR } from './errors.js';
import { argBigInt, is, readTyped } from './_util.js';
import { bytesOf } from '../engine/types/generic.js';

const LONG_MAX = 9223372036854775807n;
/** a reply larger than this many members is refused rather than built in memory */
const MAX_REPLY = 10_000_000;

export function handler(c: Context, argv: Buffer[]): void {
  const w = c.reply;
  if (argv.length >= 3) {
    const l = argBigInt(argv[2]!);
    if (l < -LONG_MAX) throw new ReplyError('ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807');
    let withScores = false;
    if (argv.length > 4 || (argv.length === 4 && !is(argv[3]!, 'WITHSCORES'))) throw new ReplyError(ERR.SYNTAX);
    if (argv.length === 4) {
      withScores = true;
      if (l < -LONG_MAX / 2n || l > LONG_MAX / 2n) throw new ReplyError('ERR value is out of range');
    }
    const z = readTyped(c, argv[1]!, 'zset');
    if (z === null) return w.array(0);
    const uniq = l >= 0n;
    const cnt = uniq ? l : -l;
    if (cnt === 0n) return w.array(0);
    const size = z.length;
    const ord = z.order;
    const sc = z.orderScores;
    const rnd = c.instance.random;
    const pick: number[] = [];
    if (!uniq || cnt === 1n) {
      if (cnt > BigInt(MAX_REPLY)) throw new ReplyError('ERR count is too large for this server');
      const n = Number(cnt);
      for (let k = 0; k < n; k++) pick.push(Math.floor(rnd() * size));
    } else if (cnt >= BigInt(size)) {
      for (let k = 0; k < size; k++) pick.push(k);
    } else {
      const n = Number(cnt);
      const idx = Array.from({ length: size }, (_, k) => k);
      for (let k = 0; k < n; k++) {
        const r = k + Math.floor(rnd() * (size - k));
        const t = idx[k]!;
        idx[k] = idx[r]!;
        idx[r] = t;
        pick.push(idx[k]!);
      }
    }
    w.array(withScores && w.resp === 2 ? pick.length * 2 : pick.length);
    for (const i of pick) {
      if (withScores && w.resp > 2) w.array(2);
      w.bulk(bytesOf(ord[i]!));
      if (withScores) w.double(sc[i]!);
    }
    return;
  }
  const z = readTyped(c, argv[1]!, 'zset');
  if (z === null) return w.nullBulk();
  w.bulk(bytesOf(z.order[Math.floor(c.instance.random() * z.length)]!));
}
