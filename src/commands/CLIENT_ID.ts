/** CLIENT ID */
import { connOf, type Context } from './context.js';

export function handler(c: Context): void {
  c.reply.int(connOf(c).id);
}
