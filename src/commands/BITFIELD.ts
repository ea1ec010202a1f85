/** BITFIELD key [GET type offset | SET type offset value | INCRBY type offset increment | OVERFLOW WRAP|SAT|FAIL ...] */
import type { Context } from './context.js';
import { bitfieldGeneric } from './_bitfield.js';

export function handler(c: Context, argv: Buffer[]): void {
  bitfieldGeneric(c, argv, false);
}
