/** RANDOMKEY */
import type { Context } from './context.js';

export function handler(c: Context): void {
  const db = c.db;
  const ks = db.ks;
  if (db.size === 0) return c.reply.nullBulk();
  for (let tries = 0; tries < 1000 + ks.idLimit; tries++) {
    const id = Math.floor(c.instance.random() * ks.idLimit);
    if (!ks.isLive(id)) continue;
    const key = Buffer.from(ks.keyOf(id));
    if (db.find(key) < 0) {
      if (db.size === 0) break;
      continue;
    }
    return c.reply.bulk(key);
  }
  c.reply.nullBulk();
}
