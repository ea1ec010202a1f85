/**
 * BZPOPMIN / BZPOPMAX / BZMPOP / ZMPOP (t_zset.c 7.0): genericZpopCommand's replies with the
 * key (emitkey; nested arrays for the *MPOP forms), blockingGenericZpopCommand and
 * zmpopGenericCommand, on blockForKeys (_blocking.ts).
 */
import type { Context } from './context.js';
import { zsetPop } from '../engine/types/zset.js';
import { bytesOf } from '../engine/types/generic.js';
import { ReplyError, ERR } from './errors.js';
import { is, argPositiveLong } from './_util.js';
import { blockForKeys, mayBlock, parseTimeout } from './_blocking.js';
import { notify, notifyIfDeleted, NOTIFY } from './_notify.js';

function zsetId(c: Context, key: Buffer): number {
  const id = c.db.find(key);
  if (id >= 0 && c.db.typeOf(id) !== 'zset') throw new ReplyError(ERR.WRONGTYPE);
  return id;
}

/** genericZpopCommand with emitkey on an existing zset; `count` -1 = one, flat reply */
function popAndReply(c: Context, key: Buffer, max: boolean, count: number, nested: boolean): void {
  const out = zsetPop(c.db, key, max, count < 0 ? 1 : count)!;
  const w = c.reply;
  if (!nested) {
    w.array(out.length * 2 + 1);
    w.bulk(key);
  } else {
    w.array(2);
    w.bulk(key);
    w.array(out.length);
  }
  for (const [m, s] of out) {
    if (nested) w.array(2);
    w.bulk(bytesOf(m));
    w.double(s);
  }
  notify(c, NOTIFY.ZSET, max ? 'zpopmax' : 'zpopmin', key);
  notifyIfDeleted(c, key);
}

export function blockingZpop(c: Context, argv: Buffer[], keys: Buffer[], max: boolean, timeoutArg: Buffer, count: number, nested: boolean): void {
  const timeout = parseTimeout(timeoutArg);
  for (const key of keys) {
    if (zsetId(c, key) < 0) continue;
    return popAndReply(c, key, max, count, nested);
  }
  if (!mayBlock(c)) return c.reply.nullArray();
  blockForKeys(c, {
    keys,
    timeout,
    argv,
    serve: (cc, key) => {
      const id = cc.db.find(key);
      if (id < 0 || cc.db.typeOf(id) !== 'zset') return false;
      popAndReply(cc, key, max, count, nested);
      return true;
    },
  });
}


/** zmpopGenericCommand */
export function zmpop(c: Context, argv: Buffer[], numkeysIdx: number, block: boolean): void {
  const numkeys = argPositiveLong(argv[numkeysIdx]!, 'numkeys should be greater than 0');
  const whereIdx = numkeysIdx + numkeys + 1;
  if (whereIdx >= argv.length) throw new ReplyError(ERR.SYNTAX);
  let max: boolean;
  if (is(argv[whereIdx]!, 'MIN')) max = false;
  else if (is(argv[whereIdx]!, 'MAX')) max = true;
  else throw new ReplyError(ERR.SYNTAX);
  let count = -1;
  for (let j = whereIdx + 1; j < argv.length; j++) {
    if (count === -1 && is(argv[j]!, 'COUNT') && j + 1 < argv.length) count = argPositiveLong(argv[++j]!, 'count should be greater than 0');
    else throw new ReplyError(ERR.SYNTAX);
  }
  if (count === -1) count = 1;
  const keys = argv.slice(numkeysIdx + 1, numkeysIdx + 1 + numkeys);
  if (block) return blockingZpop(c, argv, keys, max, argv[1]!, count, true);
  for (const key of keys) {
    if (zsetId(c, key) < 0) continue;
    return popAndReply(c, key, max, count, true);
  }
  c.reply.nullArray();
}
