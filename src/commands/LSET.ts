/** LSET key index element */
import type { Context } from './context.js';
import { listSet } from '../engine/types/list.js';
import { argInt } from './_util.js';
import { ReplyError, ERR } from './errors.js';

export function handler(c: Context, argv: Buffer[]): void {
  // the key is looked up before the index is parsed
  const id = c.db.find(argv[1]!);
  if (id < 0) throw new ReplyError(ERR.NOKEY);
  if (c.db.typeOf(id) !== 'list') throw new ReplyError(ERR.WRONGTYPE);
  const index = argInt(argv[2]!);
  listSet(c.db, argv[1]!, index, argv[3]!);
  c.reply.ok();
}
