/** HSETNX key field value: 1 when the field was set. */
import type { Client } from '../client.js';
import * as apply from '../../engine/apply.js';

export function handler(c: Client, argv: Buffer[]): void {
  c.w.int(apply.hashSetNx(c.db, argv[1]!, argv, 2));
}
