/** A database index argument (getIntFromObjectOrReply, then selectDb's range check). */
import type { Client } from '../client.js';
import type { Database } from '../../engine/database.js';
import { ReplyError, ERR } from '../errors.js';
import { parseLongLong } from '../decoder.js';

export function argDb(c: Client, b: Buffer, notInt: string = ERR.NOT_INTEGER): { index: number; db: Database } {
  const v = parseLongLong(b, 0, b.length);
  if (v === null || v < -2147483648 || v > 2147483647) throw new ReplyError(notInt);
  const db = c.server.dbs[v];
  if (v < 0 || db === undefined) throw new ReplyError(ERR.DB_RANGE);
  return { index: v, db };
}
