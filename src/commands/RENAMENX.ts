/** RENAMENX key newkey: 1 when renamed, 0 when newkey exists (the TTL moves with the value). */
import type { Context } from './context.js';
import { ReplyError, ERR } from './errors.js';

export function handler(c: Context, argv: Buffer[]): void {
  const db = c.db;
  const id = db.find(argv[1]!);
  if (id < 0) throw new ReplyError(ERR.NOKEY);
  if (argv[1]!.equals(argv[2]!)) return c.reply.int(0);
  if (db.find(argv[2]!) >= 0) return c.reply.int(0);
  db.rename(id, argv[2]!);
  c.reply.int(1);
}
