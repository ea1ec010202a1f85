/** OBJECT REFCOUNT key */
import type { Context } from './context.js';

export function handler(c: Context, argv: Buffer[]): void {
  const id = c.db.find(argv[2]!);
  if (id < 0) return c.reply.nullBulk();
  c.reply.int(1);
}
