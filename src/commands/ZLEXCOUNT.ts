/** ZLEXCOUNT key min max */
import type { Context } from './context.js';
import { zlexcount } from './_zrange.js';

export function handler(c: Context, argv: Buffer[]): void {
  zlexcount(c, argv);
}
