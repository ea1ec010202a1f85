/** ZINCRBY key increment member */
import type { Context } from './context.js';
import { ZADD_INCR, zsetAdd } from '../engine/types/zset.js';
import { argDouble } from './_util.js';

export function handler(c: Context, argv: Buffer[]): void {
  const incr = argDouble(argv[2]!);
  const r = zsetAdd(c.db, argv[1]!, [{ score: incr, member: argv[3]! }], ZADD_INCR);
  c.instance.dirty += r.added + r.updated;
  c.reply.double(r.score);
}
