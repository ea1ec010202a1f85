/** RANDOMKEY */
import type { Client } from '../client.js';

export function handler(c: Client): void {
  const db = c.db;
  const ks = db.ks;
  if (db.size === 0) return c.w.nullBulk();
  for (let tries = 0; tries < 1000 + ks.idLimit; tries++) {
    const id = Math.floor(c.server.random() * ks.idLimit);
    if (!ks.isLive(id)) continue;
    const key = Buffer.from(ks.keyOf(id));
    if (db.find(key) < 0) {
      if (db.size === 0) break;
      continue;
    }
    return c.w.bulk(key);
  }
  c.w.nullBulk();
}
