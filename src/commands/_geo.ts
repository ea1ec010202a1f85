/**
 * The geo commands' shared part (geo.c 7.0): coordinates and distances from arguments with
 * Redis's error texts, member positions, and georadiusGeneric over src/engine/geo.ts for
 * GEORADIUS(_RO), GEORADIUSBYMEMBER(_RO), GEOSEARCH and GEOSEARCHSTORE.
 */
import type { Context } from './context.js';
import { decodeGeohash, formatCoordinate, formatDistance, GEO_UNIT_ERR, geoSearch, geoUnit, invalidLongLatError, sortedScoreRange, type GeoShape } from '../engine/geo.js';
import { bytesOf } from '../engine/types/generic.js';
import { ZsetValue } from '../engine/types/zset.js';
import { ReplyError, ERR, printable } from './errors.js';
import { argBigInt, argDouble, is, readTyped } from './_util.js';

/** extractLongLatOrReply */
export function argLongLat(a: Buffer, b: Buffer): [number, number] {
  const x = argDouble(a);
  const y = argDouble(b);
  const err = invalidLongLatError(x, y);
  if (err !== null) throw new ReplyError(err);
  return [x, y];
}

/** extractUnitOrReply */
export function argUnit(b: Buffer): number {
  const u = geoUnit(printable(b, b.length));
  if (u === null) throw new ReplyError(GEO_UNIT_ERR);
  return u;
}

/** extractDistanceOrReply: [radius, conversion] */
function argDistance(d: Buffer, unit: Buffer): [number, number] {
  const r = argDouble(d, 'ERR need numeric radius');
  if (r < 0) throw new ReplyError('ERR radius cannot be negative');
  return [r, argUnit(unit)];
}

/** longLatFromMember */
export function memberLongLat(z: ZsetValue, member: Buffer): [number, number] | null {
  const s = z.score(member);
  return s === undefined ? null : decodeGeohash(s);
}

export const RADIUS_COORDS = 1;
export const RADIUS_MEMBER = 2;
export const RADIUS_NOSTORE = 4;
export const GEOSEARCH = 8;
export const GEOSEARCHSTORE = 16;

