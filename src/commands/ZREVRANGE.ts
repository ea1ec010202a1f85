/** ZREVRANGE key start stop [WITHSCORES] */
import type { Context } from './context.js';
import { zrangeGeneric } from './ZRANGE.js';

export function handler(c: Context, argv: Buffer[]): void {
  zrangeGeneric(c, argv, true);
}
