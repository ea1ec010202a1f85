/** HINCRBY key field increment */
import type { Context } from './context.js';
import { hashIncrBy } from '../engine/types/hash.js';
import { argBigInt } from './_util.js';

export function handler(c: Context, argv: Buffer[]): void {
  const v = hashIncrBy(c.db, argv[1]!, argv[2]!, argBigInt(argv[3]!));
  if (v >= -9007199254740991n && v <= 9007199254740991n) c.reply.int(Number(v));
  else c.reply.bigint(v);
}
