/** SELECT index */
import type { Context } from './context.js';
import { ReplyError, ERR } from './errors.js';
import { argInt } from './_util.js';

export function handler(c: Context, argv: Buffer[]): void {
  const n = argInt(argv[1]!);
  if (n < 0 || n >= c.instance.dbs.length) throw new ReplyError(ERR.DB_RANGE);
  c.dbIndex = n;
  c.reply.ok();
}
