/**
 * ZUNIONSTORE / ZINTERSTORE / ZDIFFSTORE destination numkeys key [key ...] [WEIGHTS w ...]
 * [AGGREGATE SUM|MIN|MAX], ZUNION / ZINTER / ZDIFF numkeys key [key ...] … [WITHSCORES],
 * ZINTERCARD numkeys key [key ...] [LIMIT limit] (zunionInterDiffGenericCommand, t_zset.c 7.0).
 * Sets count as zsets with every score 1.
 */
import type { Context } from './context.js';
import { AGG_MAX, AGG_MIN, AGG_SUM } from '../engine/types/zset.js';
import { ReplyError, ERR } from './errors.js';
import { argDouble, argInt, is, lookupRead } from './_util.js';
import { bytesOf } from '../engine/types/generic.js';
import { SET_OP_DIFF, SET_OP_INTER, SET_OP_UNION, zsetCombine, zsetCombineStore } from '../engine/types/zset.js';

export { SET_OP_DIFF, SET_OP_INTER, SET_OP_UNION };

/** `store`: argv[1] is the destination; `cardOnly`: ZINTERCARD */
export function zsetOpCommand(c: Context, argv: Buffer[], name: string, op: number, store: boolean, cardOnly = false): void {
  const numkeysIndex = store ? 2 : 1;
  const setnum = argInt(argv[numkeysIndex]!);
  if (setnum < 1) throw new ReplyError(`ERR at least 1 input key is needed for '${name}' command`);
  if (setnum > argv.length - (numkeysIndex + 1)) throw new ReplyError(ERR.SYNTAX);
  const keys = argv.slice(numkeysIndex + 1, numkeysIndex + 1 + setnum);
  for (const k of keys) {
    const id = lookupRead(c, k);
    if (id >= 0) {
      const t = c.db.typeOf(id);
      if (t !== 'zset' && t !== 'set') throw new ReplyError(ERR.WRONGTYPE);
    }
  }
  const weights: number[] = new Array<number>(setnum).fill(1);
  let agg = AGG_SUM;
  let withScores = false;
  let limit = 0;
  let j = numkeysIndex + 1 + setnum;
  let remaining = argv.length - j;
  while (remaining) {
    if (op !== SET_OP_DIFF && !cardOnly && remaining >= setnum + 1 && is(argv[j]!, 'WEIGHTS')) {
      j++;
      remaining--;
      for (let i = 0; i < setnum; i++, j++, remaining--) weights[i] = argDouble(argv[j]!, 'ERR weight value is not a float');
    } else if (op !== SET_OP_DIFF && !cardOnly && remaining >= 2 && is(argv[j]!, 'AGGREGATE')) {
      j++;
      remaining--;
      const a = argv[j]!;
      if (is(a, 'SUM')) agg = AGG_SUM;
      else if (is(a, 'MIN')) agg = AGG_MIN;
      else if (is(a, 'MAX')) agg = AGG_MAX;
      else throw new ReplyError(ERR.SYNTAX);
      j++;
      remaining--;
    } else if (remaining >= 1 && !store && !cardOnly && is(argv[j]!, 'WITHSCORES')) {
      j++;
      remaining--;
      withScores = true;
    } else if (cardOnly && remaining >= 2 && is(argv[j]!, 'LIMIT')) {
      j++;
      remaining--;
      const l = argInt(argv[j]!, "ERR LIMIT can't be negative");
      if (l < 0) throw new ReplyError("ERR LIMIT can't be negative");
      limit = l;
      j++;
      remaining--;
    } else throw new ReplyError(ERR.SYNTAX);
  }
  const r = zsetCombine(c.db, keys, weights, agg, op, cardOnly, limit);
  if (cardOnly) return c.reply.int(r.cardinality);
  if (store) return c.reply.int(zsetCombineStore(c.db, argv[1]!, r));
  // the reply walks the result skiplist: score order, then member bytes
  const sorted = r.entries.sort((a, b) => (a[1] !== b[1] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const w = c.reply;
  w.array(withScores && w.resp === 2 ? sorted.length * 2 : sorted.length);
  for (const [m, s] of sorted) {
    if (withScores && w.resp > 2) w.array(2);
    w.bulk(bytesOf(m));
    if (withScores) w.double(s);
  }
}

export function zstoreCommand(c: Context, argv: Buffer[], inter: boolean): void {
  zsetOpCommand(c, argv, inter ? 'zinterstore' : 'zunionstore', inter ? SET_OP_INTER : SET_OP_UNION, true);
}
