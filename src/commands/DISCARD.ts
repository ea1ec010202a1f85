/** DISCARD: drop the queue and the watched keys (discardCommand, multi.c). */
import { sessionOf, type Context } from './context.js';
import { ReplyError } from './errors.js';
import { discardTransaction } from './_multi.js';

export function handler(c: Context): void {
  const s = sessionOf(c);
  if (s.multi === null) throw new ReplyError('ERR DISCARD without MULTI');
  discardTransaction(c, s);
  c.reply.ok();
}
