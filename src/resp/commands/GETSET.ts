/** GETSET key value: the old value; the TTL is dropped. */
import type { Client } from '../client.js';
import * as apply from '../../engine/apply.js';
import { readTyped } from './_util.js';

export function handler(c: Client, argv: Buffer[]): void {
  const old = readTyped(c, argv[1]!, 'string');
  if (old === null) c.w.nullBulk();
  else c.w.bulk(old.buf);
  apply.setString(c.db, argv[1]!, argv[2]!);
}
