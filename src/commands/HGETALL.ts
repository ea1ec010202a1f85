/** HGETALL key: a map in RESP3. */
import type { Context } from './context.js';
import { readTyped } from './_util.js';
import { bytesOf } from '../engine/types/generic.js';

export function handler(c: Context, argv: Buffer[]): void {
  const v = readTyped(c, argv[1]!, 'hash');
  if (v === null) return c.reply.map(0);
  c.reply.map(v.map.size);
  for (const [k, val] of v.map) {
    c.reply.bulk(bytesOf(k));
    c.reply.bulk(val);
  }
}
