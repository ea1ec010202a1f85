/** DEL key [key ...]: how many were deleted. */
import type { Client } from '../client.js';

export function handler(c: Client, argv: Buffer[]): void {
  let n = 0;
  for (let i = 1; i < argv.length; i++) if (c.db.delete(argv[i]!)) n++;
  c.w.int(n);
}
