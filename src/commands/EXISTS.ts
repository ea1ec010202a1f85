/** EXISTS key [key ...]: how many of them exist (repeats count). */
import type { Context } from './context.js';

export function handler(c: Context, argv: Buffer[]): void {
  let n = 0;
  // LOOKUP_NOTOUCH: the keys' access times are left as they are
  for (let i = 1; i < argv.length; i++) if (c.db.find(argv[i]!, true) >= 0) n++;
  c.reply.int(n);
}
