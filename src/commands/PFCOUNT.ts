/** PFCOUNT key [key ...] (pfcountCommand, hyperloglog.c 7.0) */
import type { Context } from './context.js';
import { pfcountOne, pfcountUnion } from '../engine/hyperloglog.js';
import type { StringValue } from '../engine/types/string.js';
import { lookupRead } from './_util.js';
import { openHll, storeHll } from './_hll.js';

const U64 = 18446744073709551616n;

export function handler(c: Context, argv: Buffer[]): void {
  if (argv.length > 2) {
    const values: (Buffer | null)[] = [];
    for (let j = 1; j < argv.length; j++) {
      const id = lookupRead(c, argv[j]!);
      if (id < 0) continue;
      values.push(c.db.typeOf(id) === 'string' ? (c.db.value(id) as StringValue).buf : null);
    }
    return reply(c, pfcountUnion(values));
  }
  if (lookupRead(c, argv[1]!) < 0) return c.reply.int(0);
  const o = openHll(c, argv[1]!)!;
  const r = pfcountOne(o.h.bytes());
  storeHll(o.v, o.h);
  if (r.cacheWritten) c.instance.dirty++;
  c.db.refresh(o.id);
  reply(c, r.card);
}

function reply(c: Context, card: bigint): void {
  c.reply.bigint(card >= 9223372036854775808n ? card - U64 : card);
}
