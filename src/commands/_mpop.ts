/**
 * LMPOP / ZMPOP numkeys key [key ...] LEFT|RIGHT / MIN|MAX [COUNT count]: the argument parsing
 * of lmpopGenericCommand (t_list.c) and zmpopGenericCommand (t_zset.c, 7.0), and the
 * non-blocking pops (mpopGenericCommand, genericZpopCommand with emitkey). The blocking forms
 * (BLMPOP, BZMPOP) can reuse `parseMpop` and `lmpopServe` / `zmpopServe`.
 */
import type { Context } from './context.js';
import * as apply from '../engine/apply.js';
import { ReplyError, ERR } from './errors.js';
import { argInt, is } from './_util.js';
import { bytesOf } from '../engine/values.js';

export interface MpopArgs {
  keys: Buffer[];
  /** LEFT / MIN */
  first: boolean;
  count: number;
}

export function parseMpop(argv: Buffer[], numkeysIdx: number, words: [string, string]): MpopArgs {
  const numkeys = argInt(argv[numkeysIdx]!, 'ERR numkeys should be greater than 0');
  if (numkeys < 1) throw new ReplyError('ERR numkeys should be greater than 0');
  const whereIdx = numkeysIdx + numkeys + 1;
  if (whereIdx >= argv.length) throw new ReplyError(ERR.SYNTAX);
  let first: boolean;
  if (is(argv[whereIdx]!, words[0])) first = true;
  else if (is(argv[whereIdx]!, words[1])) first = false;
  else throw new ReplyError(ERR.SYNTAX);
  let count = -1;
  for (let j = whereIdx + 1; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    if (count === -1 && is(argv[j]!, 'COUNT') && more) {
      j++;
      count = argInt(argv[j]!, 'ERR count should be greater than 0');
      if (count < 1) throw new ReplyError('ERR count should be greater than 0');
    } else throw new ReplyError(ERR.SYNTAX);
  }
  if (count === -1) count = 1;
  return { keys: argv.slice(numkeysIdx + 1, whereIdx), first, count };
}

/** pop from the list `key` if it has elements: writes [key, [elements]] and returns true */
export function lmpopServe(c: Context, key: Buffer, first: boolean, count: number): boolean {
  const id = c.db.find(key);
  if (id < 0) return false;
  if (c.db.typeOf(id) !== 'list') throw new ReplyError(ERR.WRONGTYPE);
  const out = apply.listPop(c.db, key, !first, count);
  if (out === null || out.length === 0) return false;
  c.reply.array(2);
  c.reply.bulk(key);
  c.reply.array(out.length);
  for (const e of out) c.reply.bulk(e);
  return true;
}

/** pop from the zset `key` if it has members: writes [key, [[member, score] …]] and returns true */
export function zmpopServe(c: Context, key: Buffer, min: boolean, count: number): boolean {
  const id = c.db.find(key);
  if (id < 0) return false;
  if (c.db.typeOf(id) !== 'zset') throw new ReplyError(ERR.WRONGTYPE);
  const out = apply.zsetPop(c.db, key, !min, count);
  if (out === null || out.length === 0) return false;
  const w = c.reply;
  w.array(2);
  w.bulk(key);
  w.array(out.length);
  for (const [m, s] of out) {
    w.array(2);
    w.bulk(bytesOf(m));
    w.double(s);
  }
  return true;
}

export function mpopCommand(c: Context, argv: Buffer[], zset: boolean): void {
  const a = parseMpop(argv, 1, zset ? ['MIN', 'MAX'] : ['LEFT', 'RIGHT']);
  for (const k of a.keys) {
    if (zset ? zmpopServe(c, k, a.first, a.count) : lmpopServe(c, k, a.first, a.count)) return;
  }
  c.reply.nullArray();
}
