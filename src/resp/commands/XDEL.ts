/** XDEL key id [id ...]: how many entries were deleted. */
import type { Client } from '../client.js';
import * as apply from '../../engine/apply.js';
import { ReplyError, ERR } from '../errors.js';
import { parseStrictId } from './_stream-trim.js';

export function handler(c: Client, argv: Buffer[]): void {
  const id = c.db.find(argv[1]!);
  if (id < 0) return c.w.int(0);
  if (c.db.typeOf(id) !== 'stream') throw new ReplyError(ERR.WRONGTYPE);
  const ids = argv.slice(2).map(parseStrictId);
  c.w.int(apply.streamDelete(c.db, argv[1]!, ids));
}
