/** LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN] (lcsCommand, t_string.c 7.0) */
import type { Context } from './context.js';
import { lcs, parseLcsOptions } from '../engine/bitops.js';
import { ReplyError } from './errors.js';
import { lookupRead } from './_util.js';
import type { StringValue } from '../engine/types/string.js';

const EMPTY = Buffer.alloc(0);

export function handler(c: Context, argv: Buffer[]): void {
  const db = c.db;
  const ia = lookupRead(c, argv[1]!);
  const ib = lookupRead(c, argv[2]!);
  if ((ia >= 0 && db.typeOf(ia) !== 'string') || (ib >= 0 && db.typeOf(ib) !== 'string')) {
    throw new ReplyError('ERR The specified keys must contain string values');
  }
  const a = ia >= 0 ? (db.value(ia) as StringValue).buf : EMPTY;
  const b = ib >= 0 ? (db.value(ib) as StringValue).buf : EMPTY;
  const r = lcs(a, b, parseLcsOptions(argv.slice(3)), c.instance.limits.maxBulkLen);
  const w = c.reply;
  if (r.kind === 'string') return w.bulk(r.lcs);
  if (r.kind === 'len') return w.int(r.len);
  w.map(2);
  w.bulkStr('matches');
  w.array(r.matches.length);
  for (const m of r.matches) {
    w.array(r.withmatchlen ? 3 : 2);
    w.array(2);
    w.int(m.a[0]);
    w.int(m.a[1]);
    w.array(2);
    w.int(m.b[0]);
    w.int(m.b[1]);
    if (r.withmatchlen) w.int(m.len);
  }
  w.bulkStr('len');
  w.int(r.len);
}
