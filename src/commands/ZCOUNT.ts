/** ZCOUNT key min max */
import type { Context } from './context.js';
import { zcount } from './_zrange.js';

export function handler(c: Context, argv: Buffer[]): void {
  zcount(c, argv);
}
