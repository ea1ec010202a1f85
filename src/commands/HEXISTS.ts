/** HEXISTS key field */
import type { Context } from './context.js';
import { readTyped } from './_util.js';

export function handler(c: Context, argv: Buffer[]): void {
  const v = readTyped(c, argv[1]!, 'hash');
  c.reply.int(v?.get(argv[2]!) === undefined ? 0 : 1);
}
