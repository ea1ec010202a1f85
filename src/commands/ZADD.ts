/** ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...] (zaddGenericCommand, t_zset.c) */
import type { Context } from './context.js';
import { ZADD_GT, ZADD_INCR, ZADD_LT, ZADD_NX, ZADD_XX, zsetAdd } from '../engine/types/zset.js';
import { ReplyError, ERR } from './errors.js';
import { argDouble, is } from './_util.js';

export function handler(c: Context, argv: Buffer[]): void {
  let flags = 0;
  let ch = false;
  let i = 2;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (is(a, 'NX')) flags |= ZADD_NX;
    else if (is(a, 'XX')) flags |= ZADD_XX;
    else if (is(a, 'CH')) ch = true;
    else if (is(a, 'INCR')) flags |= ZADD_INCR;
    else if (is(a, 'GT')) flags |= ZADD_GT;
    else if (is(a, 'LT')) flags |= ZADD_LT;
    else break;
  }
  const elements = argv.length - i;
  if (elements % 2 !== 0 || elements === 0) throw new ReplyError(ERR.SYNTAX);
  const nx = flags & ZADD_NX;
  const gt = flags & ZADD_GT;
  const lt = flags & ZADD_LT;
  if (nx && flags & ZADD_XX) throw new ReplyError('ERR XX and NX options at the same time are not compatible');
  if ((gt && nx) || (lt && nx) || (gt && lt)) throw new ReplyError('ERR GT, LT, and/or NX options at the same time are not compatible');
  const incr = (flags & ZADD_INCR) !== 0;
  if (incr && elements > 2) throw new ReplyError('ERR INCR option supports a single increment-element pair');
  const pairs: { score: number; member: Buffer }[] = [];
  for (let j = i; j < argv.length; j += 2) pairs.push({ score: argDouble(argv[j]!), member: argv[j + 1]! });
  const r = zsetAdd(c.db, argv[1]!, pairs, flags);
  c.instance.dirty += r.added + r.updated;
  if (incr) {
    if (r.processed) c.reply.double(r.score);
    else c.reply.nullBulk();
  } else c.reply.int(ch ? r.added + r.updated : r.added);
}
