/** PERSIST key */
import type { Client } from '../client.js';

export function handler(c: Client, argv: Buffer[]): void {
  const id = c.db.find(argv[1]!);
  if (id < 0 || c.db.ks.expireOf(id) < 0) return c.w.int(0);
  c.db.setExpire(id, -1);
  c.w.int(1);
}
