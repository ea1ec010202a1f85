/** SMISMEMBER key member [member ...] (smismemberCommand, t_set.c 7.0) */
import type { Context } from './context.js';
import { readTyped } from './_util.js';

export function handler(c: Context, argv: Buffer[]): void {
  const v = readTyped(c, argv[1]!, 'set');
  c.reply.array(argv.length - 2);
  for (let j = 2; j < argv.length; j++) c.reply.int(v !== null && v.has(argv[j]!) ? 1 : 0);
}
