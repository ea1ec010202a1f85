/** DECRBY (incrDecrCommand, t_string.c) */
import type { Context } from './context.js';
import { incrBy } from '../engine/types/string.js';
import { argBigInt } from './_util.js';
import { ReplyError } from './errors.js';

export function handler(c: Context, argv: Buffer[]): void {
  const delta = (() => {
    const d = argBigInt(argv[2]!);
    if (d === -9223372036854775808n) throw new ReplyError('ERR decrement would overflow');
    return -d;
  })();
  const v = incrBy(c.db, argv[1]!, delta);
  if (v >= -9007199254740991n && v <= 9007199254740991n) c.reply.int(Number(v));
  else c.reply.bigint(v);
}
