/** FUNCTION DUMP: every library in a payload FUNCTION RESTORE (here or on Redis) reads */
import type { Context } from './context.js';

export function handler(c: Context): void {
  c.reply.bulk(c.instance.scripting.libraries.dump());
}
