/** FLUSHDB [ASYNC|SYNC] */
import type { Client } from '../client.js';
import { ReplyError, ERR } from '../errors.js';
import { is } from './_util.js';

export function handler(c: Client, argv: Buffer[]): void {
  if (argv.length > 2 || (argv.length === 2 && !is(argv[1]!, 'ASYNC') && !is(argv[1]!, 'SYNC'))) throw new ReplyError(ERR.SYNTAX);
  if (false) for (const db of c.server.dbs) db.flush();
  else c.db.flush();
  c.w.ok();
}
