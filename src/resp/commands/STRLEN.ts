/** STRLEN key: from the key record (no value read). */
import type { Client } from '../client.js';
import { ReplyError, ERR } from '../errors.js';
import { lookupRead } from './_util.js';

export function handler(c: Client, argv: Buffer[]): void {
  const id = lookupRead(c, argv[1]!);
  if (id < 0) return c.w.int(0);
  if (c.db.typeOf(id) !== 'string') throw new ReplyError(ERR.WRONGTYPE);
  c.w.int(c.db.ks.lengthOf(id));
}
