/** HEXISTS key field */
import type { Client } from '../client.js';
import { readTyped } from './_util.js';

export function handler(c: Client, argv: Buffer[]): void {
  const v = readTyped(c, argv[1]!, 'hash');
  c.w.int(v?.get(argv[2]!) === undefined ? 0 : 1);
}
