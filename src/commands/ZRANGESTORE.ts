/** ZRANGESTORE dst src min max [BYSCORE|BYLEX] [REV] [LIMIT offset count] */
import type { Context } from './context.js';
import { zrangeGeneric } from './_zrange.js';

export function handler(c: Context, argv: Buffer[]): void {
  zrangeGeneric(c, argv, { argcStart: 2, store: true, rangeType: 'auto', direction: 'auto' });
}
