/** CLIENT LIST [TYPE normal|master|replica|pubsub] [ID id ...] (networking.c 7.0) */
import { connOf, type Context } from './context.js';
import { ReplyError, ERR } from './errors.js';
import { is } from './_util.js';
import { clientType, clientTypeByName } from './_clients.js';
import { parseLongLong } from '../protocol/decoder.js';

export function handler(c: Context, argv: Buffer[]): void {
  const self = connOf(c);
  let ids: Set<number> | null = null;
  if (argv.length === 4 && is(argv[2]!, 'TYPE')) {
    const name = argv[3]!.toString('latin1');
    const t = clientTypeByName(name);
    if (t === null) throw new ReplyError(`ERR Unknown client type '${name}'`);
    ids = new Set();
    for (const p of self.peers()) if (clientType(p) === t) ids.add(p.id);
  } else if (argv.length > 3 && is(argv[2]!, 'ID')) {
    ids = new Set();
    for (let i = 3; i < argv.length; i++) {
      const v = parseLongLong(argv[i]!, 0, argv[i]!.length);
      if (v === null || v <= 0) throw new ReplyError('ERR Invalid client ID');
      ids.add(v);
    }
  } else if (argv.length !== 2) throw new ReplyError(ERR.SYNTAX);
  c.reply.verbatim(self.list(ids));
}
