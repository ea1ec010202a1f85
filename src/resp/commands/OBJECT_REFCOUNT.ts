/** OBJECT REFCOUNT key */
import type { Client } from '../client.js';

export function handler(c: Client, argv: Buffer[]): void {
  const id = c.db.find(argv[2]!);
  if (id < 0) return c.w.nullBulk();
  c.w.int(1);
}
