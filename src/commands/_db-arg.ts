/** A database index argument (getIntFromObjectOrReply, then selectDb's range check). */
import type { Context } from './context.js';
import type { Database } from '../engine/database.js';
import { ReplyError, ERR } from './errors.js';
import { parseLongLong } from '../protocol/decoder.js';

export function argDb(c: Context, b: Buffer, notInt: string = ERR.NOT_INTEGER): { index: number; db: Database } {
  const v = parseLongLong(b, 0, b.length);
  if (v === null || v < -2147483648 || v > 2147483647) throw new ReplyError(notInt);
  const db = c.instance.dbs[v];
  if (v < 0 || db === undefined) throw new ReplyError(ERR.DB_RANGE);
  return { index: v, db };
}
