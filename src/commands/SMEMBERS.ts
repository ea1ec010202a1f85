/** SMEMBERS key: a set in RESP3 (intsets in ascending order). */
import type { Context } from './context.js';
import { readTyped } from './_util.js';
import { bytesOf } from '../engine/types/generic.js';

export function handler(c: Context, argv: Buffer[]): void {
  const v = readTyped(c, argv[1]!, 'set');
  if (v === null) return c.reply.set(0);
  const m = v.members();
  c.reply.set(m.length);
  for (const k of m) c.reply.bulk(bytesOf(k));
}
