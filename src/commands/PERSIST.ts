/** PERSIST key */
import type { Context } from './context.js';

export function handler(c: Context, argv: Buffer[]): void {
  const id = c.db.find(argv[1]!);
  if (id < 0 || c.db.ks.expireOf(id) < 0) return c.reply.int(0);
  c.db.setExpire(id, -1);
  c.reply.int(1);
}
