/** APPEND key value: the new length. */
import type { Context } from './context.js';
import * as apply from '../engine/apply.js';
import { argsFromQuery } from './_util.js';

export function handler(c: Context, argv: Buffer[]): void {
  c.reply.int(apply.append(c.db, argv[1]!, argv[2]!, c.instance.limits.maxBulkLen, argsFromQuery(c)));
}
