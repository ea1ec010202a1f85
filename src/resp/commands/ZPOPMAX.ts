/** ZPOPMAX key [count] */
import type { Client } from '../client.js';
import { zpopCommand } from './_zpop.js';

export function handler(c: Client, argv: Buffer[]): void {
  zpopCommand(c, argv, true);
}
