/** CLIENT LIST [TYPE normal] [ID id ...] */
import { connOf, type Context } from './context.js';
import { ReplyError, ERR } from './errors.js';
import { is, lower } from './_util.js';

export function handler(c: Context, argv: Buffer[]): void {
  let ids: Set<number> | null = null;
  for (let i = 2; i < argv.length; i++) {
    if (is(argv[i]!, 'TYPE') && i + 1 < argv.length) {
      const t = lower(argv[++i]!);
      if (!['normal', 'master', 'replica', 'slave', 'pubsub'].includes(t)) throw new ReplyError(`ERR Unknown client type '${t}'`);
      if (t !== 'normal') ids = new Set();
    } else if (is(argv[i]!, 'ID') && i + 1 < argv.length) {
      ids = new Set();
      for (i++; i < argv.length; i++) {
        const v = Number(argv[i]!.toString('latin1'));
        if (!Number.isInteger(v) || v <= 0) throw new ReplyError('ERR Invalid client ID');
        ids.add(v);
      }
    } else throw new ReplyError(ERR.SYNTAX);
  }
  c.reply.verbatim(connOf(c).list(ids));
}
