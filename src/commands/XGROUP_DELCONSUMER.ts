/**
 * XGROUP DELCONSUMER key group consumer (xgroupCommand, t_stream.c 7.0): the consumer's pending
 * entries leave the group's PEL with it; the reply is how many there were.
 */
import type { Context } from './context.js';
import { streamDelConsumer, streamLookupConsumer } from '../engine/types/stream-cgroups.js';
import { notify, NOTIFY } from './_notify.js';
import { xgroupPrelude } from './_stream-groups.js';

export function handler(c: Context, argv: Buffer[]): void {
  const a = xgroupPrelude(c, argv, 'delconsumer');
  const cg = a.cg!;
  const consumer = streamLookupConsumer(cg, argv[4]!, 0, true);
  let pending = 0;
  if (consumer) {
    pending = consumer.pel.size;
    streamDelConsumer(cg, consumer);
    c.db.refresh(a.gs!.id);
    notify(c, NOTIFY.STREAM, 'xgroup-delconsumer', argv[2]!);
  }
  c.reply.int(pending);
}
