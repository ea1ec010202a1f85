/** RPOPLPUSH source destination (LMOVE source destination RIGHT LEFT) */
import type { Client } from '../client.js';
import * as apply from '../../engine/apply.js';

export function handler(c: Client, argv: Buffer[]): void {
  const e = apply.listMove(c.db, argv[1]!, argv[2]!, true, false);
  if (e === null) c.w.nullBulk();
  else c.w.bulk(e);
}
