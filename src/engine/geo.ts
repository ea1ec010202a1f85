/**
 * Geo as Redis 7.0 computes it (geohash.c, geohash_helper.c, geo.c): 52-bit interleaved
 * geohash scores, the haversine distance on a sphere of 6372797.560856 m, the 3×3 box search
 * areas of GEORADIUS / GEOSEARCH, and the text forms of the replies (GEOHASH's 11 characters,
 * distances with 4 decimals, coordinates as "%.17Lf" trimmed).
 *
 * Hash bits are bigints where 64-bit arithmetic is needed (a few per query); decoding a
 * member's score, done once per candidate, stays in 32-bit integer arithmetic.
 */
import { formatLongDouble } from './long-double.js';
import { pqsort } from './pqsort.js';

export const GEO_STEP_MAX = 26;
export const GEO_LAT_MIN = -85.05112878;
export const GEO_LAT_MAX = 85.05112878;
export const GEO_LONG_MIN = -180;
export const GEO_LONG_MAX = 180;

const D_R = Math.PI / 180.0;
/** Earth's quadratic mean radius for WGS-84 (geohash_helper.c) */
export const EARTH_RADIUS_IN_METERS = 6372797.560856;
const MERCATOR_MAX = 20037726.37;

export interface GeoHashBits {
  bits: bigint;
  step: number;
}
export interface GeoHashRange {
  min: number;
  max: number;
}
export interface GeoHashArea {
  hash: GeoHashBits;
  longitude: GeoHashRange;
  latitude: GeoHashRange;
}
export interface GeoHashNeighbors {
  north: GeoHashBits;
  east: GeoHashBits;
  west: GeoHashBits;
  south: GeoHashBits;
  north_east: GeoHashBits;
  south_east: GeoHashBits;
  north_west: GeoHashBits;
  south_west: GeoHashBits;
}
export interface GeoHashRadius {
  hash: GeoHashBits;
  area: GeoHashArea;
  neighbors: GeoHashNeighbors;
}

/** GeoShape (geohash.h): a circle (radius) or an axis-aligned box (width × height). */
export type GeoShape =
  | { type: 'circle'; xy: [number, number]; conversion: number; radius: number }
  | { type: 'box'; xy: [number, number]; conversion: number; width: number; height: number };

const WGS84_LONG: GeoHashRange = { min: GEO_LONG_MIN, max: GEO_LONG_MAX };
const WGS84_LAT: GeoHashRange = { min: GEO_LAT_MIN, max: GEO_LAT_MAX };

// ------------------------------------------------------------------ bit interleaving

/** Spread the low 16 bits of x to the even bit positions of a 32-bit word. */
function spread16(x: number): number {
  x &= 0xffff;
  x = (x | (x << 8)) & 0x00ff00ff;
  x = (x | (x << 4)) & 0x0f0f0f0f;
  x = (x | (x << 2)) & 0x33333333;
  x = (x | (x << 1)) & 0x55555555;
  return x >>> 0;
}

/** Gather the even bits of a 32-bit word into 16 bits. */
function compact16(x: number): number {
  x &= 0x55555555;
  x = (x | (x >>> 1)) & 0x33333333;
  x = (x | (x >>> 2)) & 0x0f0f0f0f;
  x = (x | (x >>> 4)) & 0x00ff00ff;
  x = (x | (x >>> 8)) & 0x0000ffff;
  return x;
}

