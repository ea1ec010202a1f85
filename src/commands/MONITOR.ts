/** MONITOR (monitorCommand, replication.c 7.0): every command run from now on is pushed to this connection. */
import { connOf, type Context } from './context.js';
import { ReplyError } from './errors.js';

export function handler(c: Context): void {
  if (c.caller !== 'client') throw new ReplyError("ERR MONITOR isn't allowed for DENY BLOCKING client");
  const s = connOf(c).session;
  if (s.monitor) return;
  s.monitor = true;
  c.instance.monitors.add(s);
  c.reply.ok();
}
