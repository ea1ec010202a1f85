/** GEODIST key member1 member2 [M|KM|FT|MI] (geodistCommand, geo.c 7.0) */
import type { Context } from './context.js';
import { formatDistance, geohashGetDistance } from '../engine/geo.js';
import { ReplyError, ERR } from './errors.js';
import { readTyped } from './_util.js';
import { argUnit, memberLongLat } from './_geo.js';

export function handler(c: Context, argv: Buffer[]): void {
  let toMeter = 1;
  if (argv.length === 5) toMeter = argUnit(argv[4]!);
  else if (argv.length > 5) throw new ReplyError(ERR.SYNTAX);
  const z = readTyped(c, argv[1]!, 'zset');
  if (z === null) return c.reply.nullBulk();
  const a = memberLongLat(z, argv[2]!);
  const b = memberLongLat(z, argv[3]!);
  if (a === null || b === null) return c.reply.nullBulk();
  c.reply.bulkStr(formatDistance(geohashGetDistance(a[0], a[1], b[0], b[1]) / toMeter));
}
