/** SINTERSTORE destination key [key ...]: the size of the stored result. */
import type { Context } from './context.js';
import { setStoreCommand } from './_setstore.js';

export function handler(c: Context, argv: Buffer[]): void {
  setStoreCommand(c, argv, 'inter');
}
