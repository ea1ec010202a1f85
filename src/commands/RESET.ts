/**
 * RESET (resetCommand → clearClientConnectionState, networking.c 7.0): off MONITOR and
 * tracking, db 0, RESP2, the default user (unauthenticated when a password is set), the
 * transaction and watched keys dropped, every subscription dropped, no name, replies on.
 */
import { connOf, type Context } from './context.js';
import { discardTransaction } from './_multi.js';

export function handler(c: Context): void {
  const conn = connOf(c);
  const s = conn.session;
  const inst = c.instance;
  if (s.monitor) {
    inst.monitors.delete(s);
    s.monitor = false;
  }
  if (s.tracking) {
    inst.tracking.disable(conn);
    s.tracking = null;
    inst.syncKeyHooks();
  }
  c.dbIndex = 0;
  c.resp = 2;
  c.reply.resp = 2;
  conn.setAuthenticated(inst.requirepass === undefined);
  discardTransaction(c, s);
  inst.pubsub.dropAll(s);
  conn.name = '';
  s.replyOff = false;
  s.skipNext = false;
  s.skip = false;
  c.reply.simple('RESET');
}
