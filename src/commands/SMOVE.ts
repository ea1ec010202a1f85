/** SMOVE source destination member: 1 when moved. */
import type { Context } from './context.js';
import * as apply from '../engine/apply.js';

export function handler(c: Context, argv: Buffer[]): void {
  c.reply.int(apply.setMove(c.db, argv[1]!, argv[2]!, argv[3]!));
}
