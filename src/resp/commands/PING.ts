/** PING [message]: +PONG, or the message as a bulk string. */
import type { Client } from '../client.js';

export function handler(c: Client, argv: Buffer[]): void {
  if (argv.length === 1) c.w.pong();
  else c.w.bulk(argv[1]!);
}
