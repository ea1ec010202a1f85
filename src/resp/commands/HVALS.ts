/** HVALS key */
import type { Client } from '../client.js';
import { readTyped } from './_util.js';

export function handler(c: Client, argv: Buffer[]): void {
  const v = readTyped(c, argv[1]!, 'hash');
  if (v === null) return c.w.array(0);
  c.w.array(v.map.size);
  for (const val of v.map.values()) c.w.bulk(val);
}
