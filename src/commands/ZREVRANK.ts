/** ZREVRANK key member */
import type { Context } from './context.js';
import { readTyped } from './_util.js';
import { latin1Key } from '../engine/types/generic.js';

export function handler(c: Context, argv: Buffer[]): void {
  const v = readTyped(c, argv[1]!, 'zset');
  const r = v ? v.rank(latin1Key(argv[2]!)) : -1;
  if (r < 0) c.reply.nullBulk();
  else c.reply.int(v!.length - 1 - r);
}
