/** HMGET key field [field ...] */
import type { Client } from '../client.js';
import { readTyped } from './_util.js';

export function handler(c: Client, argv: Buffer[]): void {
  const v = readTyped(c, argv[1]!, 'hash');
  c.w.array(argv.length - 2);
  for (let i = 2; i < argv.length; i++) {
    const e = v?.get(argv[i]!);
    if (e === undefined) c.w.nullBulk();
    else c.w.bulk(e);
  }
}
