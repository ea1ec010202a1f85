/** CONFIG SET parameter value [parameter value ...] (configSetCommand, config.c 7.0: all or nothing). */
import type { Context } from './context.js';
import { ReplyError, ERR } from './errors.js';
import { ConfigSetError } from '../instance/settings.js';

export function handler(c: Context, argv: Buffer[]): void {
  if (argv.length % 2 !== 0) throw new ReplyError(ERR.SYNTAX);
  const pairs: [string, string][] = [];
  for (let i = 2; i < argv.length; i += 2) pairs.push([argv[i]!.latin1Slice(0, argv[i]!.length), argv[i + 1]!.toString('latin1')]);
  try {
    c.instance.settings.setAll(pairs);
  } catch (e) {
    if (e instanceof ConfigSetError) throw new ReplyError(e.message);
    throw e;
  }
  c.reply.ok();
}
