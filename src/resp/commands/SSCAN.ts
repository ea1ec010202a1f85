/** SSCAN key cursor [MATCH pattern] [COUNT count] */
import type { Client } from '../client.js';
import { readTyped, argCursor } from './_util.js';
import { scanOptions } from './SCAN.js';
import { bytesOf } from '../../engine/values.js';

export function handler(c: Client, argv: Buffer[]): void {
  const cursor = argCursor(argv[2]!);
  const o = scanOptions(argv, 3, false);
  const v = readTyped(c, argv[1]!, 'set');
  const w = c.w;
  if (v === null) {
    w.array(2);
    w.bulkStr('0');
    return w.array(0);
  }
  // compact encodings answer in one call (Redis walks the whole listpack or intset)
  const all = v.encoding !== 'hashtable';
  const keys: string[] = v.members();
  const from = all ? 0 : cursor;
  const to = all ? keys.length : Math.min(keys.length, from + o.count);
  const out: string[] = [];
  for (let i = from; i < to; i++) {
    const k = keys[i]!;
    if (o.match && !o.match(bytesOf(k))) continue;
    out.push(k);
  }
  w.array(2);
  w.bulkStr(to >= keys.length ? '0' : String(to));
  w.array(out.length * 1);
  for (const k of out) {
    w.bulk(bytesOf(k));
    
  }
}
