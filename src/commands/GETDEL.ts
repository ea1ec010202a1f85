/** GETDEL key: the value, and the key is deleted. */
import type { Context } from './context.js';
import { readTyped } from './_util.js';

export function handler(c: Context, argv: Buffer[]): void {
  const v = readTyped(c, argv[1]!, 'string');
  if (v === null) return c.reply.nullBulk();
  c.reply.bulk(v.buf);
  c.db.delete(argv[1]!);
}
