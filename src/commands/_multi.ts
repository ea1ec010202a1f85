/** MULTI/EXEC state helpers (multi.c, 7.0): discardTransaction and unwatchAllKeys. */
import type { Context } from './context.js';
import type { Session } from './session.js';

/** discardTransaction: the queue, the flags, the watched keys */
export function discardTransaction(c: Context, s: Session): void {
  s.multi = null;
  s.multiError = false;
  unwatchAll(c, s);
}

/** UNWATCH: every watched key, and the dirty flag */
export function unwatchAll(c: Context, s: Session): void {
  if (s.watcher.keys.length > 0) {
    c.instance.watches.unwatchAll(s.watcher);
    c.instance.syncKeyHooks();
  }
  s.watcher.dirty = false;
}
