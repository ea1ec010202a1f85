/** QUIT: +OK, then the connection closes. */
import { connOf, type Context } from './context.js';

export function handler(c: Context): void {
  c.reply.ok();
  connOf(c).quit();
}
