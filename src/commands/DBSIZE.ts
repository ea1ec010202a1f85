/** DBSIZE */
import type { Context } from './context.js';

export function handler(c: Context): void {
  c.reply.int(c.db.size);
}
