/** SORT_RO key [BY pattern] [LIMIT offset count] [GET pattern ...] [ASC|DESC] [ALPHA] */
import type { Context } from './context.js';
import { sortGeneric } from './_sort.js';

export function handler(c: Context, argv: Buffer[]): void {
  sortGeneric(c, argv, true);
}
