/** OBJECT IDLETIME key: the idle time in the dump plus the time served; 0 for keys written live. */
import type { Client } from '../client.js';

export function handler(c: Client, argv: Buffer[]): void {
  const id = c.db.find(argv[2]!);
  if (id < 0) return c.w.nullBulk();
  const idle = c.db.ks.idleOf(id);
  if (idle < 0 || c.db.isHeld(id)) return c.w.int(0);
  c.w.int(idle + Math.floor((Date.now() - c.server.startedAt) / 1000));
}
