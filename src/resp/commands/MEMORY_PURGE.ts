/** MEMORY PURGE: nothing to purge in a model. */
import type { Client } from '../client.js';

export function handler(c: Client): void {
  c.w.ok();
}
