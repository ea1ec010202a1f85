/** LASTSAVE: when the server started (nothing is ever saved). */
import type { Context } from './context.js';

export function handler(c: Context): void {
  c.reply.int(Math.floor(c.instance.startedAt / 1000));
}
