/** FCALL_RO (functions.c) */
import type { Context } from './context.js';
import { fcallGeneric } from './_fcall.js';

export function handler(c: Context, argv: Buffer[]): void {
  fcallGeneric(c, argv, true);
}
