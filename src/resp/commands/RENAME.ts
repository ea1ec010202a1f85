/** RENAME key newkey: the TTL moves with the value. */
import type { Client } from '../client.js';
import { ReplyError, ERR } from '../errors.js';

export function handler(c: Client, argv: Buffer[]): void {
  const db = c.db;
  const id = db.find(argv[1]!);
  if (id < 0) throw new ReplyError(ERR.NOKEY);
  if (argv[1]!.equals(argv[2]!)) return c.w.ok();
  db.rename(id, argv[2]!);
  c.w.ok();
}
