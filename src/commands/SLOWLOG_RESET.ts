/** SLOWLOG RESET */
import type { Context } from './context.js';

export function handler(c: Context): void {
  c.instance.observe.slowlog.entries = [];
  c.reply.ok();
}
