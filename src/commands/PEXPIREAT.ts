/** PEXPIREAT key time [NX|XX|GT|LT] */
import type { Context } from './context.js';
import { expireGeneric } from './EXPIRE.js';

export function handler(c: Context, argv: Buffer[]): void {
  expireGeneric(c, argv, 1, false, 'pexpireat');
}
