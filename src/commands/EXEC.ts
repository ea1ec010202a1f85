/**
 * EXEC (execCommand, multi.c 7.0): EXECABORT after a queueing error, a null array when a
 * watched key was touched (or expired since WATCH), else every queued command run through the
 * command layer as caller 'transaction' (so blocking commands do not block), their replies in
 * one array. Clients blocked on keys the transaction made ready are served after it.
 */
import { sessionOf, type Context } from './context.js';
import { ReplyError } from './errors.js';
import { executeInto } from './dispatch.js';
import { discardTransaction } from './_multi.js';

export function handler(c: Context): void {
  const s = sessionOf(c);
  if (s.multi === null) throw new ReplyError('ERR EXEC without MULTI');
  const inst = c.instance;
  if (!s.watcher.dirty && s.watcher.keys.length > 0 && inst.watches.anyNewlyExpired(s.watcher, inst.dbs, inst.shared.now())) s.watcher.dirty = true;
  if (s.multiError || s.watcher.dirty) {
    const aborted = s.multiError;
    discardTransaction(c, s);
    if (aborted) throw new ReplyError('EXECABORT Transaction discarded because of previous errors.');
    c.reply.nullArray();
    return;
  }
  const queue = s.multi;
  // unwatch at once (the transaction's own writes must not dirty it); the queue goes at the end
  discardTransaction(c, s);
  const w = c.reply;
  w.array(queue.length);
  for (const argv of queue) executeInto(c, argv, w, 'transaction');
}
