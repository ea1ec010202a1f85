/** BZPOPMIN key [key ...] timeout (t_zset.c 7.0): see _bzset.ts. */
import type { Context } from './context.js';
import { blockingZpop } from './_bzset.js';

export function handler(c: Context, argv: Buffer[]): void {
  blockingZpop(c, argv, argv.slice(1, -1), false, argv[argv.length - 1]!, -1, false);
}
