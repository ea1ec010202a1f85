/** PFADD key [element ...] (pfaddCommand, hyperloglog.c 7.0) */
import type { Context } from './context.js';
import { pfadd } from '../engine/hyperloglog.js';
import { addHll, openHll, sparseMaxBytes, storeHll } from './_hll.js';

export function handler(c: Context, argv: Buffer[]): void {
  const o = openHll(c, argv[1]!);
  const f = c.db.shared.env.f;
  if (o === null) {
    // createHLLObject counts as an update (the cache is invalidated even with no element);
    // a corrupt value cannot occur on a fresh HLL
    const r = pfadd(null, argv.slice(2), f, sparseMaxBytes(c));
    addHll(c, argv[1]!, r.value);
    c.instance.dirty += r.changes;
    return c.reply.int(1);
  }
  let updated = false;
  try {
    const r = pfadd(o.h, argv.slice(2), f, sparseMaxBytes(c));
    updated = r.updated;
    c.instance.dirty += r.changes;
  } finally {
    // elements before a corrupt spot stay applied
    storeHll(o.v, o.h);
    c.db.refresh(o.id);
  }
  c.reply.int(updated ? 1 : 0);
}
