/** HDEL key field [field ...] */
import type { Context } from './context.js';
import { hashDel } from '../engine/types/hash.js';

export function handler(c: Context, argv: Buffer[]): void {
  c.reply.int(hashDel(c.db, argv[1]!, argv, 2));
}
