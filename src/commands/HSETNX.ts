/** HSETNX key field value: 1 when the field was set. */
import type { Context } from './context.js';
import { hashSetNx } from '../engine/types/hash.js';

export function handler(c: Context, argv: Buffer[]): void {
  c.reply.int(hashSetNx(c.db, argv[1]!, argv, 2));
}
