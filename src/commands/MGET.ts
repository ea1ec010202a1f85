/** MGET key [key ...]: nil for missing keys and keys of other types. */
import type { Context } from './context.js';
import { lookupRead } from './_util.js';

export function handler(c: Context, argv: Buffer[]): void {
  c.reply.array(argv.length - 1);
  for (let i = 1; i < argv.length; i++) {
    const id = lookupRead(c, argv[i]!);
    if (id < 0 || c.db.typeOf(id) !== 'string') {
      c.reply.nullBulk();
      continue;
    }
    const v = c.db.value(id);
    if (v === null || v.type !== 'string') c.reply.nullBulk();
    else c.reply.bulk(v.buf);
  }
}
