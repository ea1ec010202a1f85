/** RESET: back to a fresh connection (db 0, RESP2, no name, not authenticated when a password is set). */
import type { Client } from '../client.js';

export function handler(c: Client): void {
  c.dbIndex = 0;
  c.db = c.server.dbs[0]!;
  c.resp = 2;
  c.w.resp = 2;
  c.name = '';
  c.setAuthenticated(c.server.options.requirepass === undefined);
  c.w.simple('RESET');
}
