/**
 * XGROUP DESTROY key group (xgroupCommand, t_stream.c 7.0): 1 when the group was there. The
 * write signals the key, so clients blocked in XREADGROUP on the group get -NOGROUP.
 */
import type { Context } from './context.js';
import { streamDestroyCG } from '../engine/types/stream-cgroups.js';
import { notify, NOTIFY } from './_notify.js';
import { xgroupPrelude } from './_stream-groups.js';

export function handler(c: Context, argv: Buffer[]): void {
  const a = xgroupPrelude(c, argv, 'destroy');
  if (a.cg === undefined) return c.reply.int(0);
  const gs = a.gs!;
  streamDestroyCG(gs.s.groups, argv[3]!);
  c.db.refresh(gs.id);
  c.reply.int(1);
  notify(c, NOTIFY.STREAM, 'xgroup-destroy', argv[2]!);
}
