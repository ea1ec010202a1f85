/** PING [message]: +PONG, or the message as a bulk string. */
import type { Context } from './context.js';
import { wrongArgs } from './errors.js';

export function handler(c: Context, argv: Buffer[]): void {
  if (argv.length > 2) throw wrongArgs('ping'); // pingCommand's own arity check (COMMAND INFO says -1)
  if (argv.length === 1) c.reply.pong();
  else c.reply.bulk(argv[1]!);
}
