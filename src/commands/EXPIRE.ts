/** EXPIRE key seconds [NX|XX|GT|LT] (expireGenericCommand, expire.c) */
import type { Context } from './context.js';
import { expireAt } from '../engine/types/generic.js';
import { ReplyError, invalidExpire, printable } from './errors.js';
import { argBigInt, is } from './_util.js';

export function handler(c: Context, argv: Buffer[]): void {
  expireGeneric(c, argv, 1000, true, 'expire');
}

const NX = 1;
const XX = 2;
const GT = 4;
const LT = 8;

export function expireGeneric(c: Context, argv: Buffer[], unit: number, relative: boolean, cmd: string): void {
  let flags = 0;
  for (let i = 3; i < argv.length; i++) {
    const a = argv[i]!;
    if (is(a, 'NX')) flags |= NX;
    else if (is(a, 'XX')) flags |= XX;
    else if (is(a, 'GT')) flags |= GT;
    else if (is(a, 'LT')) flags |= LT;
    else throw new ReplyError(`ERR Unsupported option ${printable(a, 128)}`);
  }
  if (flags & NX && flags & (XX | GT | LT)) throw new ReplyError('ERR NX and XX, GT or LT options at the same time are not compatible');
  if (flags & GT && flags & LT) throw new ReplyError('ERR GT and LT options at the same time are not compatible');
  // exact int64 checks (expireGenericCommand): LLONG_MAX / 1000, LLONG_MIN / 1000 (truncated), LLONG_MAX - basetime
  let big = argBigInt(argv[2]!);
  if (unit === 1000) {
    if (big > 9223372036854775n || big < -9223372036854775n) throw invalidExpire(cmd);
    big *= 1000n;
  }
  const base = relative ? BigInt(c.db.shared.now()) : 0n;
  if (big > 9223372036854775807n - base) throw invalidExpire(cmd);
  const when = Number(big + base);
  const db = c.db;
  const id = db.find(argv[1]!);
  if (id < 0) return c.reply.int(0);
  const cur = db.ks.expireOf(id);
  if (flags & NX && cur !== -1) return c.reply.int(0);
  if (flags & XX && cur === -1) return c.reply.int(0);
  if (flags & GT && (when <= cur || cur === -1)) return c.reply.int(0);
  if (flags & LT && cur !== -1 && when >= cur) return c.reply.int(0);
  expireAt(db, id, when);
  c.reply.int(1);
}
