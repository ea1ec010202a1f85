/** SCRIPT FLUSH [ASYNC|SYNC]: a new EVAL state, an empty cache (scriptCommand, eval.c) */
import type { Context } from './context.js';
import { ReplyError } from './errors.js';
import { is } from './_util.js';

export function handler(c: Context, argv: Buffer[]): void {
  if (argv.length > 3 || (argv.length === 3 && !is(argv[2]!, 'SYNC') && !is(argv[2]!, 'ASYNC'))) {
    throw new ReplyError('ERR SCRIPT FLUSH only support SYNC|ASYNC option');
  }
  const s = c.instance.scripting;
  s.scripts.flush();
  s.engine.reset('eval');
  c.reply.ok();
}
