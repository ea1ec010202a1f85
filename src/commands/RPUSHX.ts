/** RPUSHX key element [element ...]: the new length, 0 when the key is absent. */
import type { Context } from './context.js';
import { listPush } from '../engine/types/list.js';

export function handler(c: Context, argv: Buffer[]): void {
  c.reply.int(listPush(c.db, argv[1]!, argv, 2, true, false));
}
