/** BLPOP key [key ...] timeout (blpopCommand, t_list.c 7.0): see _blist.ts. */
import type { Context } from './context.js';
import { blockingPop } from './_blist.js';

export function handler(c: Context, argv: Buffer[]): void {
  blockingPop(c, argv, argv.slice(1, -1), false, argv[argv.length - 1]!, -1);
}
