/** CLIENT GETNAME */
import { connOf, type Context } from './context.js';

export function handler(c: Context): void {
  if (connOf(c).name === '') c.reply.nullBulk();
  else c.reply.bulkStr(connOf(c).name);
}
