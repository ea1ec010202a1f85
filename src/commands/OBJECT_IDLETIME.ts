/** OBJECT IDLETIME key: the idle time in the dump plus the time served; 0 for keys written live. */
import type { Context } from './context.js';

export function handler(c: Context, argv: Buffer[]): void {
  const id = c.db.find(argv[2]!);
  if (id < 0) return c.reply.nullBulk();
  const idle = c.db.ks.idleOf(id);
  if (idle < 0 || c.db.isHeld(id)) return c.reply.int(0);
  c.reply.int(idle + Math.floor((Date.now() - c.instance.startedAt) / 1000));
}
