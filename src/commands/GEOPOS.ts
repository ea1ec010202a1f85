/** GEOPOS key [member ...] (geoposCommand, geo.c 7.0) */
import type { Context } from './context.js';
import { formatCoordinate } from '../engine/geo.js';
import { readTyped } from './_util.js';
import { memberLongLat } from './_geo.js';

export function handler(c: Context, argv: Buffer[]): void {
  const z = readTyped(c, argv[1]!, 'zset');
  const w = c.reply;
  w.array(argv.length - 2);
  for (let j = 2; j < argv.length; j++) {
    const p = z === null ? null : memberLongLat(z, argv[j]!);
    if (p === null) {
      w.nullArray();
      continue;
    }
    w.array(2);
    w.bulkStr(formatCoordinate(p[0]));
    w.bulkStr(formatCoordinate(p[1]));
  }
}
