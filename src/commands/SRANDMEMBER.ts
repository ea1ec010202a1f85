/** SRANDMEMBER key [count] (srandmemberCommand, srandmemberWithCountCommand, t_set.c 7.0) */
import type { Context } from './context.js';
import { walk } from '../engine/types/set.js';
import { bytesOf } from '../engine/types/generic.js';
import { ReplyError, ERR } from './errors.js';
import { readTyped } from './_util.js';
import { argRandomCount, pickIndexes } from './_random.js';

export function handler(c: Context, argv: Buffer[]): void {
  if (argv.length > 3) throw new ReplyError(ERR.SYNTAX);
  if (argv.length === 3) {
    const big = argRandomCount(argv[2]!);
    const l = Number(big);
    const v = readTyped(c, argv[1]!, 'set');
    if (v === null || l === 0) return c.reply.array(0);
    const members = walk(v);
    const picks = pickIndexes(members.length, Math.abs(l), l > 0, () => c.instance.random());
    c.reply.array(picks.length);
    for (const i of picks) c.reply.bulk(bytesOf(members[i]!));
    return;
  }
  const v = readTyped(c, argv[1]!, 'set');
  if (v === null) return c.reply.nullBulk();
  c.reply.bulk(bytesOf(v.random(() => c.instance.random())!));
}
