/** GETEX key [EX s|PX ms|EXAT s|PXAT ms|PERSIST] (getexCommand, t_string.c 7.0.15) */
import type { Context } from './context.js';
import { expireAt } from '../engine/types/generic.js';
import { ReplyError, ERR } from './errors.js';
import { is, readTyped } from './_util.js';
import { expireTime } from './SET.js';

const EX = 1;
const PX = 2;
const EXAT = 4;
const PXAT = 8;
const PERSIST = 16;
const ANY = EX | PX | EXAT | PXAT;

export function handler(c: Context, argv: Buffer[]): void {
  let flags = 0;
  let arg: Buffer | null = null;
  for (let j = 2; j < argv.length; j++) {
    const a = argv[j]!;
    const hasNext = j + 1 < argv.length;
    if (is(a, 'PERSIST') && !(flags & ANY)) flags |= PERSIST;
    else if (is(a, 'EX') && !(flags & (PERSIST | EXAT | PX | PXAT)) && hasNext) {
      flags |= EX;
      arg = argv[++j]!;
    } else if (is(a, 'PX') && !(flags & (PERSIST | EX | EXAT | PXAT)) && hasNext) {
      flags |= PX;
      arg = argv[++j]!;
    } else if (is(a, 'EXAT') && !(flags & (PERSIST | EX | PX | PXAT)) && hasNext) {
      flags |= EXAT;
      arg = argv[++j]!;
    } else if (is(a, 'PXAT') && !(flags & (PERSIST | EX | EXAT | PX)) && hasNext) {
      flags |= PXAT;
      arg = argv[++j]!;
    } else throw new ReplyError(ERR.SYNTAX);
  }
  const db = c.db;
  const v = readTyped(c, argv[1]!, 'string');
  if (v === null) return c.reply.nullBulk();
  let when = -1;
  if (arg) when = expireTime(arg, flags & (EX | EXAT) ? 1000 : 1, flags & (EX | PX) ? db.shared.now() : 0, 'getex');
  c.reply.bulk(v.buf);
  const id = db.find(argv[1]!);
  if (when >= 0) expireAt(db, id, when);
  else if (flags & PERSIST) db.setExpire(id, -1);
}
