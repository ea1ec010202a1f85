/** LTRIM key start stop */
import type { Context } from './context.js';
import { listTrim } from '../engine/types/list.js';
import { argInt } from './_util.js';

export function handler(c: Context, argv: Buffer[]): void {
  const start = argInt(argv[2]!);
  const stop = argInt(argv[3]!);
  listTrim(c.db, argv[1]!, start, stop);
  c.reply.ok();
}
