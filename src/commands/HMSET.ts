/** HMSET key field value [field value ...] */
import type { Context } from './context.js';
import { hashSet } from '../engine/types/hash.js';
import { wrongArgs } from './errors.js';

export function handler(c: Context, argv: Buffer[]): void {
  if (argv.length % 2 === 1) throw wrongArgs('hmset');
  hashSet(c.db, argv[1]!, argv, 2);
  c.reply.ok();
}
