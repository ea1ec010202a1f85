/** LMOVE source destination LEFT|RIGHT LEFT|RIGHT: the element moved, nil when the source is absent. */
import type { Context } from './context.js';
import { listMove } from '../engine/types/list.js';
import { ReplyError, ERR } from './errors.js';
import { is } from './_util.js';

function side(b: Buffer): boolean {
  if (is(b, 'LEFT')) return false;
  if (is(b, 'RIGHT')) return true;
  throw new ReplyError(ERR.SYNTAX);
}

export function handler(c: Context, argv: Buffer[]): void {
  const from = side(argv[3]!);
  const to = side(argv[4]!);
  const e = listMove(c.db, argv[1]!, argv[2]!, from, to);
  if (e === null) c.reply.nullBulk();
  else c.reply.bulk(e);
}
