/** XGROUP CREATECONSUMER key group consumer (xgroupCommand, t_stream.c 7.0): 1 when created */
import type { Context } from './context.js';
import { createConsumer, xgroupPrelude } from './_stream-groups.js';

export function handler(c: Context, argv: Buffer[]): void {
  const a = xgroupPrelude(c, argv, 'createconsumer');
  const created = createConsumer(c, a.cg!, argv[4]!, argv[2]!);
  if (created) c.db.refresh(a.gs!.id);
  c.reply.int(created ? 1 : 0);
}
