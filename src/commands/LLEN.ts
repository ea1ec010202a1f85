/** LLEN key: from the key record (no value read). */
import type { Context } from './context.js';
import { ReplyError, ERR } from './errors.js';
import { lookupRead } from './_util.js';

export function handler(c: Context, argv: Buffer[]): void {
  const id = lookupRead(c, argv[1]!);
  if (id < 0) return c.reply.int(0);
  if (c.db.typeOf(id) !== 'list') throw new ReplyError(ERR.WRONGTYPE);
  c.reply.int(c.db.ks.lengthOf(id));
}
