/** BITFIELD_RO key [GET type offset ...] */
import type { Context } from './context.js';
import { bitfieldGeneric } from './_bitfield.js';

export function handler(c: Context, argv: Buffer[]): void {
  bitfieldGeneric(c, argv, true);
}
