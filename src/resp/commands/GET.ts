/** GET key */
import type { Client } from '../client.js';
import { readTyped } from './_util.js';

export function handler(c: Client, argv: Buffer[]): void {
  const v = readTyped(c, argv[1]!, 'string');
  if (v === null) c.w.nullBulk();
  else c.w.bulk(v.buf);
}
