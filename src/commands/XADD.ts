/** XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value [field value ...] */
import type { Context } from './context.js';
import { XaddArgs, streamAdd } from '../engine/types/stream.js';
import { ReplyError, wrongArgs } from './errors.js';
import { parseAddArgs } from './_stream-trim.js';

export function handler(c: Context, argv: Buffer[]): void {
  const t = parseAddArgs(c, argv, 2);
  const fieldPos = t.next + 1;
  if (argv.length - fieldPos < 2 || (argv.length - fieldPos) % 2 === 1) throw wrongArgs('xadd');
  if (t.id !== null && t.id.ms === 0 && t.id.seq === 0) throw new ReplyError('ERR The ID specified in XADD must be greater than 0-0');
  const a: XaddArgs = {
    ms: t.id === null ? null : t.id.ms,
    seq: t.id === null ? null : t.id.seq,
    noMkStream: t.noMkStream,
    maxlen: t.strategy === 'maxlen' ? t.maxlen : -1,
    minid: t.strategy === 'minid' ? t.minid : null,
    approx: t.approx,
    limit: t.limit,
  };
  const id = streamAdd(c.db, argv[1]!, a, argv.slice(fieldPos));
  if (id === null) c.reply.nullBulk();
  else c.reply.bulkStr(id);
}
