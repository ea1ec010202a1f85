/** HMGET key field [field ...] */
import type { Context } from './context.js';
import { readTyped } from './_util.js';

export function handler(c: Context, argv: Buffer[]): void {
  const v = readTyped(c, argv[1]!, 'hash');
  c.reply.array(argv.length - 2);
  for (let i = 2; i < argv.length; i++) {
    const e = v?.get(argv[i]!);
    if (e === undefined) c.reply.nullBulk();
    else c.reply.bulk(e);
  }
}
