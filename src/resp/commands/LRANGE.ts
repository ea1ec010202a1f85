/** LRANGE key start stop */
import type { Client } from '../client.js';
import { readTyped, clampRange, argInt } from './_util.js';

export function handler(c: Client, argv: Buffer[]): void {
  const start = argInt(argv[2]!);
  const stop = argInt(argv[3]!);
  const v = readTyped(c, argv[1]!, 'list');
  if (v === null) return c.w.array(0);
  const r = clampRange(start, stop, v.length);
  if (r === null) return c.w.array(0);
  c.w.array(r[1] - r[0] + 1);
  for (let i = r[0]; i <= r[1]; i++) c.w.bulk(v.items.get(i)!);
}
