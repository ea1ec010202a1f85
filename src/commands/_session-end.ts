/**
 * What a connection leaves behind when it closes (freeClient, networking.c): its WATCHed
 * keys, subscriptions, blocked state and MONITOR registration.
 */
import type { Context } from './context.js';
import type { Session } from './session.js';

export function releaseSession(c: Context, s: Session): void {
  const inst = c.instance;
  if (s.blocked) s.blocked.cancel();
  if (s.watcher.keys.length > 0) {
    inst.watches.unwatchAll(s.watcher);
    inst.syncKeyHooks();
  }
  if (s.subscriptions > 0) inst.pubsub.dropAll(s);
  if (s.monitor) inst.monitors.delete(s);
  if (s.replica) inst.replication.detach(s);
  if (s.tracking && c.conn) {
    inst.tracking.disable(c.conn);
    s.tracking = null;
    inst.syncKeyHooks();
  }
  s.multi = null;
}
