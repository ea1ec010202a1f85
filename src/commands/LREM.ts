/** LREM key count element: how many were removed (from the tail when count < 0). */
import type { Context } from './context.js';
import { listRemove } from '../engine/types/list.js';
import { argInt } from './_util.js';

export function handler(c: Context, argv: Buffer[]): void {
  const count = argInt(argv[2]!);
  c.reply.int(listRemove(c.db, argv[1]!, count, argv[3]!));
}
