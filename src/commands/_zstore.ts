/**
 * ZUNIONSTORE / ZINTERSTORE destination numkeys key [key ...] [WEIGHTS w ...]
 * [AGGREGATE SUM|MIN|MAX] (zunionInterDiffGenericCommand, t_zset.c 7.0). Sets count as zsets
 * with every score 1.
 */
import type { Context } from './context.js';
import * as apply from '../engine/apply.js';
import { ReplyError, ERR } from './errors.js';
import { argDouble, argInt, is } from './_util.js';

export function zstoreCommand(c: Context, argv: Buffer[], inter: boolean): void {
  const name = inter ? 'zinterstore' : 'zunionstore';
  const setnum = argInt(argv[2]!);
  if (setnum < 1) throw new ReplyError(`ERR at least 1 input key is needed for '${name}' command`);
  if (setnum > argv.length - 3) throw new ReplyError(ERR.SYNTAX);
  const keys = argv.slice(3, 3 + setnum);
  for (const k of keys) {
    const id = c.db.find(k);
    if (id >= 0) {
      const t = c.db.typeOf(id);
      if (t !== 'zset' && t !== 'set') throw new ReplyError(ERR.WRONGTYPE);
    }
  }
  const weights: number[] = new Array<number>(setnum).fill(1);
  let agg = apply.AGG_SUM;
  let j = 3 + setnum;
  let remaining = argv.length - j;
  while (remaining) {
    if (remaining >= setnum + 1 && is(argv[j]!, 'WEIGHTS')) {
      j++;
      remaining--;
      for (let i = 0; i < setnum; i++, j++, remaining--) weights[i] = argDouble(argv[j]!, 'ERR weight value is not a float');
    } else if (remaining >= 2 && is(argv[j]!, 'AGGREGATE')) {
      j++;
      remaining--;
      const a = argv[j]!;
      if (is(a, 'SUM')) agg = apply.AGG_SUM;
      else if (is(a, 'MIN')) agg = apply.AGG_MIN;
      else if (is(a, 'MAX')) agg = apply.AGG_MAX;
      else throw new ReplyError(ERR.SYNTAX);
      j++;
      remaining--;
    } else throw new ReplyError(ERR.SYNTAX);
  }
  c.reply.int(apply.zsetUnionInterStore(c.db, argv[1]!, keys, weights, agg, inter));
}
