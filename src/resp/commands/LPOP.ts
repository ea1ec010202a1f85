/** LPOP key [count] */
import type { Client } from '../client.js';
import { listPopCommand } from './_list-pop.js';

export function handler(c: Client, argv: Buffer[]): void {
  listPopCommand(c, argv, 'lpop');
}
