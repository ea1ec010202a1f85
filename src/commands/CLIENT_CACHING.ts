/** CLIENT CACHING YES|NO (networking.c 7.0) */
import { sessionOf, type Context } from './context.js';
import { ReplyError } from './errors.js';
import { is } from './_util.js';

export function handler(c: Context, argv: Buffer[]): void {
  const t = sessionOf(c).tracking;
  if (t === null || (!t.optin && !t.optout)) throw new ReplyError('ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled');
  if (is(argv[2]!, 'YES')) {
    if (!t.optin) throw new ReplyError('ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.');
  } else if (is(argv[2]!, 'NO')) {
    if (!t.optout) throw new ReplyError('ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.');
  } else throw new ReplyError('ERR syntax error');
  // for the next command (or transaction): dispatch clears it after any other command
  t.caching = true;
  c.reply.ok();
}
