/** HDEL key field [field ...] */
import type { Client } from '../client.js';
import * as apply from '../../engine/apply.js';

export function handler(c: Client, argv: Buffer[]): void {
  c.w.int(apply.hashDel(c.db, argv[1]!, argv, 2));
}
