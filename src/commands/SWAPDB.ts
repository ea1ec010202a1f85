/**
 * SWAPDB index1 index2: the two databases trade places; every client that selected one of
 * them now sees the other's keys (dbSwapDatabases, db.c 7.0): a context reads its db by index.
 */
import type { Context } from './context.js';
import { ReplyError, ERR } from './errors.js';
import { parseLongLong } from '../protocol/decoder.js';

function argIndex(b: Buffer, msg: string): number {
  const v = parseLongLong(b, 0, b.length);
  if (v === null || v < -2147483648 || v > 2147483647) throw new ReplyError(msg);
  return v;
}

export function handler(c: Context, argv: Buffer[]): void {
  const a = argIndex(argv[1]!, 'ERR invalid first DB index');
  const b = argIndex(argv[2]!, 'ERR invalid second DB index');
  const dbs = c.instance.dbs;
  if (a < 0 || a >= dbs.length || b < 0 || b >= dbs.length) throw new ReplyError(ERR.DB_RANGE);
  if (a !== b) {
    const inst = c.instance;
    // touchAllWatchedKeysInDb both ways, before the swap
    if (inst.watches.count > 0) {
      const now = inst.shared.now();
      inst.watches.touchAllInDb(a, dbs[a]!, dbs[b]!, now);
      inst.watches.touchAllInDb(b, dbs[b]!, dbs[a]!, now);
    }
    // the clients blocked on keys of either db may be served by the other's keys
    inst.blocking.readyAll(a);
    inst.blocking.readyAll(b);
    const t = dbs[a]!;
    dbs[a] = dbs[b]!;
    dbs[b] = t;
  }
  c.reply.ok();
}
