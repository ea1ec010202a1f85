/** HINCRBYFLOAT key field increment (long double arithmetic, as on x86-64) */
import type { Context } from './context.js';
import { hashIncrByFloat } from '../engine/types/hash.js';

export function handler(c: Context, argv: Buffer[]): void {
  c.reply.bulk(hashIncrByFloat(c.db, argv[1]!, argv[2]!, argv[3]!));
}
