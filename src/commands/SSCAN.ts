/** SSCAN key cursor [MATCH pattern] [COUNT count] */
import type { Context } from './context.js';
import { readTyped, argCursor, replyEmptyScan, replyScanPage } from './_util.js';
import { scanOptions } from './SCAN.js';
import { bytesOf } from '../engine/types/generic.js';

export function handler(c: Context, argv: Buffer[]): void {
  const cursor = argCursor(argv[2]!);
  const o = scanOptions(argv, 3, false);
  const v = readTyped(c, argv[1]!, 'set');
  if (v === null) return replyEmptyScan(c);
  replyScanPage(c, v.members(), cursor, o, v.encoding !== 'hashtable', 1, (k) => c.reply.bulk(bytesOf(k)));
}
