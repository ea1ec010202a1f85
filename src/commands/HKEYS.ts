/** HKEYS key */
import type { Context } from './context.js';
import { readTyped } from './_util.js';
import { bytesOf } from '../engine/types/generic.js';

export function handler(c: Context, argv: Buffer[]): void {
  const v = readTyped(c, argv[1]!, 'hash');
  if (v === null) return c.reply.array(0);
  c.reply.array(v.map.size);
  for (const k of v.map.keys()) c.reply.bulk(bytesOf(k));
}
