/** HGET key field */
import type { Client } from '../client.js';
import { readTyped } from './_util.js';

export function handler(c: Client, argv: Buffer[]): void {
  const v = readTyped(c, argv[1]!, 'hash');
  const e = v?.get(argv[2]!);
  if (e === undefined) c.w.nullBulk();
  else c.w.bulk(e);
}
