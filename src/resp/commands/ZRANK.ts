/** ZRANK key member */
import type { Client } from '../client.js';
import { readTyped } from './_util.js';
import { latin1Key } from '../../engine/values.js';

export function handler(c: Client, argv: Buffer[]): void {
  const v = readTyped(c, argv[1]!, 'zset');
  const r = v ? v.rank(latin1Key(argv[2]!)) : -1;
  if (r < 0) c.w.nullBulk();
  else c.w.int(r);
}
