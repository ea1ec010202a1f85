/** BRPOP key [key ...] timeout (brpopCommand, t_list.c 7.0): see _blist.ts. */
import type { Context } from './context.js';
import { blockingPop } from './_blist.js';

export function handler(c: Context, argv: Buffer[]): void {
  blockingPop(c, argv, argv.slice(1, -1), true, argv[argv.length - 1]!, -1);
}
