/** SMOVE source destination member: 1 when moved. */
import type { Context } from './context.js';
import { setMove } from '../engine/types/set.js';

export function handler(c: Context, argv: Buffer[]): void {
  c.reply.int(setMove(c.db, argv[1]!, argv[2]!, argv[3]!));
}
