/** ZRANGEBYLEX key min max [LIMIT offset count] */
import type { Context } from './context.js';
import { zrangeGeneric } from './_zrange.js';

export function handler(c: Context, argv: Buffer[]): void {
  zrangeGeneric(c, argv, { argcStart: 1, store: false, rangeType: 'lex', direction: 'forward' });
}
