/** KEYS pattern */
import type { Context } from './context.js';
import { compileGlob } from '../rdb/glob.js';

export function handler(c: Context, argv: Buffer[]): void {
  const match = compileGlob(argv[1]!);
  const ks = c.db.ks;
  const now = c.db.shared.now();
  const out: Buffer[] = [];
  for (let id = 0; id < ks.idLimit; id++) {
    if (!ks.isLive(id)) continue;
    const at = ks.expireOf(id);
    if (at >= 0 && at <= now) continue;
    const k = ks.keyOf(id);
    if (match(k)) out.push(k);
  }
  c.reply.array(out.length);
  for (const k of out) c.reply.bulk(k);
}
