/** PFADD key [element ...] (pfaddCommand, hyperloglog.c 7.0) */
import type { Context } from './context.js';
import { pfadd, HllSds } from '../engine/hyperloglog.js';
import { addHll, openHll, sparseMaxBytes, storeHll } from './_hll.js';

export function handler(c: Context, argv: Buffer[]): void {
  const o = openHll(c, argv[1]!);
  const f = c.db.shared.env.f;
  const h = o ? o.h : HllSds.create(f);
  let updated = o === null;
  try {
    const r = pfadd(h, argv.slice(2), f, sparseMaxBytes(c));
    updated ||= r.updated;
  } finally {
    // elements before a corrupt spot stay applied, and a created key stays created
    if (o) {
      storeHll(o.v, h);
      c.db.refresh(o.id);
    } else addHll(c, argv[1]!, h);
  }
  c.reply.int(updated ? 1 : 0);
}
