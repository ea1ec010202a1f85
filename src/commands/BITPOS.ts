/** BITPOS key bit [start [end [BYTE|BIT]]] (bitposCommand, bitops.c 7.0) */
import type { Context } from './context.js';
import { bitpos } from '../engine/bitops.js';
import { readTyped } from './_util.js';

export function handler(c: Context, argv: Buffer[]): void {
  const args = argv.slice(3);
  // the bit argument is checked before the lookup (bitpos over a missing key throws on it)
  const missing = bitpos(null, argv[2]!, args);
  const v = readTyped(c, argv[1]!, 'string');
  c.reply.int(v === null ? missing : bitpos(v.buf, argv[2]!, args));
}
