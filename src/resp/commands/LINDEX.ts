/** LINDEX key index */
import type { Client } from '../client.js';
import { readTyped, argInt } from './_util.js';

export function handler(c: Client, argv: Buffer[]): void {
  const index = argInt(argv[2]!);
  const v = readTyped(c, argv[1]!, 'list');
  if (v === null) return c.w.nullBulk();
  const i = index < 0 ? v.length + index : index;
  const e = v.items.get(i);
  if (e === undefined) c.w.nullBulk();
  else c.w.bulk(e);
}
