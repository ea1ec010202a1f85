/** GEOADD key [NX|XX] [CH] longitude latitude member [...] (geoaddCommand, geo.c 7.0): ZADD with geohash scores */
import type { Context } from './context.js';
import { geoScore } from '../engine/geo.js';
import { ReplyError, ERR } from './errors.js';
import { argLongLat } from './_geo.js';
import { is } from './_util.js';
import { handler as zadd } from './ZADD.js';

export function handler(c: Context, argv: Buffer[]): void {
  let xx = false;
  let nx = false;
  let longidx = 2;
  for (; longidx < argv.length; longidx++) {
    const a = argv[longidx]!;
    if (is(a, 'NX')) nx = true;
    else if (is(a, 'XX')) xx = true;
    else if (!is(a, 'CH')) break;
  }
  if ((argv.length - longidx) % 3 || (xx && nx)) throw new ReplyError(ERR.SYNTAX);
  // every pair is checked before ZADD runs: all or nothing
  const zargv: Buffer[] = [Buffer.from('zadd'), ...argv.slice(1, longidx)];
  for (let i = longidx; i < argv.length; i += 3) {
    const [x, y] = argLongLat(argv[i]!, argv[i + 1]!);
    zargv.push(Buffer.from(String(geoScore(x, y)!)), argv[i + 2]!);
  }
  zadd(c, zargv);
}
