/**
 * BGSAVE [SCHEDULE] (bgsaveCommand, rdb.c 7.0): the snapshot taken now, written to
 * dir/dbfilename in the background (src/instance/save.ts). Inside EXEC it is scheduled: it
 * starts once the transaction is over, as serverCron starts a scheduled one.
 */
import type { Context } from './context.js';
import { ReplyError, ERR } from './errors.js';
import { is } from './_util.js';
import { rdbSaveBackground } from '../instance/save.js';

export function handler(c: Context, argv: Buffer[]): void {
  if (argv.length > 1 && !(argv.length === 2 && is(argv[1]!, 'SCHEDULE'))) throw new ReplyError(ERR.SYNTAX);
  const inst = c.instance;
  if (inst.persistence.bgsave) throw new ReplyError('ERR Background save already in progress');
  if (c.caller === 'transaction') {
    setImmediate(() => {
      if (!inst.persistence.bgsave) rdbSaveBackground(inst);
    });
    return c.reply.simple('Background saving scheduled');
  }
  if (rdbSaveBackground(inst)) c.reply.simple('Background saving started');
  else c.reply.error('ERR');
}
