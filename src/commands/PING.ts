/** PING [message]: +PONG, or the message as a bulk string. */
import type { Context } from './context.js';

export function handler(c: Context, argv: Buffer[]): void {
  if (argv.length === 1) c.reply.pong();
  else c.reply.bulk(argv[1]!);
}
