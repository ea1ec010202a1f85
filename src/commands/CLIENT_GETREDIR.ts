/** CLIENT GETREDIR: -1 without tracking, else the redirect id (0: none). */
import { sessionOf, type Context } from './context.js';

export function handler(c: Context): void {
  const t = sessionOf(c).tracking;
  c.reply.int(t === null ? -1 : t.redirect);
}
