/** HSTRLEN key field (hstrlenCommand, t_hash.c 7.0) */
import type { Context } from './context.js';
import { readTyped } from './_util.js';

export function handler(c: Context, argv: Buffer[]): void {
  const v = readTyped(c, argv[1]!, 'hash');
  const val = v === null ? undefined : v.get(argv[2]!);
  c.reply.int(val === undefined ? 0 : val.length);
}
