/** HVALS key */
import type { Context } from './context.js';
import { readTyped } from './_util.js';

export function handler(c: Context, argv: Buffer[]): void {
  const v = readTyped(c, argv[1]!, 'hash');
  if (v === null) return c.reply.array(0);
  c.reply.array(v.map.size);
  for (const val of v.map.values()) c.reply.bulk(val);
}
