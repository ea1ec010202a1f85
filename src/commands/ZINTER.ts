/** ZINTER (zunionInterDiffGenericCommand, t_zset.c 7.0) */
import type { Context } from './context.js';
import { zsetOpCommand, SET_OP_INTER } from './_zstore.js';

export function handler(c: Context, argv: Buffer[]): void {
  zsetOpCommand(c, argv, 'zinter', SET_OP_INTER, false);
}
