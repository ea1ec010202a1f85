/** RESET: back to a fresh connection (db 0, RESP2, no name, not authenticated when a password is set). */
import { connOf, type Context } from './context.js';

export function handler(c: Context): void {
  const conn = connOf(c);
  c.dbIndex = 0;
  c.resp = 2;
  c.reply.resp = 2;
  conn.name = '';
  conn.setAuthenticated(c.instance.options.requirepass === undefined);
  c.reply.simple('RESET');
}
