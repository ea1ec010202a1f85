/** PEXPIRETIME key: -2 without the key, -1 without a TTL. */
import type { Context } from './context.js';
import { lookupRead } from './_util.js';

export function handler(c: Context, argv: Buffer[]): void {
  const id = lookupRead(c, argv[1]!, true);
  if (id < 0) return c.reply.int(-2);
  const at = c.db.ks.expireOf(id);
  if (at < 0) return c.reply.int(-1);
  c.reply.int(at);
}
