/** SAVE (saveCommand, rdb.c 7.0): the keyspace written to dir/dbfilename now (src/instance/save.ts) */
import type { Context } from './context.js';
import { ReplyError } from './errors.js';
import { rdbSave } from '../instance/save.js';

export function handler(c: Context): void {
  if (c.instance.persistence.bgsave) throw new ReplyError('ERR Background save already in progress');
  if (rdbSave(c.instance)) c.reply.ok();
  else c.reply.error('ERR');
}
