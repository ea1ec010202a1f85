/** MSET key value [key value ...] */
import type { Client } from '../client.js';
import * as apply from '../../engine/apply.js';
import { wrongArgs } from '../errors.js';

export function handler(c: Client, argv: Buffer[]): void {
  if (argv.length % 2 === 0) throw wrongArgs('mset');
  for (let i = 1; i < argv.length; i += 2) apply.setString(c.db, argv[i]!, argv[i + 1]!);
  c.w.ok();
}
