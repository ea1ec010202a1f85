/** RPOPLPUSH source destination (LMOVE source destination RIGHT LEFT) */
import type { Context } from './context.js';
import { listMove } from '../engine/types/list.js';

export function handler(c: Context, argv: Buffer[]): void {
  const e = listMove(c.db, argv[1]!, argv[2]!, true, false);
  if (e === null) c.reply.nullBulk();
  else c.reply.bulk(e);
}
