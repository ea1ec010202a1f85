/** GETDEL key: the value, and the key is deleted. */
import type { Client } from '../client.js';
import { readTyped } from './_util.js';

export function handler(c: Client, argv: Buffer[]): void {
  const v = readTyped(c, argv[1]!, 'string');
  if (v === null) return c.w.nullBulk();
  c.w.bulk(v.buf);
  c.db.delete(argv[1]!);
}
