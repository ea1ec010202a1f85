/**
 * PING [message] (pingCommand, server.c 7.0): +PONG, or the message as a bulk string; on a
 * RESP2 connection in subscribed mode, the array ["pong", message or ""].
 */
import type { Context } from './context.js';
import { wrongArgs } from './errors.js';

export function handler(c: Context, argv: Buffer[]): void {
  if (argv.length > 2) throw wrongArgs('ping');
  if (c.resp === 2 && c.conn !== null && c.conn.session.subscriptions > 0) {
    c.reply.array(2);
    c.reply.bulkStr('pong');
    if (argv.length === 1) c.reply.bulkStr('');
    else c.reply.bulk(argv[1]!);
    return;
  }
  if (argv.length === 1) c.reply.pong();
  else c.reply.bulk(argv[1]!);
}
