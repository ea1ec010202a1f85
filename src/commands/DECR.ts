/** DECR (incrDecrCommand, t_string.c) */
import type { Context } from './context.js';
import { incrBy } from '../engine/types/string.js';

export function handler(c: Context, argv: Buffer[]): void {
  const delta = -1n;
  const v = incrBy(c.db, argv[1]!, delta);
  if (v >= -9007199254740991n && v <= 9007199254740991n) c.reply.int(Number(v));
  else c.reply.bigint(v);
}
