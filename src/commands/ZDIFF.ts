/** ZDIFF (zunionInterDiffGenericCommand, t_zset.c 7.0) */
import type { Context } from './context.js';
import { zsetOpCommand, SET_OP_DIFF } from './_zstore.js';

export function handler(c: Context, argv: Buffer[]): void {
  zsetOpCommand(c, argv, 'zdiff', SET_OP_DIFF, false);
}
