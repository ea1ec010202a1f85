/** ZMSCORE key member [member ...] */
import type { Context } from './context.js';
import { readTyped } from './_util.js';

export function handler(c: Context, argv: Buffer[]): void {
  const v = readTyped(c, argv[1]!, 'zset');
  c.reply.array(argv.length - 2);
  for (let i = 2; i < argv.length; i++) {
    const s = v === null ? undefined : v.score(argv[i]!);
    if (s === undefined) c.reply.nullBulk();
    else c.reply.double(s);
  }
}
