/** SDIFF key [key ...] (sunionDiffGenericCommand, t_set.c 7.0) */
import type { Context } from './context.js';
import { setUnionDiffOf } from '../engine/types/set.js';
import { readSets, replySet } from './_setread.js';

export function handler(c: Context, argv: Buffer[]): void {
  replySet(c, setUnionDiffOf(readSets(c, argv.slice(1)), c.db.shared.env, true));
}
