/** ZREM key member [member ...] */
import type { Context } from './context.js';
import * as apply from '../engine/apply.js';

export function handler(c: Context, argv: Buffer[]): void {
  c.reply.int(apply.zsetRemove(c.db, argv[1]!, argv, 2));
}
