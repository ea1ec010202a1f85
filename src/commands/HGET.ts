/** HGET key field */
import type { Context } from './context.js';
import { readTyped } from './_util.js';

export function handler(c: Context, argv: Buffer[]): void {
  const v = readTyped(c, argv[1]!, 'hash');
  const e = v?.get(argv[2]!);
  if (e === undefined) c.reply.nullBulk();
  else c.reply.bulk(e);
}
