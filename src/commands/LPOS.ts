/** LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len] (lposCommand, t_list.c 7.0) */
import type { Context } from './context.js';
import { ReplyError, ERR } from './errors.js';
import { readTyped, argInt, is } from './_util.js';

export function handler(c: Context, argv: Buffer[]): void {
  const ele = argv[2]!;
  let rank = 1;
  let count = -1;
  let maxlen = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j]!;
    const more = argv.length - 1 - j;
    if (is(opt, 'RANK') && more) {
      rank = argInt(argv[++j]!);
      if (rank === 0) {
        throw new ReplyError(
          "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
        );
      }
    } else if (is(opt, 'COUNT') && more) {
      count = argInt(argv[++j]!, "ERR COUNT can't be negative");
      if (count < 0) throw new ReplyError("ERR COUNT can't be negative");
    } else if (is(opt, 'MAXLEN') && more) {
      maxlen = argInt(argv[++j]!, "ERR MAXLEN can't be negative");
      if (maxlen < 0) throw new ReplyError("ERR MAXLEN can't be negative");
    } else throw new ReplyError(ERR.SYNTAX);
  }
  let head = false;
  if (rank < 0) {
    rank = -rank;
    head = true;
  }
  const v = readTyped(c, argv[1]!, 'list');
  if (v === null) return count !== -1 ? c.reply.array(0) : c.reply.nullBulk();
  const llen = v.length;
  const out: number[] = [];
  let matches = 0;
  let matchindex = -1;
  for (let index = 0; index < llen && (maxlen === 0 || index < maxlen); index++) {
    const e = v.items.get(head ? llen - 1 - index : index)!;
    if (e.equals(ele)) {
      matches++;
      matchindex = head ? llen - index - 1 : index;
      if (matches >= rank) {
        if (count !== -1) {
          out.push(matchindex);
          if (count && matches - rank + 1 >= count) break;
        } else break;
      }
    }
    matchindex = -1;
  }
  if (count !== -1) {
    c.reply.array(out.length);
    for (const i of out) c.reply.int(i);
    return;
  }
  if (matchindex !== -1) c.reply.int(matchindex);
  else c.reply.nullBulk();
}
