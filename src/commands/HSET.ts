/** HSET key field value [field value ...]: how many fields were added. */
import type { Context } from './context.js';
import { hashSet } from '../engine/types/hash.js';
import { wrongArgs } from './errors.js';

export function handler(c: Context, argv: Buffer[]): void {
  if (argv.length % 2 === 1) throw wrongArgs('hset');
  c.reply.int(hashSet(c.db, argv[1]!, argv, 2));
}
