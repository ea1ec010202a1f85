/** BITCOUNT key [start end [BYTE|BIT]] (bitcountCommand, bitops.c 7.0) */
import type { Context } from './context.js';
import { bitcount } from '../engine/bitops.js';
import { readTyped } from './_util.js';

export function handler(c: Context, argv: Buffer[]): void {
  // lookupKeyReadOrReply first: a missing key is 0 whatever the other arguments are
  const v = readTyped(c, argv[1]!, 'string');
  c.reply.int(v === null ? 0 : bitcount(v.buf, argv.slice(2)));
}
