/** QUIT: +OK, then the connection closes. */
import type { Client } from '../client.js';

export function handler(c: Client): void {
  c.w.ok();
  c.closeAfterReply = true;
}
