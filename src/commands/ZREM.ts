/** ZREM key member [member ...] */
import type { Context } from './context.js';
import { zsetRemove } from '../engine/types/zset.js';

export function handler(c: Context, argv: Buffer[]): void {
  c.reply.int(zsetRemove(c.db, argv[1]!, argv, 2));
}
