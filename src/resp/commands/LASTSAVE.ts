/** LASTSAVE: when the server started (nothing is ever saved). */
import type { Client } from '../client.js';

export function handler(c: Client): void {
  c.w.int(Math.floor(c.server.startedAt / 1000));
}
