/** APPEND key value: the new length. */
import type { Context } from './context.js';
import { append } from '../engine/types/string.js';
import { argsFromQuery } from './_util.js';

export function handler(c: Context, argv: Buffer[]): void {
  c.reply.int(append(c.db, argv[1]!, argv[2]!, c.instance.limits.maxBulkLen, argsFromQuery(c)));
}
