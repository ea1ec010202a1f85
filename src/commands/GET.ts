/** GET key */
import type { Context } from './context.js';
import { readTyped } from './_util.js';

export function handler(c: Context, argv: Buffer[]): void {
  const v = readTyped(c, argv[1]!, 'string');
  if (v === null) c.reply.nullBulk();
  else c.reply.bulk(v.buf);
}
