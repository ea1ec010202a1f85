/** ZUNION (zunionInterDiffGenericCommand, t_zset.c 7.0) */
import type { Context } from './context.js';
import { zsetOpCommand, SET_OP_UNION } from './_zstore.js';

export function handler(c: Context, argv: Buffer[]): void {
  zsetOpCommand(c, argv, 'zunion', SET_OP_UNION, false);
}
