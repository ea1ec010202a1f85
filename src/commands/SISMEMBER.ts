/** SISMEMBER key member */
import type { Context } from './context.js';
import { readTyped } from './_util.js';

export function handler(c: Context, argv: Buffer[]): void {
  const v = readTyped(c, argv[1]!, 'set');
  c.reply.int(v !== null && v.has(argv[2]!) ? 1 : 0);
}
