/** GEOSEARCH (georadiusGeneric, geo.c 7.0) */
import type { Context } from './context.js';
import { georadiusGeneric, GEOSEARCH } from './_geo.js';

export function handler(c: Context, argv: Buffer[]): void {
  georadiusGeneric(c, argv, 1, GEOSEARCH);
}
