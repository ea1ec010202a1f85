/** HRANDFIELD key [count [WITHVALUES]] (hrandfieldCommand, hrandfieldWithCountCommand, t_hash.c 7.0) */
import type { Context } from './context.js';
import { bytesOf } from '../engine/types/generic.js';
import { ReplyError, ERR } from './errors.js';
import { is, readTyped } from './_util.js';
import { argRandomCount, pickIndexes } from './_random.js';

/** LONG_MAX / 2 (integer division) */
const HALF = 4611686018427387903n;

export function handler(c: Context, argv: Buffer[]): void {
  if (argv.length >= 3) {
    const big = argRandomCount(argv[2]!);
    let withvalues = false;
    if (argv.length > 4 || (argv.length === 4 && !is(argv[3]!, 'WITHVALUES'))) throw new ReplyError(ERR.SYNTAX);
    if (argv.length === 4) {
      withvalues = true;
      if (big < -HALF || big > HALF) throw new ReplyError('ERR value is out of range');
    }
    const l = Number(big);
    const v = readTyped(c, argv[1]!, 'hash');
    if (v === null || l === 0) return c.reply.array(0);
    const fields = [...v.map.keys()];
    const picks = pickIndexes(fields.length, Math.abs(l), l > 0, () => c.instance.random());
    const w = c.reply;
    if (withvalues && c.resp === 2) w.array(picks.length * 2);
    else w.array(picks.length);
    for (const i of picks) {
      const f = fields[i]!;
      if (withvalues && c.resp > 2) w.array(2);
      w.bulk(bytesOf(f));
      if (withvalues) w.bulk(v.map.get(f)!);
    }
    return;
  }
  const v = readTyped(c, argv[1]!, 'hash');
  if (v === null) return c.reply.nullBulk();
  const fields = [...v.map.keys()];
  c.reply.bulk(bytesOf(fields[Math.floor(c.instance.random() * fields.length)]!));
}
