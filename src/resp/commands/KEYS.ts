/** KEYS pattern */
import type { Client } from '../client.js';
import { compileGlob } from '../../rdb/glob.js';

export function handler(c: Client, argv: Buffer[]): void {
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
  c.w.array(out.length);
  for (const k of out) c.w.bulk(k);
}