/** interleave64(xlo, ylo): x (latitude) on the even bits, y (longitude) on the odd bits. */
function interleave64(xlo: number, ylo: number): bigint {
  const lo = (spread16(xlo) | (spread16(ylo) << 1)) >>> 0;
  const hi = (spread16(xlo >>> 16) | (spread16(ylo >>> 16) << 1)) >>> 0;
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** double → uint32_t as C converts it (truncation; the values here are in [0, 2^32)). */
function toU32(d: number): number {
  return Math.trunc(d) >>> 0;
}

// ------------------------------------------------------------------ encode / decode

/** geohashEncode: null where Redis returns 0 (bad step, coordinates out of range). */
export function geohashEncode(
  longRange: GeoHashRange,
  latRange: GeoHashRange,
  longitude: number,
  latitude: number,
  step: number,
): GeoHashBits | null {
  if (step > 32 || step === 0) return null;
  if ((latRange.max === 0 && latRange.min === 0) || (longRange.max === 0 && longRange.min === 0)) return null;
  if (longitude > GEO_LONG_MAX || longitude < GEO_LONG_MIN || latitude > GEO_LAT_MAX || latitude < GEO_LAT_MIN) return null;
  if (latitude < latRange.min || latitude > latRange.max || longitude < longRange.min || longitude > longRange.max) return null;
  let latOffset = (latitude - latRange.min) / (latRange.max - latRange.min);
  let longOffset = (longitude - longRange.min) / (longRange.max - longRange.min);
  latOffset *= 2 ** step;
  longOffset *= 2 ** step;
  return { bits: interleave64(toU32(latOffset), toU32(longOffset)), step };
}

/** geohashEncodeWGS84 */
export function geohashEncodeWGS84(longitude: number, latitude: number, step = GEO_STEP_MAX): GeoHashBits | null {
  return geohashEncode(WGS84_LONG, WGS84_LAT, longitude, latitude, step);
}

/** geohashAlign52Bits, as the double a zset score holds */
export function geohashAlign52Bits(hash: GeoHashBits): number {
  return Number(BigInt.asUintN(64, hash.bits << BigInt(52 - hash.step * 2)));
}

/**
 * The score GEOADD stores for a position (geohashEncodeWGS84 at step 26, aligned), or null
 * when the pair is out of range — the command then replies
 * `ERR invalid longitude,latitude pair %f,%f` (see invalidLongLatError).
 */
export function geoScore(longitude: number, latitude: number): number | null {
  const h = geohashEncodeWGS84(longitude, latitude, GEO_STEP_MAX);
  return h === null ? null : geohashAlign52Bits(h);
}

/** extractLongLatOrReply's range check: the error reply text, or null when valid. */
export function invalidLongLatError(longitude: number, latitude: number): string | null {
  if (longitude < GEO_LONG_MIN || longitude > GEO_LONG_MAX || latitude < GEO_LAT_MIN || latitude > GEO_LAT_MAX) {
    return `ERR invalid longitude,latitude pair ${cFixed6(longitude)},${cFixed6(latitude)}`;
  }
  return null;
}

/** printf("%f") of a double: 6 decimals, exact value rounded half to even. */
export function cFixed6(x: number): string {
  if (Number.isNaN(x)) return x < 0 ? '-nan' : 'nan';
  if (!Number.isFinite(x)) return x < 0 ? '-inf' : 'inf';
  return exactFixed(x, 6);
}

/** The exact decimal value of a finite double rounded half-even to `digits` places. */
function exactFixed(x: number, digits: number): string {
  const neg = x < 0 || Object.is(x, -0);
  const { m, e } = decompose(Math.abs(x));
  const scale = 10n ** BigInt(digits);
  let q: bigint;
  if (e >= 0) q = (m << BigInt(e)) * scale;
  else {
    const num = m * scale;
    const den = 1n << BigInt(-e);
    q = num / den;
    const r = num % den;
    if (r * 2n > den || (r * 2n === den && (q & 1n) === 1n)) q++;
  }
  const ip = (q / scale).toString();
  const fp = (q % scale).toString().padStart(digits, '0');
  return (neg ? '-' : '') + ip + (digits > 0 ? '.' + fp : '');
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** A finite non-negative double as m × 2^e with integer m. */
function decompose(x: number): { m: bigint; e: number } {
  f64[0] = x;
  const lo = u32[0]!;
  const hi = u32[1]!;
  const exp = (hi >>> 20) & 0x7ff;
  const frac = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (exp === 0) return { m: frac, e: -1074 };
  return { m: frac | (1n << 52n), e: exp - 1075 };
}

/** geohashDecode: the cell of a hash (null for the zero hash). */
export function geohashDecode(longRange: GeoHashRange, latRange: GeoHashRange, hash: GeoHashBits): GeoHashArea | null {
  if (hash.bits === 0n && hash.step === 0) return null;
  if ((latRange.max === 0 && latRange.min === 0) || (longRange.max === 0 && longRange.min === 0)) return null;
  const bits = BigInt.asUintN(64, hash.bits);
  const lo = Number(bits & 0xffffffffn);
  const hi = Number(bits >> 32n);
  const ilato = (compact16(lo) | (compact16(hi) << 16)) >>> 0;
  const ilono = (compact16(lo >>> 1) | (compact16(hi >>> 1) << 16)) >>> 0;
  return decodeCell(longRange, latRange, ilato, ilono, hash.step, hash);
}

function decodeCell(longRange: GeoHashRange, latRange: GeoHashRange, ilato: number, ilono: number, step: number, hash: GeoHashBits): GeoHashArea {
  const latScale = latRange.max - latRange.min;
  const longScale = longRange.max - longRange.min;
  const div = 2 ** step;
  return {
    hash,
    latitude: {
      min: latRange.min + ((ilato * 1.0) / div) * latScale,
      max: latRange.min + (((ilato + 1) * 1.0) / div) * latScale,
    },
    longitude: {
      min: longRange.min + ((ilono * 1.0) / div) * longScale,
      max: longRange.min + (((ilono + 1) * 1.0) / div) * longScale,
    },
  };
}

/** geohashDecodeAreaToLongLat: the cell's centre, clamped to the WGS84 limits. */
function areaCentre(area: GeoHashArea): [number, number] {
  let x = (area.longitude.min + area.longitude.max) / 2;
  if (x > GEO_LONG_MAX) x = GEO_LONG_MAX;
  if (x < GEO_LONG_MIN) x = GEO_LONG_MIN;
  let y = (area.latitude.min + area.latitude.max) / 2;
  if (y > GEO_LAT_MAX) y = GEO_LAT_MAX;
  if (y < GEO_LAT_MIN) y = GEO_LAT_MIN;
  return [x, y];
}

const TWO32 = 4294967296;
const TWO63 = 9223372036854775808;

/**
 * (uint64_t)d as gcc emits it on x86-64 (compare with 2^63, cvttsd2si, flip the top bit on the
 * upper path), as [hi, lo] uint32 halves: NaN and values below -2^63 give 2^63, values from 2^64
 * up give 0, negative values wrap.
 */
function doubleToU64(d: number): [number, number] {
  let v: bigint;
  if (d >= 2 * TWO63) v = 0n;
  else if (d >= TWO63) v = BigInt(d);
  else if (d >= -TWO63) v = BigInt.asUintN(64, BigInt(Math.trunc(d)));
  else v = 1n << 63n; // NaN, -inf, below -2^63: cvttsd2si's "integer indefinite"
  return [Number(v >> 32n), Number(v & 0xffffffffn)];
}

/**
 * decodeGeohash (geo.c): a zset score → [longitude, latitude] of its step-26 cell centre.
 * Never fails for a step-26 hash (Redis's check only rejects step 0), whatever the score.
 */
export function decodeGeohash(score: number): [number, number] {
  let hi: number;
  let lo: number;
  if (score >= 0 && score < TWO32 * TWO32 / 2048) {
    // the common case: a 52/53-bit integer score
    const t = Math.trunc(score);
    hi = Math.floor(t / TWO32);
    lo = t - hi * TWO32;
  } else {
    [hi, lo] = doubleToU64(score);
  }
  const ilato = (compact16(lo) | (compact16(hi) << 16)) >>> 0;
  const ilono = (compact16(lo >>> 1) | (compact16(hi >>> 1) << 16)) >>> 0;
  const area = decodeCell(WGS84_LONG, WGS84_LAT, ilato, ilono, GEO_STEP_MAX, { bits: 0n, step: GEO_STEP_MAX });
  return areaCentre(area);
}

// ------------------------------------------------------------------ neighbours

const EVEN = 0x5555555555555555n;
const ODD = 0xaaaaaaaaaaaaaaaan;
const U64 = (v: bigint) => BigInt.asUintN(64, v);

/**
 * geohash_move_x / geohash_move_y (geohash.c): move the cell `d` (-1, 0, 1) steps along one axis.
 * `axis` selects its interleaved bits (ODD: longitude, x; EVEN: latitude, y), `other` the rest.
 */
function moveAlong(hash: GeoHashBits, d: number, axis: bigint, other: bigint): GeoHashBits {
  if (d === 0) return hash;
  let a = hash.bits & axis;
  const b = hash.bits & other;
  const zz = other >> BigInt(64 - hash.step * 2);
  if (d > 0) a = U64(a + (zz + 1n));
  else {
    a = a | zz;
    a = U64(a - (zz + 1n));
  }
  a &= axis >> BigInt(64 - hash.step * 2);
  return { bits: a | b, step: hash.step };
}

/** geohashNeighbors */
export function geohashNeighbors(hash: GeoHashBits): GeoHashNeighbors {
  const m = (dx: number, dy: number) => moveAlong(moveAlong(hash, dx, ODD, EVEN), dy, EVEN, ODD);
  return {
    east: m(1, 0),
    west: m(-1, 0),
    south: m(0, -1),
    north: m(0, 1),
    north_west: m(-1, 1),
    north_east: m(1, 1),
    south_east: m(1, -1),
    south_west: m(-1, -1),
  };
}

// ------------------------------------------------------------------ distances and areas

const degRad = (ang: number) => ang * D_R;
const radDeg = (ang: number) => ang / D_R;

/** geohashGetLatDistance */
export function geohashGetLatDistance(lat1d: number, lat2d: number): number {
  return EARTH_RADIUS_IN_METERS * Math.abs(degRad(lat2d) - degRad(lat1d));
}

/** geohashGetDistance: haversine, in meters */
export function geohashGetDistance(lon1d: number, lat1d: number, lon2d: number, lat2d: number): number {
  const lon1r = degRad(lon1d);
  const lon2r = degRad(lon2d);
  const v = Math.sin((lon2r - lon1r) / 2);
  if (v === 0.0) return geohashGetLatDistance(lat1d, lat2d);
  const lat1r = degRad(lat1d);
  const lat2r = degRad(lat2d);
  const u = Math.sin((lat2r - lat1r) / 2);
  const a = u * u + Math.cos(lat1r) * Math.cos(lat2r) * v * v;
  return 2.0 * EARTH_RADIUS_IN_METERS * Math.asin(Math.sqrt(a));
}

/** geohashEstimateStepsByRadius */
export function geohashEstimateStepsByRadius(rangeMeters: number, lat: number): number {
  if (rangeMeters === 0) return 26;
  let step = 1;
  while (rangeMeters < MERCATOR_MAX) {
    rangeMeters *= 2;
    step++;
  }
  step -= 2;
  if (lat > 66 || lat < -66) {
    step--;
    if (lat > 80 || lat < -80) step--;
  }
  if (step < 1) step = 1;
  if (step > 26) step = 26;
  return step;
}

/** geohashBoundingBox: [minLon, minLat, maxLon, maxLat] */
export function geohashBoundingBox(shape: GeoShape): [number, number, number, number] {
  const [longitude, latitude] = shape.xy;
  const height = shape.conversion * (shape.type === 'circle' ? shape.radius : shape.height / 2);
  const width = shape.conversion * (shape.type === 'circle' ? shape.radius : shape.width / 2);
  const latDelta = radDeg(height / EARTH_RADIUS_IN_METERS);
  const longDeltaTop = radDeg(width / EARTH_RADIUS_IN_METERS / Math.cos(degRad(latitude + latDelta)));
  const longDeltaBottom = radDeg(width / EARTH_RADIUS_IN_METERS / Math.cos(degRad(latitude - latDelta)));
  const southern = latitude < 0;
  return [
    southern ? longitude - longDeltaBottom : longitude - longDeltaTop,
    latitude - latDelta,
    southern ? longitude + longDeltaBottom : longitude + longDeltaTop,
    latitude + latDelta,
  ];
}

const ZERO: GeoHashBits = { bits: 0n, step: 0 };

/** geohashCalculateAreasByShapeWGS84: the centre cell and the neighbours worth searching. */
export function geohashCalculateAreasByShapeWGS84(shape: GeoShape): GeoHashRadius {
  const [minLon, minLat, maxLon, maxLat] = geohashBoundingBox(shape);
  const [longitude, latitude] = shape.xy;
  let radiusMeters =
    shape.type === 'circle' ? shape.radius : Math.sqrt((shape.width / 2) * (shape.width / 2) + (shape.height / 2) * (shape.height / 2));
  radiusMeters *= shape.conversion;
  let steps = geohashEstimateStepsByRadius(radiusMeters, latitude);

  // geohashEncode cannot fail here: the centre was range-checked by the command.
  const encode = () => geohashEncode(WGS84_LONG, WGS84_LAT, longitude, latitude, steps) ?? { bits: 0n, step: steps };
  let hash = encode();
  let neighbors = geohashNeighbors(hash);
  let area = geohashDecode(WGS84_LONG, WGS84_LAT, hash)!;

  const north = geohashDecode(WGS84_LONG, WGS84_LAT, neighbors.north);
  const south = geohashDecode(WGS84_LONG, WGS84_LAT, neighbors.south);
  const east = geohashDecode(WGS84_LONG, WGS84_LAT, neighbors.east);
  const west = geohashDecode(WGS84_LONG, WGS84_LAT, neighbors.west);
  let decreaseStep = false;
  // (a zero neighbour decodes to nothing in Redis and leaves its stack area zeroed)
  if ((north?.latitude.max ?? 0) < maxLat) decreaseStep = true;
  if ((south?.latitude.min ?? 0) > minLat) decreaseStep = true;
  if ((east?.longitude.max ?? 0) < maxLon) decreaseStep = true;
  if ((west?.longitude.min ?? 0) > minLon) decreaseStep = true;

  if (steps > 1 && decreaseStep) {
    steps--;
    hash = encode();
    neighbors = geohashNeighbors(hash);
    area = geohashDecode(WGS84_LONG, WGS84_LAT, hash)!;
  }

  if (steps >= 2) {
    if (area.latitude.min < minLat) {
      neighbors.south = ZERO;
      neighbors.south_west = ZERO;
      neighbors.south_east = ZERO;
    }
    if (area.latitude.max > maxLat) {
      neighbors.north = ZERO;
      neighbors.north_east = ZERO;
      neighbors.north_west = ZERO;
    }
    if (area.longitude.min < minLon) {
      neighbors.west = ZERO;
      neighbors.south_west = ZERO;
      neighbors.north_west = ZERO;
    }
    if (area.longitude.max > maxLon) {
      neighbors.east = ZERO;
      neighbors.south_east = ZERO;
      neighbors.north_east = ZERO;
    }
  }
  return { hash, neighbors, area };
}

/**
 * geoWithinShape: the member's decoded position and distance from the centre (meters), or
 * null when outside the circle / box.
 */
export function geoWithinShape(shape: GeoShape, score: number): { xy: [number, number]; dist: number } | null {
  const xy = decodeGeohash(score);
  const [x1, y1] = shape.xy;
  if (shape.type === 'circle') {
    const dist = geohashGetDistance(x1, y1, xy[0], xy[1]);
    if (dist > shape.radius * shape.conversion) return null;
    return { xy, dist };
  }
  // geohashGetDistanceIfInRectangle
  const widthM = shape.width * shape.conversion;
  const heightM = shape.height * shape.conversion;
  const latDistance = geohashGetLatDistance(xy[1], y1);
  if (latDistance > heightM / 2) return null;
  const lonDistance = geohashGetDistance(xy[0], xy[1], x1, xy[1]);
  if (lonDistance > widthM / 2) return null;
  return { xy, dist: geohashGetDistance(x1, y1, xy[0], xy[1]) };
}

/** scoresOfGeoHashBox: [min, max) of the zset scores inside a cell */
export function scoresOfGeoHashBox(hash: GeoHashBits): [number, number] {
  const min = geohashAlign52Bits(hash);
  const max = geohashAlign52Bits({ bits: hash.bits + 1n, step: hash.step });
  return [min, max];
}

// ------------------------------------------------------------------ the search

export interface GeoPoint<M> {
  member: M;
  score: number;
  longitude: number;
  latitude: number;
  /** meters until the caller divides by the unit (georadiusGeneric does `dist /= conversion`) */
  dist: number;
}

/**
 * The zset members with min <= score < max, in the zset's order (score, then member), as
 * zzlFirstInRange / zslFirstInRange and the forward walk give them.
 */
export type ScoreRange<M> = (min: number, max: number) => Iterable<{ member: M; score: number }>;

export interface GeoSearchOptions {
  /** COUNT; 0 = unlimited */
  count: number;
  /** COUNT … ANY: stop scanning once `count` points were found */
  any: boolean;
  sort: 'none' | 'asc' | 'desc';
}

const sortAsc = <M>(a: GeoPoint<M>, b: GeoPoint<M>) => (a.dist > b.dist ? 1 : a.dist === b.dist ? 0 : -1);
const sortDesc = <M>(a: GeoPoint<M>, b: GeoPoint<M>) => -sortAsc(a, b);

/**
 * georadiusGeneric's search: membersOfAllNeighbors over the 9 cells (centre, N, S, E, W, NE,
 * NW, SE, SW; a cell equal to the last one searched is skipped), then the sort (COUNT without
 * ASC/DESC/ANY sorts ascending) and the COUNT cut. Distances are divided by the unit, as the
 * reply and STOREDIST use them. The result is exactly the reply's elements in order.
 */
export function geoSearch<M>(range: ScoreRange<M>, shape: GeoShape, opts: GeoSearchOptions): GeoPoint<M>[] {
  let sort = opts.sort;
  if (opts.count !== 0 && sort === 'none' && !opts.any) sort = 'asc';
  const limit = opts.any ? opts.count : 0;
  const radius = geohashCalculateAreasByShapeWGS84(shape);
  const n = radius.neighbors;
  const cells = [radius.hash, n.north, n.south, n.east, n.west, n.north_east, n.north_west, n.south_east, n.south_west];
  const ga: GeoPoint<M>[] = [];
  let lastProcessed = 0;
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i]!;
    if (cell.bits === 0n && cell.step === 0) continue;
    const last = cells[lastProcessed]!;
    if (lastProcessed && cell.bits === last.bits && cell.step === last.step) continue;
    if (ga.length && limit && ga.length >= limit) break;
    const [min, max] = scoresOfGeoHashBox(cell);
    for (const { member, score } of range(min, max)) {
      const hit = geoWithinShape(shape, score);
      if (hit) ga.push({ member, score, longitude: hit.xy[0], latitude: hit.xy[1], dist: hit.dist });
      if (ga.length && limit && ga.length >= limit) break;
    }
    lastProcessed = i;
  }
  const returned = opts.count === 0 || ga.length < opts.count ? ga.length : opts.count;
  if (sort !== 'none') {
    const cmp = sort === 'asc' ? sortAsc : sortDesc;
    // qsort is glibc's stable merge sort; pqsort (partial) has its own order for ties
    if (returned === ga.length) ga.sort(cmp);
    else pqsort(ga, cmp, 0, returned - 1);
  }
  ga.length = returned;
  for (const p of ga) p.dist /= shape.conversion;
  return ga;
}

