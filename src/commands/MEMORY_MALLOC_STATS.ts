/** MEMORY MALLOC-STATS */
import type { Context } from './context.js';

export function handler(c: Context): void {
  c.reply.bulkStr('Stats not supported for the current allocator');
}
