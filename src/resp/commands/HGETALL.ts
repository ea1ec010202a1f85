/** HGETALL key: a map in RESP3. */
import type { Client } from '../client.js';
import { readTyped } from './_util.js';
import { bytesOf } from '../../engine/values.js';

export function handler(c: Client, argv: Buffer[]): void {
  const v = readTyped(c, argv[1]!, 'hash');
  if (v === null) return c.w.map(0);
  c.w.map(v.map.size);
  for (const [k, val] of v.map) {
    c.w.bulk(bytesOf(k));
    c.w.bulk(val);
  }
}
