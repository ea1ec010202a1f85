/** ZPOPMIN and ZPOPMAX: key [count] (genericZpopCommand, t_zset.c 7.0). */
import type { Context } from './context.js';
import { zsetPop } from '../engine/types/zset.js';
import { ReplyError, ERR } from './errors.js';
import { parseLongLong } from '../protocol/decoder.js';
import { bytesOf } from '../engine/types/generic.js';

export function zpopCommand(c: Context, argv: Buffer[], max: boolean): void {
  if (argv.length > 3) throw new ReplyError(ERR.SYNTAX);
  const hasCount = argv.length === 3;
  let count = 1;
  if (hasCount) {
    const n = parseLongLong(argv[2]!, 0, argv[2]!.length);
    if (n === null || n < 0) throw new ReplyError(ERR.POSITIVE);
    count = n;
  }
  const id = c.db.find(argv[1]!);
  if (id < 0) return c.reply.array(0);
  if (c.db.typeOf(id) !== 'zset') throw new ReplyError(ERR.WRONGTYPE);
  if (count === 0) return c.reply.array(0);
  const out = zsetPop(c.db, argv[1]!, max, count)!;
  const w = c.reply;
  if (hasCount && w.resp >= 3) {
    w.array(out.length);
    for (const [m, s] of out) {
      w.array(2);
      w.bulk(bytesOf(m));
      w.double(s);
    }
    return;
  }
  w.array(out.length * 2);
  for (const [m, s] of out) {
    w.bulk(bytesOf(m));
    w.double(s);
  }
}
