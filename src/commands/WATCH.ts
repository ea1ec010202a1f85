/** WATCH key [key ...] (watchCommand, multi.c 7.0). */
import { sessionOf, type Context } from './context.js';
import { ReplyError } from './errors.js';

export function handler(c: Context, argv: Buffer[]): void {
  const s = sessionOf(c);
  if (s.multi !== null) throw new ReplyError('ERR WATCH inside MULTI is not allowed');
  if (!s.watcher.dirty) {
    const inst = c.instance;
    const db = c.db;
    const now = inst.shared.now();
    for (let i = 1; i < argv.length; i++) {
      const key = argv[i]!;
      // keyIsExpired: stored, with a TTL that has passed
      const id = db.ks.find(key);
      const at = id >= 0 ? db.ks.expireOf(id) : -1;
      inst.watches.watch(s.watcher, c.dbIndex, key.latin1Slice(0, key.length), at >= 0 && at <= now);
    }
    inst.syncKeyHooks();
  }
  c.reply.ok();
}
