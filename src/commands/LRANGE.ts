/** LRANGE key start stop */
import type { Context } from './context.js';
import { readTyped, clampRange, argInt } from './_util.js';

export function handler(c: Context, argv: Buffer[]): void {
  const start = argInt(argv[2]!);
  const stop = argInt(argv[3]!);
  const v = readTyped(c, argv[1]!, 'list');
  if (v === null) return c.reply.array(0);
  const r = clampRange(start, stop, v.length);
  if (r === null) return c.reply.array(0);
  c.reply.array(r[1] - r[0] + 1);
  for (let i = r[0]; i <= r[1]; i++) c.reply.bulk(v.items.get(i)!);
}
