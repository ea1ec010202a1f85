/** SPUBLISH shardchannel message (spublishCommand, pubsub.c). */
import type { Context } from './context.js';

export function handler(c: Context, argv: Buffer[]): void {
  c.reply.int(c.instance.pubsub.publish(argv[1]!, argv[2]!, true));
}
