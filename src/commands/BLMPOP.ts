/** BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count] (t_list.c 7.0). */
import type { Context } from './context.js';
import { lmpop } from './_blist.js';

export function handler(c: Context, argv: Buffer[]): void {
  lmpop(c, argv, 2, true);
}
