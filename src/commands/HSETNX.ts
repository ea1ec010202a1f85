/** HSETNX key field value: 1 when the field was set. */
import type { Context } from './context.js';
import * as apply from '../engine/apply.js';

export function handler(c: Context, argv: Buffer[]): void {
  c.reply.int(apply.hashSetNx(c.db, argv[1]!, argv, 2));
}
