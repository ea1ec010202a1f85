/** SINTERCARD numkeys key [key ...] [LIMIT limit] (sinterCardCommand, t_set.c 7.0) */
import type { Context } from './context.js';
import { setInterOf } from '../engine/types/set.js';
import { ReplyError, ERR } from './errors.js';
import { argBigInt, is } from './_util.js';
import { readSets } from './_setread.js';

export function handler(c: Context, argv: Buffer[]): void {
  const numkeys = Number(argBigInt(argv[1]!, 'ERR numkeys should be greater than 0'));
  if (numkeys < 1) throw new ReplyError('ERR numkeys should be greater than 0');
  if (numkeys > argv.length - 2) throw new ReplyError("ERR Number of keys can't be greater than number of args");
  let limit = 0;
  for (let j = 2 + numkeys; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    if (is(argv[j]!, 'LIMIT') && more) {
      limit = Number(argBigInt(argv[++j]!, "ERR LIMIT can't be negative"));
      if (limit < 0) throw new ReplyError("ERR LIMIT can't be negative");
    } else throw new ReplyError(ERR.SYNTAX);
  }
  const out = setInterOf(readSets(c, argv.slice(2, 2 + numkeys)), c.db.shared.env, limit);
  c.reply.int(out === null ? 0 : out.length);
}
