/** SET key value [NX|XX] [GET] [EX s|PX ms|EXAT s|PXAT ms|KEEPTTL] (setCommand, t_string.c) */
import type { Context } from './context.js';
import { setString } from '../engine/types/string.js';
import { ReplyError, ERR, invalidExpire } from './errors.js';
import { argInt, argsFromQuery, is, readTyped } from './_util.js';

const NX = 1;
const XX = 2;
const GET = 4;
const KEEPTTL = 8;
const EX = 16;
const PX = 32;
const EXAT = 64;
const PXAT = 128;
const ANY_EXPIRE = EX | PX | EXAT | PXAT;

export function handler(c: Context, argv: Buffer[]): void {
  const db = c.db;
  if (argv.length === 3) {
    setString(db, argv[1]!, argv[2]!, false, argsFromQuery(c));
    return c.reply.ok();
  }
  let flags = 0;
  let expireArg: Buffer | null = null;
  for (let j = 3; j < argv.length; j++) {
    const a = argv[j]!;
    const hasNext = j + 1 < argv.length;
    if (is(a, 'NX') && !(flags & XX)) flags |= NX;
    else if (is(a, 'XX') && !(flags & NX)) flags |= XX;
    else if (is(a, 'GET')) flags |= GET;
    else if (is(a, 'KEEPTTL') && !(flags & ANY_EXPIRE)) flags |= KEEPTTL;
    else if (is(a, 'EX') && !(flags & (KEEPTTL | EXAT | PX | PXAT)) && hasNext) {
      flags |= EX;
      expireArg = argv[++j]!;
    } else if (is(a, 'PX') && !(flags & (KEEPTTL | EX | EXAT | PXAT)) && hasNext) {
      flags |= PX;
      expireArg = argv[++j]!;
    } else if (is(a, 'EXAT') && !(flags & (KEEPTTL | EX | PX | PXAT)) && hasNext) {
      flags |= EXAT;
      expireArg = argv[++j]!;
    } else if (is(a, 'PXAT') && !(flags & (KEEPTTL | EX | EXAT | PX)) && hasNext) {
      flags |= PXAT;
      expireArg = argv[++j]!;
    } else throw new ReplyError(ERR.SYNTAX);
  }
  let when = -1;
  if (expireArg) when = expireTime(expireArg, flags & (EX | EXAT) ? 1000 : 1, flags & (EX | PX) ? db.shared.now() : 0, 'set');
  // GET: the old value first (a WRONGTYPE stops the SET)
  if (flags & GET) {
    const old = readTyped(c, argv[1]!, 'string');
    if (old === null) c.reply.nullBulk();
    else c.reply.bulk(old.buf);
  }
  const found = db.find(argv[1]!) >= 0;
  if ((flags & NX && found) || (flags & XX && !found)) {
    if (!(flags & GET)) c.reply.nullBulk();
    return;
  }
  const id = setString(db, argv[1]!, argv[2]!, (flags & KEEPTTL) !== 0, argsFromQuery(c));
  // setGenericCommand: setExpire even when the time has passed (the key expires on its next
  // lookup, with the "expired" event), unlike EXPIRE's checkAlreadyExpired
  if (when >= 0) db.setExpire(id, when);
  if (!(flags & GET)) c.reply.ok();
}

/** getExpireMillisecondsOrReply: the absolute expiry in ms, or the error Redis gives */
export function expireTime(arg: Buffer, unit: number, base: number, cmd: string): number {
  const v = argInt(arg);
  if (v <= 0 || (unit === 1000 && v > Number.MAX_SAFE_INTEGER / 1000)) throw invalidExpire(cmd);
  const ms = v * unit + base;
  if (ms <= 0 || !Number.isFinite(ms)) throw invalidExpire(cmd);
  return ms;
}
