/** CLIENT NO-EVICT ON|OFF */
import { sessionOf, type Context } from './context.js';
import { ReplyError, ERR } from './errors.js';
import { is } from './_util.js';

export function handler(c: Context, argv: Buffer[]): void {
  const s = sessionOf(c);
  if (is(argv[2]!, 'ON')) s.noEvict = true;
  else if (is(argv[2]!, 'OFF')) s.noEvict = false;
  else throw new ReplyError(ERR.SYNTAX);
  c.reply.ok();
}