/**
 * ZRANGEBYSCORE-like helper over members sorted as a zset: [min, max) by binary search.
 * `sorted` must be in zset order (score, then member bytes).
 */
export function sortedScoreRange<M>(sorted: readonly { member: M; score: number }[]): ScoreRange<M> {
  return function* (min: number, max: number) {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]!.score < min) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < sorted.length && sorted[i]!.score < max; i++) yield sorted[i]!;
  };
}

// ------------------------------------------------------------------ reply text

/** extractUnitOrReply: meters per unit, or null (reply "ERR unsupported unit provided. please use M, KM, FT, MI"). */
export function geoUnit(unit: string): number | null {
  switch (unit.toLowerCase()) {
    case 'm':
      return 1;
    case 'km':
      return 1000;
    case 'ft':
      return 0.3048;
    case 'mi':
      return 1609.34;
    default:
      return null;
  }
}
export const GEO_UNIT_ERR = 'ERR unsupported unit provided. please use M, KM, FT, MI';

/** llrint: round half to even (the default rounding mode) */
function rint(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** addReplyDoubleDistance: fixedpoint_d2string(d, 4) */
export function formatDistance(d: number): string {
  if (d === 0) return '0.0000';
  const sv = rint(d * 10000);
  const neg = sv < 0;
  const digits = BigInt(Math.abs(sv)).toString().padStart(5, '0');
  return (neg ? '-' : '') + digits.slice(0, -4) + '.' + digits.slice(-4);
}

/** addReplyHumanLongDouble of a double: "%.17Lf", trailing zeros (and '.') removed, "-0" → "0" */
export function formatCoordinate(x: number): string {
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (Number.isNaN(x)) return 'nan';
  const { m, e } = decompose(Math.abs(x));
  return formatLongDouble({ kind: 'finite', neg: x < 0, m, e });
}

const GEOALPHABET = '0123456789bcdefghjkmnpqrstuvwxyz';

/**
 * GEOHASH's 11-character string for a member's score: decoded, re-encoded on the standard
 * ±90 latitude range at step 26, 5 bits per character, the 11th always '0'.
 */
export function geohashString(score: number): string {
  const [lon, lat] = decodeGeohash(score);
  const h = geohashEncode({ min: -180, max: 180 }, { min: -90, max: 90 }, lon, lat, 26);
  // geohashEncode leaves bits 0 when it fails (it cannot for a decoded position)
  const bits = h?.bits ?? 0n;
  let s = '';
  for (let i = 0; i < 11; i++) {
    const idx = i === 10 ? 0 : Number((bits >> BigInt(52 - (i + 1) * 5)) & 0x1fn);
    s += GEOALPHABET[idx];
  }
  return s;
}
