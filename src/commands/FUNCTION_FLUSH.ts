/** FUNCTION FLUSH [ASYNC|SYNC]: every library gone, a new functions VM */
import type { Context } from './context.js';
import { ReplyError } from './errors.js';
import { is } from './_util.js';

export function handler(c: Context, argv: Buffer[]): void {
  if (argv.length > 3) throw new ReplyError("ERR unknown subcommand or wrong number of arguments for 'flush'. Try FUNCTION HELP.");
  if (argv.length === 3 && !is(argv[2]!, 'SYNC') && !is(argv[2]!, 'ASYNC')) throw new ReplyError('ERR FUNCTION FLUSH only supports SYNC|ASYNC option');
  const s = c.instance.scripting;
  s.libraries.clear();
  s.forgetLibraries();
  s.engine.reset('functions');
  c.reply.ok();
}
