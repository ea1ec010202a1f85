/** RPOPLPUSH source destination (LMOVE source destination RIGHT LEFT) */
import type { Context } from './context.js';
import * as apply from '../engine/apply.js';

export function handler(c: Context, argv: Buffer[]): void {
  const e = apply.listMove(c.db, argv[1]!, argv[2]!, true, false);
  if (e === null) c.reply.nullBulk();
  else c.reply.bulk(e);
}
