/** GETRANGE key start end (getrangeCommand, t_string.c 7.0); SUBSTR is the same command. */
import type { Context } from './context.js';
import { argBigInt, readTyped } from './_util.js';

export function handler(c: Context, argv: Buffer[]): void {
  // int64 arguments (a double keeps their order and sign, which is all the clamping needs)
  let start = Number(argBigInt(argv[2]!));
  let end = Number(argBigInt(argv[3]!));
  const v = readTyped(c, argv[1]!, 'string');
  if (v === null) return c.reply.bulk(EMPTY);
  const s = v.buf; // an int-encoded value holds its decimal text, as ll2string gives it
  const len = s.length;
  if (start < 0 && end < 0 && start > end) return c.reply.bulk(EMPTY);
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= len) end = len - 1;
  if (start > end || len === 0) return c.reply.bulk(EMPTY);
  c.reply.bulk(s.subarray(start, end + 1));
}

const EMPTY = Buffer.alloc(0);
