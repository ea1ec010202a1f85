/** MOVE key db: 1 when moved (with its TTL) (moveCommand, db.c 7.0) */
import type { Context } from './context.js';
import { moveKey } from '../engine/types/generic.js';
import { ReplyError } from './errors.js';
import { argDb } from './_db-arg.js';

export function handler(c: Context, argv: Buffer[]): void {
  const dst = argDb(c, argv[2]!).db;
  if (dst === c.db) throw new ReplyError('ERR source and destination objects are the same');
  c.reply.int(moveKey(c.db, dst, argv[1]!));
}
