/** LINDEX key index */
import type { Context } from './context.js';
import { readTyped, argInt } from './_util.js';

export function handler(c: Context, argv: Buffer[]): void {
  const index = argInt(argv[2]!);
  const v = readTyped(c, argv[1]!, 'list');
  if (v === null) return c.reply.nullBulk();
  const i = index < 0 ? v.length + index : index;
  const e = v.items.get(i);
  if (e === undefined) c.reply.nullBulk();
  else c.reply.bulk(e);
}
