/** HMSET key field value [field value ...] */
import type { Client } from '../client.js';
import * as apply from '../../engine/apply.js';
import { wrongArgs } from '../errors.js';

export function handler(c: Client, argv: Buffer[]): void {
  if (argv.length % 2 === 1) throw wrongArgs('hmset');
  apply.hashSet(c.db, argv[1]!, argv, 2);
  c.w.ok();
}
