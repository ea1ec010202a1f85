/** EVAL (eval.c) */
import type { Context } from './context.js';
import { evalGeneric } from './_eval.js';

export function handler(c: Context, argv: Buffer[]): void {
  evalGeneric(c, argv, false, false);
}
