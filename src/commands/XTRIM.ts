/** XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count]: how many entries were removed. */
import type { Context } from './context.js';
import { streamTrim } from '../engine/types/stream.js';
import { ReplyError, ERR } from './errors.js';
import { parseTrimArgs } from './_stream-trim.js';

export function handler(c: Context, argv: Buffer[]): void {
  const a = parseTrimArgs(c, argv, 2);
  if (a.next < argv.length) throw new ReplyError(ERR.SYNTAX);
  const id = c.db.find(argv[1]!);
  if (id < 0) return c.reply.int(0);
  if (c.db.typeOf(id) !== 'stream') throw new ReplyError(ERR.WRONGTYPE);
  c.reply.int(streamTrim(c.db, argv[1]!, a.strategy === 'maxlen' ? a.maxlen : 0, a.strategy === 'minid' ? a.minid : null, a.approx, a.limit));
}
