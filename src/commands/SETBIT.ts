/** SETBIT key offset 0|1: the bit's previous value (setbitCommand, bitops.c) */
import type { Context } from './context.js';
import { setBit } from '../engine/types/string.js';
import { ReplyError } from './errors.js';
import { parseLongLong } from '../protocol/decoder.js';

export function handler(c: Context, argv: Buffer[]): void {
  const off = parseLongLong(argv[2]!, 0, argv[2]!.length);
  // getBitOffsetFromArgument: 0 .. proto-max-bulk-len * 8 - 1
  if (off === null || off < 0 || Math.floor(off / 8) >= c.instance.limits.maxBulkLen) throw new ReplyError('ERR bit offset is not an integer or out of range');
  const a = argv[3]!;
  if (a.length !== 1 || (a[0] !== 0x30 && a[0] !== 0x31)) throw new ReplyError('ERR bit is not an integer or out of range');
  const id = c.db.find(argv[1]!);
  if (id >= 0 && c.db.typeOf(id) !== 'string') throw new ReplyError('WRONGTYPE Operation against a key holding the wrong kind of value');
  c.reply.int(setBit(c.db, argv[1]!, off, a[0] === 0x31));
}
