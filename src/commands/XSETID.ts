/**
 * XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id]
 * (xsetidCommand, t_stream.c 7.0): the stream's last ID and counters; its memory is unchanged.
 */
import type { Context } from './context.js';
import { ReplyError, ERR } from './errors.js';
import { argInt, is, writeTyped } from './_util.js';
import { cmpId, type StreamId } from '../engine/types/stream.js';
import { parseStreamId } from './_stream-groups.js';
import { notify, NOTIFY } from './_notify.js';

const parseStrictId = (b: Buffer): StreamId => parseStreamId(b, true);

export function handler(c: Context, argv: Buffer[]): void {
  const id = parseStrictId(argv[2]!);
  let entriesAdded = -1;
  let maxDeleted: StreamId = { ms: 0, seq: 0 };
  for (let i = 3; i < argv.length; ) {
    const more = argv.length - 1 - i;
    const opt = argv[i]!;
    if (is(opt, 'ENTRIESADDED') && more) {
      entriesAdded = argInt(argv[i + 1]!);
      if (entriesAdded < 0) throw new ReplyError('ERR entries_added must be positive');
      i += 2;
    } else if (is(opt, 'MAXDELETEDID') && more) {
      maxDeleted = parseStrictId(argv[i + 1]!);
      if (cmpId(id.ms, id.seq, maxDeleted.ms, maxDeleted.seq) < 0) {
        throw new ReplyError('ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id');
      }
      i += 2;
    } else throw new ReplyError(ERR.SYNTAX);
  }
  const o = writeTyped(c, argv[1]!, 'stream');
  if (o === null) throw new ReplyError('ERR no such key');
  const s = o.v;
  if (s.length > 0) {
    const top = s.entry(s.length - 1)!;
    if (cmpId(id.ms, id.seq, top.ms, top.seq) < 0) throw new ReplyError('ERR The ID specified in XSETID is smaller than the target stream top item');
    if (entriesAdded !== -1 && s.length > entriesAdded) {
      throw new ReplyError('ERR The entries_added specified in XSETID is smaller than the target stream length');
    }
  }
  s.last = { ms: id.ms, seq: id.seq };
  if (entriesAdded !== -1) s.entriesAdded = entriesAdded;
  if (maxDeleted.ms !== 0 || maxDeleted.seq !== 0) s.maxDeleted = maxDeleted;
  c.db.refresh(o.id);
  c.reply.ok();
  notify(c, NOTIFY.STREAM, 'xsetid', argv[1]!);
}
