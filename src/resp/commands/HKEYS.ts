/** HKEYS key */
import type { Client } from '../client.js';
import { readTyped } from './_util.js';
import { bytesOf } from '../../engine/values.js';

export function handler(c: Client, argv: Buffer[]): void {
  const v = readTyped(c, argv[1]!, 'hash');
  if (v === null) return c.w.array(0);
  c.w.array(v.map.size);
  for (const k of v.map.keys()) c.w.bulk(bytesOf(k));
}
