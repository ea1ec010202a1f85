/** EXISTS key [key ...]: how many of them exist (repeats count). */
import type { Context } from './context.js';

export function handler(c: Context, argv: Buffer[]): void {
  let n = 0;
  for (let i = 1; i < argv.length; i++) if (c.db.find(argv[i]!) >= 0) n++;
  c.reply.int(n);
}
