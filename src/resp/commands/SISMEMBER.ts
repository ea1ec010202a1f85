/** SISMEMBER key member */
import type { Client } from '../client.js';
import { readTyped } from './_util.js';

export function handler(c: Client, argv: Buffer[]): void {
  const v = readTyped(c, argv[1]!, 'set');
  c.w.int(v !== null && v.has(argv[2]!) ? 1 : 0);
}
