/** ZREMRANGEBYSCORE key min max: how many members were removed. */
import type { Context } from './context.js';
import { zremrangeCommand } from './_zremrange.js';

export function handler(c: Context, argv: Buffer[]): void {
  zremrangeCommand(c, argv, 'score');
}
