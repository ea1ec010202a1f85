/** FLUSHDB [ASYNC|SYNC] */
import type { Context } from './context.js';
import { ReplyError, ERR } from './errors.js';
import { is } from './_util.js';

export function handler(c: Context, argv: Buffer[]): void {
  if (argv.length > 2 || (argv.length === 2 && !is(argv[1]!, 'ASYNC') && !is(argv[1]!, 'SYNC'))) throw new ReplyError(ERR.SYNTAX);
  // emptyData: trackingInvalidateKeysOnFlush
  c.instance.tracking.flush(() => c.db.flush());
  c.reply.ok();
}
