/** ZSCORE key member */
import type { Context } from './context.js';
import { readTyped } from './_util.js';

export function handler(c: Context, argv: Buffer[]): void {
  const v = readTyped(c, argv[1]!, 'zset');
  const s = v?.score(argv[2]!);
  if (s === undefined) c.reply.nullBulk();
  else c.reply.double(s);
}
