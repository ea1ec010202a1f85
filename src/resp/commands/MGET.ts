/** MGET key [key ...]: nil for missing keys and keys of other types. */
import type { Client } from '../client.js';
import { lookupRead } from './_util.js';

export function handler(c: Client, argv: Buffer[]): void {
  c.w.array(argv.length - 1);
  for (let i = 1; i < argv.length; i++) {
    const id = lookupRead(c, argv[i]!);
    if (id < 0 || c.db.typeOf(id) !== 'string') {
      c.w.nullBulk();
      continue;
    }
    const v = c.db.value(id);
    if (v === null || v.type !== 'string') c.w.nullBulk();
    else c.w.bulk(v.buf);
  }
}
