/** INCRBYFLOAT key increment (long double arithmetic, as on x86-64; the TTL is kept) */
import type { Context } from './context.js';
import { incrByFloat } from '../engine/types/string.js';

export function handler(c: Context, argv: Buffer[]): void {
  c.reply.bulk(incrByFloat(c.db, argv[1]!, argv[2]!));
}
