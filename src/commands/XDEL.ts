/** XDEL key id [id ...]: how many entries were deleted. */
import type { Context } from './context.js';
import { streamDelete } from '../engine/types/stream.js';
import { ReplyError, ERR } from './errors.js';
import { parseStrictId } from './_stream-trim.js';

export function handler(c: Context, argv: Buffer[]): void {
  const id = c.db.find(argv[1]!);
  if (id < 0) return c.reply.int(0);
  if (c.db.typeOf(id) !== 'stream') throw new ReplyError(ERR.WRONGTYPE);
  const ids = argv.slice(2).map(parseStrictId);
  c.reply.int(streamDelete(c.db, argv[1]!, ids));
}
