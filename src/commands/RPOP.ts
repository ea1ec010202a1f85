/** RPOP key [count] */
import type { Context } from './context.js';
import { listPopCommand } from './_list-pop.js';

export function handler(c: Context, argv: Buffer[]): void {
  listPopCommand(c, argv, 'rpop');
}
