/** SLOWLOG LEN */
import type { Context } from './context.js';

export function handler(c: Context): void {
  c.reply.int(c.instance.observe.slowlog.entries.length);
}
