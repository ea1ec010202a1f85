/** BRPOPLPUSH source destination timeout (brpoplpushCommand, t_list.c 7.0). */
import type { Context } from './context.js';
import { blmove } from './_blist.js';
import { parseTimeout } from './_blocking.js';

export function handler(c: Context, argv: Buffer[]): void {
  const timeout = parseTimeout(argv[3]!);
  blmove(c, argv, argv[1]!, argv[2]!, true, false, timeout);
}
