/** SLOWLOG GET [count] (slowlogCommand, slowlog.c 7.0): newest first, 10 by default, -1 for all. */
import type { Context } from './context.js';
import { ReplyError } from './errors.js';
import { parseLongLong } from '../protocol/decoder.js';

export function handler(c: Context, argv: Buffer[]): void {
  let count = 10;
  if (argv.length === 3) {
    const v = parseLongLong(argv[2]!, 0, argv[2]!.length);
    if (v === null || v < -1) throw new ReplyError('ERR count should be greater than or equal to -1');
    count = v === -1 ? Infinity : v;
  }
  const entries = c.instance.observe.slowlog.entries;
  const n = Math.min(count, entries.length);
  const w = c.reply;
  w.array(n);
  for (let i = 0; i < n; i++) {
    const e = entries[i]!;
    w.array(6);
    w.int(e.id);
    w.int(e.time);
    w.int(e.usec);
    w.array(e.argv.length);
    for (const a of e.argv) w.bulk(a);
    w.bulkStr(e.peer);
    w.bulkStr(e.name);
  }
}
