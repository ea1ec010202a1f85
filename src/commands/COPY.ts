/** COPY source destination [DB destination-db] [REPLACE] (copyCommand, db.c 7.0) */
import type { Context } from './context.js';
import { copyKey } from '../engine/types/generic.js';
import { ReplyError, ERR } from './errors.js';
import { is } from './_util.js';
import { argDb } from './_db-arg.js';

export function handler(c: Context, argv: Buffer[]): void {
  let dst = c.db;
  let replace = false;
  for (let j = 3; j < argv.length; j++) {
    const additional = argv.length - j - 1;
    if (is(argv[j]!, 'REPLACE')) replace = true;
    else if (is(argv[j]!, 'DB') && additional >= 1) {
      dst = argDb(c, argv[j + 1]!).db;
      j++;
    } else throw new ReplyError(ERR.SYNTAX);
  }
  if (dst === c.db && argv[1]!.equals(argv[2]!)) throw new ReplyError('ERR source and destination objects are the same');
  c.reply.int(copyKey(c.db, dst, argv[1]!, argv[2]!, replace));
}
