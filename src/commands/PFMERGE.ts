/** PFMERGE destkey [sourcekey ...] (pfmergeCommand, hyperloglog.c 7.0) */
import type { Context } from './context.js';
import { pfmerge } from '../engine/hyperloglog.js';
import type { StringValue } from '../engine/types/string.js';
import { lookupRead } from './_util.js';
import { addHll, openHll, sparseMaxBytes, storeHll } from './_hll.js';

export function handler(c: Context, argv: Buffer[]): void {
  const db = c.db;
  const sources: (Buffer | null)[] = [];
  for (let j = 1; j < argv.length; j++) {
    const id = lookupRead(c, argv[j]!);
    if (id < 0) continue;
    sources.push(db.typeOf(id) === 'string' ? Buffer.from((db.value(id) as StringValue).buf) : null);
  }
  // every source is checked by pfmerge before the destination is opened or written
  const f = db.shared.env.f;
  pfmergeCheck(sources, f);
  const o = openHll(c, argv[1]!);
  const h = pfmerge(o ? o.h : null, sources, f, sparseMaxBytes(c));
  if (o) {
    storeHll(o.v, h);
    db.refresh(o.id);
  } else addHll(c, argv[1]!, h);
  c.reply.ok();
}

/** the checks of pfmerge's first loop, before lookupKeyWrite of the destination */
function pfmergeCheck(sources: (Buffer | null)[], f: Parameters<typeof pfmerge>[2]): void {
  pfmerge(null, sources, f);
}
