/** GETSET key value: the old value; the TTL is dropped. */
import type { Context } from './context.js';
import { setString } from '../engine/types/string.js';
import { argsFromQuery, readTyped } from './_util.js';

export function handler(c: Context, argv: Buffer[]): void {
  const old = readTyped(c, argv[1]!, 'string');
  if (old === null) c.reply.nullBulk();
  else c.reply.bulk(old.buf);
  setString(c.db, argv[1]!, argv[2]!, false, argsFromQuery(c));
}
