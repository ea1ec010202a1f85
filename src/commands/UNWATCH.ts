/** UNWATCH (unwatchCommand, multi.c). */
import { sessionOf, type Context } from './context.js';
import { unwatchAll } from './_multi.js';

export function handler(c: Context): void {
  unwatchAll(c, sessionOf(c));
  c.reply.ok();
}
