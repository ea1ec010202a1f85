/** LPOP and RPOP: key [count], from the head or the tail. */
import type { Context } from './context.js';
import { listPop } from '../engine/types/list.js';
import { ReplyError, ERR, wrongArgs } from './errors.js';
import { parseLongLong } from '../protocol/decoder.js';

export function listPopCommand(c: Context, argv: Buffer[], name: 'lpop' | 'rpop'): void {
  if (argv.length > 3) throw wrongArgs(name);
  let count = 1;
  const hasCount = argv.length === 3;
  if (hasCount) {
    const n = parseLongLong(argv[2]!, 0, argv[2]!.length);
    if (n === null || n < 0) throw new ReplyError(ERR.POSITIVE);
    count = n;
  }
  const id = c.db.find(argv[1]!);
  if (id < 0) return hasCount ? c.reply.nullArray() : c.reply.nullBulk();
  if (c.db.typeOf(id) !== 'list') throw new ReplyError(ERR.WRONGTYPE);
  if (hasCount && count === 0) return c.reply.array(0);
  const out = listPop(c.db, argv[1]!, name === 'rpop', count)!;
  if (!hasCount) return c.reply.bulk(out[0]!);
  c.reply.array(out.length);
  for (const e of out) c.reply.bulk(e);
}
