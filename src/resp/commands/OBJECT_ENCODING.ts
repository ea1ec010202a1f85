/** OBJECT ENCODING key */
import type { Client } from '../client.js';

export function handler(c: Client, argv: Buffer[]): void {
  const id = c.db.find(argv[2]!);
  if (id < 0) return c.w.nullBulk();
  c.w.bulkStr(encodingOf(c, id));
}

/** OBJECT ENCODING of a record: the held value's, else the one the server has after load */
export function encodingOf(c: Client, id: number): string {
  const db = c.db;
  if (db.isHeld(id)) {
    const v = db.valueForWrite(id);
    if (v) return v.encoding;
  }
  return db.ks.encodingOf(id);
}
