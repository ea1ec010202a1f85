/** MULTI: start queueing (multiCommand, multi.c). */
import { sessionOf, type Context } from './context.js';
import { ReplyError } from './errors.js';

export function handler(c: Context): void {
  const s = sessionOf(c);
  if (s.multi !== null) throw new ReplyError('ERR MULTI calls can not be nested');
  s.multi = [];
  s.multiError = false;
  c.reply.ok();
}
