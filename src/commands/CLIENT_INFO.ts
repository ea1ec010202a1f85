/** CLIENT INFO */
import { connOf, type Context } from './context.js';

export function handler(c: Context): void {
  c.reply.verbatim(connOf(c).info() + '\n');
}
