/** ZSCORE key member */
import type { Client } from '../client.js';
import { readTyped } from './_util.js';

export function handler(c: Client, argv: Buffer[]): void {
  const v = readTyped(c, argv[1]!, 'zset');
  const s = v?.score(argv[2]!);
  if (s === undefined) c.w.nullBulk();
  else c.w.double(s);
}
