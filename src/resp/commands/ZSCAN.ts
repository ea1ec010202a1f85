/** ZSCAN key cursor [MATCH pattern] [COUNT count]: members and scores (as bulk strings). */
import type { Client } from '../client.js';
import { readTyped, argCursor, replyEmptyScan, replyScanPage } from './_util.js';
import { scanOptions } from './SCAN.js';
import { bytesOf } from '../../engine/values.js';
import { formatDouble } from '../encoder.js';

export function handler(c: Client, argv: Buffer[]): void {
  const cursor = argCursor(argv[2]!);
  const o = scanOptions(argv, 3, false);
  const v = readTyped(c, argv[1]!, 'zset');
  if (v === null) return replyEmptyScan(c);
  replyScanPage(c, [...v.scores.keys()], cursor, o, v.encoding !== 'skiplist', 2, (k) => {
    c.w.bulk(bytesOf(k));
    c.w.bulkNumberText(formatDouble(v.scores.get(k)!));
  });
}
