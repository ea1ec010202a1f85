/** ECHO message */
import type { Context } from './context.js';

export function handler(c: Context, argv: Buffer[]): void {
  c.reply.bulk(argv[1]!);
}
