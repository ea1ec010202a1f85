/** ZREMRANGEBYLEX key min max: how many members were removed. */
import type { Client } from '../client.js';
import { zremrangeCommand } from './_zremrange.js';

export function handler(c: Client, argv: Buffer[]): void {
  zremrangeCommand(c, argv, 'lex');
}
