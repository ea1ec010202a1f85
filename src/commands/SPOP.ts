/** SPOP key [count] */
import type { Context } from './context.js';
import { setPop } from '../engine/types/set.js';
import { ReplyError, ERR } from './errors.js';
import { parseLongLong } from '../protocol/decoder.js';
import { bytesOf } from '../engine/types/generic.js';

export function handler(c: Context, argv: Buffer[]): void {
  if (argv.length > 3) throw new ReplyError(ERR.SYNTAX);
  if (argv.length === 2) {
    const out = setPop(c.db, argv[1]!, 1, c.instance.random);
    if (out === null) return c.reply.nullBulk();
    return c.reply.bulk(bytesOf(out[0]!));
  }
  const n = parseLongLong(argv[2]!, 0, argv[2]!.length);
  if (n === null || n < 0) throw new ReplyError(ERR.POSITIVE);
  const id = c.db.find(argv[1]!);
  if (id >= 0 && c.db.typeOf(id) !== 'set') throw new ReplyError(ERR.WRONGTYPE);
  if (id < 0 || n === 0) return c.reply.set(0);
  const out = setPop(c.db, argv[1]!, n, c.instance.random)!;
  c.reply.set(out.length);
  for (const m of out) c.reply.bulk(bytesOf(m));
}
