/** SMEMBERS key: a set in RESP3 (intsets in ascending order). */
import type { Client } from '../client.js';
import { readTyped } from './_util.js';
import { bytesOf } from '../../engine/values.js';

export function handler(c: Client, argv: Buffer[]): void {
  const v = readTyped(c, argv[1]!, 'set');
  if (v === null) return c.w.set(0);
  const m = v.members();
  c.w.set(m.length);
  for (const k of m) c.w.bulk(bytesOf(k));
}
