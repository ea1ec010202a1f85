/**
 * The blocking list commands (t_list.c, 7.0): BLPOP / BRPOP (blockingPopGenericCommand),
 * BLMPOP / LMPOP (lmpopGenericCommand), BLMOVE / BRPOPLPUSH (blmoveGenericCommand), with
 * serveClientBlockedOnList as the `serve` of blockForKeys (_blocking.ts).
 */
import type { Context } from './context.js';
import { listMove, listPop } from '../engine/types/list.js';
import { ReplyError, ERR } from './errors.js';
import { is, argPositiveLong } from './_util.js';
import { blockForKeys, mayBlock, parseTimeout } from './_blocking.js';
import { notify, notifyIfDeleted, NOTIFY } from './_notify.js';

/** getListPositionFromObjectOrReply: true for RIGHT (the tail) */
export function listSide(b: Buffer): boolean {
  if (is(b, 'RIGHT')) return true;
  if (is(b, 'LEFT')) return false;
  throw new ReplyError(ERR.SYNTAX);
}

/** the list's length, 0 when absent; WRONGTYPE for another type */
function listLength(c: Context, key: Buffer): number {
  const id = c.db.find(key);
  if (id < 0) return 0;
  if (c.db.typeOf(id) !== 'list') throw new ReplyError(ERR.WRONGTYPE);
  return c.db.ks.lengthOf(id);
}

/** pop `count` (-1: one, replied as key + element) from a non-empty list and reply */
function popAndReply(c: Context, key: Buffer, tail: boolean, count: number): void {
  const out = listPop(c.db, key, tail, count < 0 ? 1 : count)!;
  const w = c.reply;
  w.array(2);
  w.bulk(key);
  if (count < 0) w.bulk(out[0]!);
  else {
    w.array(out.length);
    for (const e of out) w.bulk(e);
  }
  notify(c, NOTIFY.LIST, tail ? 'rpop' : 'lpop', key);
  notifyIfDeleted(c, key);
}

/** blockingPopGenericCommand: `count` -1 for BLPOP/BRPOP */
export function blockingPop(c: Context, argv: Buffer[], keys: Buffer[], tail: boolean, timeoutArg: Buffer, count: number): void {
  const timeout = parseTimeout(timeoutArg);
  for (const key of keys) {
    if (listLength(c, key) === 0) continue;
    return popAndReply(c, key, tail, count);
  }
  if (!mayBlock(c)) return c.reply.nullArray();
  blockForKeys(c, {
    keys,
    timeout,
    argv,
    serve: (cc, key) => {
      const id = cc.db.find(key);
      if (id < 0 || cc.db.typeOf(id) !== 'list' || cc.db.ks.lengthOf(id) === 0) return false;
      popAndReply(cc, key, tail, count);
      return true;
    },
  });
}


/** lmpopGenericCommand: numkeys at argv[numkeysIdx] */
export function lmpop(c: Context, argv: Buffer[], numkeysIdx: number, block: boolean): void {
  const numkeys = argPositiveLong(argv[numkeysIdx]!, 'numkeys should be greater than 0');
  const whereIdx = numkeysIdx + numkeys + 1;
  if (whereIdx >= argv.length) throw new ReplyError(ERR.SYNTAX);
  const tail = listSide(argv[whereIdx]!);
  let count = -1;
  for (let j = whereIdx + 1; j < argv.length; j++) {
    if (count === -1 && is(argv[j]!, 'COUNT') && j + 1 < argv.length) {
      count = argPositiveLong(argv[++j]!, 'count should be greater than 0');
    } else throw new ReplyError(ERR.SYNTAX);
  }
  if (count === -1) count = 1;
  const keys = argv.slice(numkeysIdx + 1, numkeysIdx + 1 + numkeys);
  if (block) return blockingPop(c, argv, keys, tail, argv[1]!, count);
  // mpopGenericCommand
  for (const key of keys) {
    if (listLength(c, key) === 0) continue;
    return popAndReply(c, key, tail, count);
  }
  c.reply.nullArray();
}

/** LMOVE's work and events (lmoveGenericCommand / lmoveHandlePush) on a non-empty source */
function move(c: Context, src: Buffer, dst: Buffer, fromTail: boolean, toTail: boolean): Buffer | null {
  const e = listMove(c.db, src, dst, fromTail, toTail);
  if (e === null) return null;
  notify(c, NOTIFY.LIST, toTail ? 'rpush' : 'lpush', dst);
  notify(c, NOTIFY.LIST, fromTail ? 'rpop' : 'lpop', src);
  notifyIfDeleted(c, src);
  return e;
}

/** blmoveGenericCommand */
export function blmove(c: Context, argv: Buffer[], src: Buffer, dst: Buffer, fromTail: boolean, toTail: boolean, timeout: number): void {
  if (listLength(c, src) > 0) {
    const e = move(c, src, dst, fromTail, toTail)!;
    return c.reply.bulk(e);
  }
  if (!mayBlock(c)) return c.reply.nullBulk();
  // the arguments are views of the read buffer: the waiter keeps copies
  const from = Buffer.from(src);
  const to = Buffer.from(dst);
  blockForKeys(c, {
    keys: [from],
    timeout,
    argv,
    serve: (cc, key) => {
      const id = cc.db.find(key);
      if (id < 0 || cc.db.typeOf(id) !== 'list' || cc.db.ks.lengthOf(id) === 0) return false;
      const d = cc.db.find(to);
      if (d >= 0 && cc.db.typeOf(d) !== 'list') throw new ReplyError(ERR.WRONGTYPE);
      cc.reply.bulk(move(cc, from, to, fromTail, toTail)!);
      return true;
    },
    // timed out: a null array, as replyToBlockedClientTimedOut answers every BLOCKED_LIST
  });
}
