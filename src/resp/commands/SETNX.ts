/** SETNX key value */
import type { Client } from '../client.js';
import * as apply from '../../engine/apply.js';

export function handler(c: Client, argv: Buffer[]): void {
  if (c.db.find(argv[1]!) >= 0) return c.w.int(0);
  apply.setString(c.db, argv[1]!, argv[2]!);
  c.w.int(1);
}