/** georadiusGeneric */
export function georadiusGeneric(c: Context, argv: Buffer[], srcKeyIndex: number, flags: number): void {
  const z = readTyped(c, argv[srcKeyIndex]!, 'zset');
  let storekey: Buffer | null = null;
  let storedist = false;
  let baseArgs: number;
  let xy: [number, number] = [0, 0];
  let radius = 0;
  let conversion = 1;
  let width = 0;
  let height = 0;
  let type: 'circle' | 'box' = 'circle';
  if (flags & RADIUS_COORDS) {
    baseArgs = 6;
    xy = argLongLat(argv[2]!, argv[3]!);
    [radius, conversion] = argDistance(argv[4]!, argv[5]!);
  } else if (flags & RADIUS_MEMBER && z === null) {
    baseArgs = 5;
  } else if (flags & RADIUS_MEMBER) {
    baseArgs = 5;
    const p = memberLongLat(z!, argv[2]!);
    if (p === null) throw new ReplyError('ERR could not decode requested zset member');
    xy = p;
    [radius, conversion] = argDistance(argv[3]!, argv[4]!);
  } else {
    baseArgs = 2;
    if (flags & GEOSEARCHSTORE) {
      baseArgs = 3;
      storekey = argv[1]!;
    }
  }
  let withdist = false;
  let withhash = false;
  let withcoords = false;
  let frommember = false;
  let fromloc = false;
  let byradius = false;
  let bybox = false;
  let sort: 'none' | 'asc' | 'desc' = 'none';
  let any = false;
  let count = 0;
  const remaining = argv.length - baseArgs;
  for (let i = 0; i < remaining; i++) {
    const a = argv[baseArgs + i]!;
    const at = (k: number) => argv[baseArgs + i + k]!;
    if (is(a, 'WITHDIST')) withdist = true;
    else if (is(a, 'WITHHASH')) withhash = true;
    else if (is(a, 'WITHCOORD')) withcoords = true;
    else if (is(a, 'ANY')) any = true;
    else if (is(a, 'ASC')) sort = 'asc';
    else if (is(a, 'DESC')) sort = 'desc';
    else if (is(a, 'COUNT') && i + 1 < remaining) {
      count = Number(argBigInt(at(1)));
      if (count <= 0) throw new ReplyError('ERR COUNT must be > 0');
      i++;
    } else if (is(a, 'STORE') && i + 1 < remaining && !(flags & RADIUS_NOSTORE) && !(flags & GEOSEARCH)) {
      storekey = at(1);
      storedist = false;
      i++;
    } else if (is(a, 'STOREDIST') && i + 1 < remaining && !(flags & RADIUS_NOSTORE) && !(flags & GEOSEARCH)) {
      storekey = at(1);
      storedist = true;
      i++;
    } else if (is(a, 'STOREDIST') && flags & GEOSEARCH && flags & GEOSEARCHSTORE) {
      storedist = true;
    } else if (is(a, 'FROMMEMBER') && i + 1 < remaining && flags & GEOSEARCH && !fromloc) {
      if (z !== null) {
        const p = memberLongLat(z, at(1));
        if (p === null) throw new ReplyError('ERR could not decode requested zset member');
        xy = p;
      }
      frommember = true;
      i++;
    } else if (is(a, 'FROMLONLAT') && i + 2 < remaining && flags & GEOSEARCH && !frommember) {
      xy = argLongLat(at(1), at(2));
      fromloc = true;
      i += 2;
    } else if (is(a, 'BYRADIUS') && i + 2 < remaining && flags & GEOSEARCH && !bybox) {
      [radius, conversion] = argDistance(at(1), at(2));
      type = 'circle';
      byradius = true;
      i += 2;
    } else if (is(a, 'BYBOX') && i + 3 < remaining && flags & GEOSEARCH && !byradius) {
      width = argDouble(at(1), 'ERR need numeric width');
      height = argDouble(at(2), 'ERR need numeric height');
      if (height < 0 || width < 0) throw new ReplyError('ERR height or width cannot be negative');
      conversion = argUnit(at(3));
      type = 'box';
      bybox = true;
      i += 3;
    } else throw new ReplyError(ERR.SYNTAX);
  }
  if (storekey && (withdist || withhash || withcoords)) {
    throw new ReplyError(`ERR ${flags & GEOSEARCHSTORE ? 'GEOSEARCHSTORE' : 'STORE option in GEORADIUS'} is not compatible with WITHDIST, WITHHASH and WITHCOORD options`);
  }
  const name = printable(argv[0]!, argv[0]!.length);
  if (flags & GEOSEARCH && !(frommember || fromloc)) throw new ReplyError(`ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for ${name}`);
  if (flags & GEOSEARCH && !(byradius || bybox)) throw new ReplyError(`ERR exactly one of BYRADIUS and BYBOX can be specified for ${name}`);
  if (any && !count) throw new ReplyError('ERR the ANY argument requires COUNT argument');
  const db = c.db;
  if (z === null) {
    if (storekey) {
      db.delete(storekey);
      return c.reply.int(0);
    }
    return c.reply.array(0);
  }
  const shape: GeoShape = type === 'circle' ? { type, xy, conversion, radius } : { type, xy, conversion, width, height };
  const order = z.order;
  const scores = z.orderScores;
  const sorted = order.map((m, i) => ({ member: m, score: scores[i]! }));
  const points = geoSearch(sortedScoreRange(sorted), shape, { count, any, sort });
  if (storekey === null) {
    const w = c.reply;
    const opts = (withdist ? 1 : 0) + (withhash ? 1 : 0) + (withcoords ? 1 : 0);
    w.array(points.length);
    for (const p of points) {
      if (opts) w.array(opts + 1);
      w.bulk(bytesOf(p.member));
      if (withdist) w.bulkStr(formatDistance(p.dist));
      if (withhash) w.int(p.score);
      if (withcoords) {
        w.array(2);
        w.bulkStr(formatCoordinate(p.longitude));
        w.bulkStr(formatCoordinate(p.latitude));
      }
    }
    return;
  }
  if (points.length > 0) {
    const entries: [string, number][] = points.map((p) => [p.member, storedist ? p.dist : p.score]);
    db.setValue(storekey, ZsetValue.fromResult(db.shared.env, entries, false));
  } else db.delete(storekey);
  c.reply.int(points.length);
}

