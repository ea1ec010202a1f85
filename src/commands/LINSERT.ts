/** LINSERT key BEFORE|AFTER pivot element: the new length, -1 without the pivot, 0 without the key. */
import type { Context } from './context.js';
import { listInsert } from '../engine/types/list.js';
import { ReplyError, ERR } from './errors.js';
import { is } from './_util.js';

export function handler(c: Context, argv: Buffer[]): void {
  let after: boolean;
  if (is(argv[2]!, 'AFTER')) after = true;
  else if (is(argv[2]!, 'BEFORE')) after = false;
  else throw new ReplyError(ERR.SYNTAX);
  c.reply.int(listInsert(c.db, argv[1]!, after, argv[3]!, argv[4]!));
}
