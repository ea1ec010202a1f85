/** CLIENT REPLY ON|OFF|SKIP (networking.c): OFF and SKIP answer nothing. */
import { sessionOf, type Context } from './context.js';
import { ReplyError, ERR } from './errors.js';
import { is } from './_util.js';

export function handler(c: Context, argv: Buffer[]): void {
  const s = sessionOf(c);
  if (is(argv[2]!, 'ON')) {
    s.replyOff = false;
    s.skipNext = false;
    s.skip = false;
    c.reply.ok();
  } else if (is(argv[2]!, 'OFF')) {
    s.replyOff = true;
    s.skip = true;
  } else if (is(argv[2]!, 'SKIP')) {
    if (!s.replyOff) s.skipNext = true;
    s.skip = true;
  } else throw new ReplyError(ERR.SYNTAX);
}
