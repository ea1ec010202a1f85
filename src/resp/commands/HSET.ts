/** HSET key field value [field value ...]: how many fields were added. */
import type { Client } from '../client.js';
import * as apply from '../../engine/apply.js';
import { wrongArgs } from '../errors.js';

export function handler(c: Client, argv: Buffer[]): void {
  if (argv.length % 2 === 1) throw wrongArgs('hset');
  c.w.int(apply.hashSet(c.db, argv[1]!, argv, 2));
}
