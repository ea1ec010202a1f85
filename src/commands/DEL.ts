/** DEL key [key ...]: how many were deleted. */
import type { Context } from './context.js';

export function handler(c: Context, argv: Buffer[]): void {
  let n = 0;
  for (let i = 1; i < argv.length; i++) if (c.db.delete(argv[i]!)) n++;
  c.reply.int(n);
}
