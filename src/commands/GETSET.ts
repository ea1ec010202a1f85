/** GETSET key value: the old value; the TTL is dropped. */
import type { Context } from './context.js';
import * as apply from '../engine/apply.js';
import { argsFromQuery, readTyped } from './_util.js';

export function handler(c: Context, argv: Buffer[]): void {
  const old = readTyped(c, argv[1]!, 'string');
  if (old === null) c.reply.nullBulk();
  else c.reply.bulk(old.buf);
  apply.setString(c.db, argv[1]!, argv[2]!, false, argsFromQuery(c));
}
