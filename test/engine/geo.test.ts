/**
 * Geo scores, positions, hashes, distances and searches equal a live redis-server 7.0.15's on
 * seeded points: GEOADD scores, GEOPOS / GEOHASH / GEODIST text, and GEOSEARCH / GEORADIUS
 * replies (members, order, WITHDIST / WITHHASH / WITHCOORD) for circles and boxes, with and
 * without COUNT / ANY / ASC / DESC, near the poles, the antimeridian and with huge radii.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  geoScore, decodeGeohash, formatCoordinate, formatDistance, geohashString, geohashGetDistance,
  geoSearch, sortedScoreRange, geoUnit, invalidLongLatError, type GeoShape,
} from '../../src/engine/geo.js';
import { startRedis, type RedisHandle, type RespReply } from '../helpers/redis-server.js';
import { rng, pick } from '../helpers/seeded.js';

let redis: RedisHandle;
before(async () => {
  redis = await startRedis();
});
after(async () => {
  await redis?.stop();
});

interface Pt {
  member: string;
  lon: number;
  lat: number;
}

function points(r: () => number, n: number): Pt[] {
  const centres: [number, number][] = [[13.36, 38.11], [-0.12, 51.5], [179.9, 0.5], [-179.95, -10], [0, 84.9], [120, -84.8], [0, 0]];
  const out: Pt[] = [];
  for (let i = 0; i < n; i++) {
    let lon: number;
    let lat: number;
    if (r() < 0.3) {
      lon = r() * 360 - 180;
      lat = r() * 170.1 - 85.05;
    } else {
      const [cx, cy] = pick(r, centres);
      const spread = pick(r, [0.001, 0.05, 1, 5]);
      lon = Math.max(-180, Math.min(180, cx + (r() - 0.5) * spread));
      lat = Math.max(-85.05112878, Math.min(85.05112878, cy + (r() - 0.5) * spread));
    }
    // a few coordinates with few significant digits (ties, exact decimals)
    if (r() < 0.1) {
      lon = Math.round(lon * 10) / 10;
      lat = Math.max(-85, Math.min(85, Math.round(lat * 10) / 10));
    }
    out.push({ member: `p${i}`, lon, lat });
  }
  // exact duplicates of positions: equal distances, so pqsort's order of ties matters
  for (let i = 0; i < 30; i++) {
    const p = out[Math.floor(r() * out.length)]!;
    out.push({ member: `dup${i}`, lon: p.lon, lat: p.lat });
  }
  out.push({ member: 'edge-max', lon: 180, lat: 85.05112878 }, { member: 'edge-min', lon: -180, lat: -85.05112878 });
  return out;
}

const toText = (v: RespReply): unknown => {
  if (Buffer.isBuffer(v)) return v.toString('latin1');
  if (Array.isArray(v)) return v.map(toText);
  if (v instanceof Error) return `ERR:${v.message}`;
  return v;
};

let pts: Pt[] = [];
const scoreOf = new Map<string, number>();
let zset: { member: string; score: number }[] = [];

test('GEOADD scores, GEOPOS, GEOHASH and GEODIST equal redis-server', async () => {
  const r = rng(0x6e0);
  pts = points(r, 1500);
  for (let i = 0; i < pts.length; i += 100) {
    const args: string[] = [];
    for (const p of pts.slice(i, i + 100)) args.push(String(p.lon), String(p.lat), p.member);
    await redis.command('GEOADD', 'g', ...args);
  }
  const flat = toText(await redis.command('ZRANGE', 'g', '0', '-1', 'WITHSCORES')) as string[];
  for (let i = 0; i < flat.length; i += 2) scoreOf.set(flat[i]!, Number(flat[i + 1]));
  for (const p of pts) {
    const s = geoScore(p.lon, p.lat);
    assert.equal(s, scoreOf.get(p.member), `score of ${p.member} (${p.lon}, ${p.lat})`);
  }
  zset = [...scoreOf].map(([member, score]) => ({ member, score }));
  zset.sort((a, b) => a.score - b.score || (a.member < b.member ? -1 : a.member > b.member ? 1 : 0));

  const members = pts.map((p) => p.member);
  const pos = toText(await redis.command('GEOPOS', 'g', ...members, 'nope')) as (string[] | null)[];
  assert.equal(pos[members.length], null);
  const hashes = toText(await redis.command('GEOHASH', 'g', ...members)) as string[];
  for (const [i, m] of members.entries()) {
    const xy = decodeGeohash(scoreOf.get(m)!);
    assert.deepEqual([formatCoordinate(xy[0]), formatCoordinate(xy[1])], pos[i], `GEOPOS ${m}`);
    assert.equal(geohashString(scoreOf.get(m)!), hashes[i], `GEOHASH ${m}`);
  }

  for (let i = 0; i < 800; i++) {
    const a = pick(r, members);
    const b = pick(r, members);
    const unit = pick(r, ['m', 'km', 'ft', 'mi', 'KM']);
    const theirs = toText(await redis.command('GEODIST', 'g', a, b, unit));
    const [x1, y1] = decodeGeohash(scoreOf.get(a)!);
    const [x2, y2] = decodeGeohash(scoreOf.get(b)!);
    assert.equal(formatDistance(geohashGetDistance(x1, y1, x2, y2) / geoUnit(unit)!), theirs, `GEODIST ${a} ${b} ${unit}`);
  }
});

test('scores and text forms of odd zset scores (non-geo sets) equal redis-server', async () => {
  const odd = ['0', '1', '-1', '-12345.75', '4503599627370496', '9007199254740993', '1e300', '-1e300', 'inf', '-inf', '18446744073709551616', '9223372036854775808', '123456789.5'];
  for (const [i, s] of odd.entries()) await redis.command('ZADD', 'odd', s, `o${i}`);
  const pos = toText(await redis.command('GEOPOS', 'odd', ...odd.map((_, i) => `o${i}`))) as string[][];
  const hashes = toText(await redis.command('GEOHASH', 'odd', ...odd.map((_, i) => `o${i}`))) as string[];
  const num = (s: string) => (s === 'inf' ? Infinity : s === '-inf' ? -Infinity : Number(s));
  for (const [i, s] of odd.entries()) {
    const xy = decodeGeohash(num(s));
    assert.deepEqual([formatCoordinate(xy[0]), formatCoordinate(xy[1])], pos[i], `GEOPOS of score ${s}`);
    assert.equal(geohashString(num(s)), hashes[i], `GEOHASH of score ${s}`);
  }
  assert.equal(toText(await redis.command('GEOADD', 'x', '181', '0', 'm')), `ERR:${invalidLongLatError(181, 0)}`);
  assert.equal(toText(await redis.command('GEOADD', 'x', '10', '-85.06', 'm')), `ERR:${invalidLongLatError(10, -85.06)}`);
});

function ourReply(found: ReturnType<typeof geoSearch<string>>, withdist: boolean, withhash: boolean, withcoord: boolean): unknown {
  if (!withdist && !withhash && !withcoord) return found.map((p) => p.member);
  return found.map((p) => {
    const row: unknown[] = [p.member];
    if (withdist) row.push(formatDistance(p.dist));
    if (withhash) row.push(p.score);
    if (withcoord) row.push([formatCoordinate(p.longitude), formatCoordinate(p.latitude)]);
    return row;
  });
}

test('GEOSEARCH / GEORADIUS replies equal redis-server on 1500 seeded queries', async () => {
  const r = rng(0x5ea);
  const range = sortedScoreRange(zset);
  const members = pts.map((p) => p.member);
  for (let q = 0; q < 1500; q++) {
    const fromMember = r() < 0.4;
    let xy: [number, number];
    const args: string[] = [];
    if (fromMember) {
      const m = pick(r, members);
      args.push('FROMMEMBER', m);
      xy = decodeGeohash(scoreOf.get(m)!);
    } else {
      const p = pick(r, pts);
      xy = [Math.max(-180, Math.min(180, p.lon + (r() - 0.5))), Math.max(-85, Math.min(85, p.lat + (r() - 0.5)))];
      args.push('FROMLONLAT', String(xy[0]), String(xy[1]));
    }
    const unit = pick(r, ['m', 'km', 'mi', 'ft']);
    const conv = geoUnit(unit)!;
    const meters = pick(r, [0, 50, 2000, 100_000, 1_000_000, 6_000_000, 20_000_000]) * r();
    const size = meters / conv;
    let shape: GeoShape;
    if (r() < 0.5) {
      args.push('BYRADIUS', String(size), unit);
      shape = { type: 'circle', xy, conversion: conv, radius: size };
    } else {
      const w = size * 2 * r();
      const h = size * 2 * r();
      args.push('BYBOX', String(w), String(h), unit);
      shape = { type: 'box', xy, conversion: conv, width: w, height: h };
    }
    // The parser reads the numbers back as Redis does (strtod of our text).
    if (shape.type === 'circle') shape.radius = Number(String(size));
    const sort = pick(r, ['none', 'none', 'asc', 'desc'] as const);
    if (sort !== 'none') args.push(sort.toUpperCase());
    let count = 0;
    let any = false;
    if (r() < 0.4) {
      count = 1 + Math.floor(r() * 20);
      args.push('COUNT', String(count));
      if (r() < 0.3) {
        any = true;
        args.push('ANY');
      }
    }
    const withdist = r() < 0.5;
    const withhash = r() < 0.3;
    const withcoord = r() < 0.3;
    if (withdist) args.push('WITHDIST');
    if (withhash) args.push('WITHHASH');
    if (withcoord) args.push('WITHCOORD');
    const theirs = toText(await redis.command('GEOSEARCH', 'g', ...args));
    const found = geoSearch(range, shape, { count, any, sort });
    assert.deepEqual(ourReply(found, withdist, withhash, withcoord), theirs, `GEOSEARCH g ${args.join(' ')}`);
  }
  // GEORADIUS shares the search; one form with STORE / STOREDIST checks the stored scores.
  const centre = decodeGeohash(scoreOf.get('p1')!);
  await redis.command('GEORADIUS', 'g', String(centre[0]), String(centre[1]), '700', 'km', 'STOREDIST', 'd');
  const stored = toText(await redis.command('ZRANGE', 'd', '0', '-1', 'WITHSCORES')) as string[];
  const found = geoSearch(range, { type: 'circle', xy: [Number(String(centre[0])), Number(String(centre[1]))], conversion: 1000, radius: 700 }, { count: 0, any: false, sort: 'none' });
  const ours = found.map((p) => ({ member: p.member, score: p.dist })).sort((a, b) => a.score - b.score || (a.member < b.member ? -1 : 1));
  assert.deepEqual(ours.flatMap((p) => [p.member, p.score]), stored.map((s, i) => (i % 2 ? Number(s) : s)));
});
