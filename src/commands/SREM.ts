/** SREM key member [member ...] */
import type { Context } from './context.js';
import { setRemove } from '../engine/types/set.js';

export function handler(c: Context, argv: Buffer[]): void {
  c.reply.int(setRemove(c.db, argv[1]!, argv, 2));
}
