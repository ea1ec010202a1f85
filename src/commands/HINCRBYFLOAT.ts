/** HINCRBYFLOAT key field increment (long double arithmetic, as on x86-64) */
import type { Context } from './context.js';
import * as apply from '../engine/apply.js';

export function handler(c: Context, argv: Buffer[]): void {
  c.reply.bulk(apply.hashIncrByFloat(c.db, argv[1]!, argv[2]!, argv[3]!));
}
