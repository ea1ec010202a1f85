/** GEORADIUSBYMEMBER (georadiusGeneric, geo.c 7.0) */
import type { Context } from './context.js';
import { georadiusGeneric, RADIUS_MEMBER } from './_geo.js';

export function handler(c: Context, argv: Buffer[]): void {
  georadiusGeneric(c, argv, 1, RADIUS_MEMBER);
}
