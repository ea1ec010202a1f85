/** XGROUP SETID key group id|$ [ENTRIESREAD entries-read] (xgroupCommand, t_stream.c 7.0) */
import type { Context } from './context.js';
import { notify, NOTIFY } from './_notify.js';
import { parseStreamId, xgroupPrelude, xgroupSyntax } from './_stream-groups.js';

export function handler(c: Context, argv: Buffer[]): void {
  const a = xgroupPrelude(c, argv, 'setid');
  if (argv.length !== 5 && argv.length !== 7) throw xgroupSyntax(argv);
  const gs = a.gs!;
  const cg = a.cg!;
  const arg = argv[4]!;
  const id = arg.length === 1 && arg[0] === 0x24 ? { ...gs.s.last } : parseStreamId(arg, false);
  cg.lastId = id;
  cg.entriesRead = a.entriesRead;
  c.db.refresh(gs.id);
  c.reply.ok();
  notify(c, NOTIFY.STREAM, 'xgroup-setid', argv[2]!);
}
