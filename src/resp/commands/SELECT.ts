/** SELECT index */
import type { Client } from '../client.js';
import { ReplyError, ERR } from '../errors.js';
import { argInt } from './_util.js';

export function handler(c: Client, argv: Buffer[]): void {
  const n = argInt(argv[1]!);
  if (n < 0 || n >= c.server.dbs.length) throw new ReplyError(ERR.DB_RANGE);
  c.dbIndex = n;
  c.db = c.server.dbs[n]!;
  c.w.ok();
}
