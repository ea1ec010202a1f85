/** MEMORY PURGE: nothing to purge in a model. */
import type { Context } from './context.js';

export function handler(c: Context): void {
  c.reply.ok();
}
