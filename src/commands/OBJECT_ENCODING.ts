/** OBJECT ENCODING key */
import type { Context } from './context.js';

export function handler(c: Context, argv: Buffer[]): void {
  const id = c.db.find(argv[2]!);
  if (id < 0) return c.reply.nullBulk();
  c.reply.bulkStr(encodingOf(c, id));
}

/** OBJECT ENCODING of a record: the held value's, else the one the server has after load */
export function encodingOf(c: Context, id: number): string {
  const db = c.db;
  if (db.isHeld(id)) {
    const v = db.valueForWrite(id);
    if (v) return v.encoding;
  }
  return db.ks.encodingOf(id);
}
