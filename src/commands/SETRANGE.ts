/** SETRANGE key offset value: the new length (setrangeCommand, t_string.c) */
import type { Context } from './context.js';
import { setRange } from '../engine/types/string.js';
import { ReplyError } from './errors.js';
import { argInt } from './_util.js';

export function handler(c: Context, argv: Buffer[]): void {
  const offset = argInt(argv[2]!);
  if (offset < 0) throw new ReplyError('ERR offset is out of range');
  c.reply.int(setRange(c.db, argv[1]!, offset, argv[3]!, c.instance.limits.maxBulkLen));
}
