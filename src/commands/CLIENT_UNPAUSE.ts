/** CLIENT UNPAUSE */
import type { Context } from './context.js';

export function handler(c: Context): void {
  c.instance.unpause();
  c.reply.ok();
}
