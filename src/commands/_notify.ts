/**
 * notifyKeyspaceEvent for command files: `notify(c, NOTIFY.LIST, 'lpush', key)` publishes the
 * keyspace / keyevent messages notify-keyspace-events asks for (src/instance/pubsub.ts), for
 * the key in the selected db. Costs one flag test when notifications are off (the default).
 */
import type { Context } from './context.js';
import { NOTIFY } from '../instance/pubsub.js';

export { NOTIFY };

export function notify(c: Context, type: number, event: string, key: Uint8Array, db: number = c.dbIndex): void {
  const ps = c.instance.pubsub;
  if ((ps.notifyFlags & type) === 0) return;
  ps.notify(type, event, key, db);
}

/** a write that may have emptied (and so deleted) a collection: the "del" event when it did */
export function notifyIfDeleted(c: Context, key: Uint8Array): void {
  const ps = c.instance.pubsub;
  if ((ps.notifyFlags & NOTIFY.GENERIC) === 0) return;
  if (c.db.find(key) < 0) ps.notify(NOTIFY.GENERIC, 'del', key, c.dbIndex);
}
