/** XREVRANGE key end start [COUNT count] */
import type { Context } from './context.js';
import { xrangeGeneric } from './XRANGE.js';

export function handler(c: Context, argv: Buffer[]): void {
  xrangeGeneric(c, argv, true);
}
