/** DBSIZE */
import type { Client } from '../client.js';

export function handler(c: Client): void {
  c.w.int(c.db.size);
}
