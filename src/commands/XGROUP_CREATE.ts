/** XGROUP CREATE key group id|$ [MKSTREAM] [ENTRIESREAD entries-read] (xgroupCommand, t_stream.c 7.0) */
import type { Context } from './context.js';
import { ReplyError } from './errors.js';
import { StreamValue } from '../engine/types/stream.js';
import { streamCreateCG } from '../engine/types/stream-cgroups.js';
import { notify, NOTIFY } from './_notify.js';
import { parseStreamId, xgroupPrelude, xgroupSyntax } from './_stream-groups.js';

export function handler(c: Context, argv: Buffer[]): void {
  const a = xgroupPrelude(c, argv, 'create');
  if (argv.length > 8) throw xgroupSyntax(argv);
  const key = argv[2]!;
  const arg = argv[4]!;
  const id = arg.length === 1 && arg[0] === 0x24 ? (a.gs ? { ...a.gs.s.last } : { ms: 0, seq: 0 }) : parseStreamId(arg, true);
  let gs = a.gs;
  if (gs === null) {
    // MKSTREAM, now that the command can no longer fail
    const s = new StreamValue(c.db.shared.env);
    gs = { id: c.db.setValue(key, s), s };
  }
  if (!streamCreateCG(gs.s.groups, argv[3]!, id, a.entriesRead)) throw new ReplyError('BUSYGROUP Consumer Group name already exists');
  c.db.refresh(gs.id);
  c.reply.ok();
  notify(c, NOTIFY.STREAM, 'xgroup-create', key);
}
