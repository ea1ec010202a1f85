/** GETBIT key offset (getbitCommand, bitops.c 7.0) */
import type { Context } from './context.js';
import { getbit, parseBitOffset } from '../engine/bitops.js';
import { readTyped } from './_util.js';

export function handler(c: Context, argv: Buffer[]): void {
  const off = parseBitOffset(argv[2]!, false, 0, c.instance.limits.maxBulkLen, c.caller === 'primary');
  const v = readTyped(c, argv[1]!, 'string');
  c.reply.int(v === null ? 0 : getbit(v.buf, off));
}
