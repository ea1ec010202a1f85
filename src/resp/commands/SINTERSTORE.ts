/** SINTERSTORE destination key [key ...]: the size of the stored result. */
import type { Client } from '../client.js';
import { setStoreCommand } from './_setstore.js';

export function handler(c: Client, argv: Buffer[]): void {
  setStoreCommand(c, argv, 'inter');
}
