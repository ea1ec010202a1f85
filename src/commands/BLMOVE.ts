/** BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout (blmoveCommand, t_list.c 7.0). */
import type { Context } from './context.js';
import { blmove, listSide } from './_blist.js';
import { parseTimeout } from './_blocking.js';

export function handler(c: Context, argv: Buffer[]): void {
  const from = listSide(argv[3]!);
  const to = listSide(argv[4]!);
  const timeout = parseTimeout(argv[5]!);
  blmove(c, argv, argv[1]!, argv[2]!, from, to, timeout);
}
