/** ZMPOP numkeys key [key ...] MIN|MAX [COUNT count] (t_zset.c 7.0). */
import type { Context } from './context.js';
import { zmpop } from './_bzset.js';

export function handler(c: Context, argv: Buffer[]): void {
  zmpop(c, argv, 1, false);
}
