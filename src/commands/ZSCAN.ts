/** ZSCAN key cursor [MATCH pattern] [COUNT count]: members and scores (as bulk strings). */
import type { Context } from './context.js';
import { readTyped, argCursor, replyEmptyScan, replyScanPage } from './_util.js';
import { scanOptions } from './SCAN.js';
import { bytesOf } from '../engine/types/generic.js';
import { formatDouble } from '../protocol/encoder.js';

export function handler(c: Context, argv: Buffer[]): void {
  const cursor = argCursor(argv[2]!);
  const o = scanOptions(argv, 3, false);
  const v = readTyped(c, argv[1]!, 'zset');
  if (v === null) return replyEmptyScan(c);
  replyScanPage(c, [...v.scores.keys()], cursor, o, v.encoding !== 'skiplist', 2, (k) => {
    c.reply.bulk(bytesOf(k));
    c.reply.bulkNumberText(formatDouble(v.scores.get(k)!));
  });
}
