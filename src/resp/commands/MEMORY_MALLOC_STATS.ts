/** MEMORY MALLOC-STATS */
import type { Client } from '../client.js';

export function handler(c: Client): void {
  c.w.bulkStr('Stats not supported for the current allocator');
}
