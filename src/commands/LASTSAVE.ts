/** LASTSAVE: server.lastsave (the start, or the last SAVE) */
import type { Context } from './context.js';

export function handler(c: Context): void {
  c.reply.int(c.instance.lastSave);
}
