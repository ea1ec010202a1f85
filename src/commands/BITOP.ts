/** BITOP AND|OR|XOR|NOT destkey key [key ...] (bitopCommand, bitops.c 7.0) */
import type { Context } from './context.js';
import { bitop, BitopsError, ERR_BITOP_NOT, parseBitop } from '../engine/bitops.js';
import { StringValue } from '../engine/types/string.js';
import { readTyped } from './_util.js';

export function handler(c: Context, argv: Buffer[]): void {
  const op = parseBitop(argv[1]!);
  if (op === 'not' && argv.length !== 4) throw new BitopsError(ERR_BITOP_NOT);
  const srcs: (Buffer | null)[] = [];
  for (let i = 3; i < argv.length; i++) {
    const v = readTyped(c, argv[i]!, 'string');
    srcs.push(v === null ? null : v.buf);
  }
  const res = bitop(op, srcs);
  const db = c.db;
  // the result is a fresh sdsnewlen(maxlen) stored by setKey (TTL dropped); empty: dbDelete
  if (res.length > 0) db.setValue(argv[2]!, StringValue.raw(res, db.shared.env));
  else db.delete(argv[2]!);
  c.reply.int(res.length);
}
