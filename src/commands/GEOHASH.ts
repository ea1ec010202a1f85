/** GEOHASH key [member ...] (geohashCommand, geo.c 7.0) */
import type { Context } from './context.js';
import { geohashString } from '../engine/geo.js';
import { readTyped } from './_util.js';

export function handler(c: Context, argv: Buffer[]): void {
  const z = readTyped(c, argv[1]!, 'zset');
  const w = c.reply;
  w.array(argv.length - 2);
  for (let j = 2; j < argv.length; j++) {
    const s = z === null ? undefined : z.score(argv[j]!);
    if (s === undefined) w.nullBulk();
    else w.bulkStr(geohashString(s));
  }
}
