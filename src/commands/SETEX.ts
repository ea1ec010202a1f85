/** SETEX key ttl value */
import type { Context } from './context.js';
import { setString } from '../engine/types/string.js';
import { argsFromQuery } from './_util.js';
import { expireTime } from './SET.js';

export function handler(c: Context, argv: Buffer[]): void {
  const when = expireTime(argv[2]!, 1000, c.db.shared.now(), 'setex');
  const id = setString(c.db, argv[1]!, argv[3]!, false, argsFromQuery(c));
  c.db.setExpire(id, when); // as SET: setGenericCommand's setExpire
  c.reply.ok();
}
