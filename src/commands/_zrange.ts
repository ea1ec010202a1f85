/**
 * Z[REV]RANGE[BYSCORE|BYLEX], ZRANGE … BYSCORE|BYLEX REV LIMIT, ZRANGESTORE, ZCOUNT, ZLEXCOUNT
 * (zrangeGenericCommand, genericZrangeby{rank,score,lex}Command, zslParseRange,
 * zslParseLexRange, t_zset.c 7.0).
 */
import type { Context } from './context.js';
import { ReplyError, ERR } from './errors.js';
import { readTyped, lookupRead, clampRange, argInt, is } from './_util.js';
import { bytesOf, latin1Key } from '../engine/types/generic.js';
import type { ZsetValue } from '../engine/types/zset.js';
import { ZsetValue as Zset } from '../engine/types/zset.js';
import { strtod } from '../engine/sort.js';

export type RangeType = 'auto' | 'rank' | 'score' | 'lex';
export type Direction = 'auto' | 'forward' | 'reverse';

export interface ScoreRange {
  min: number;
  max: number;
  minex: boolean;
  maxex: boolean;
}

/** strtod over the C string (up to a NUL), as zslParseRange: NaN refused, ERANGE accepted */
function parseScoreItem(b: Uint8Array): number | null {
  const r = strtod(b);
  if (r.end !== b.length && b[r.end] !== 0) return null;
  if (Number.isNaN(r.value)) return null;
  return r.value;
}

/** zslParseRange: "(x" exclusive, "x" inclusive; null on error */
export function parseScoreRange(minb: Uint8Array, maxb: Uint8Array): ScoreRange | null {
  const one = (b: Uint8Array): { v: number; ex: boolean } | null => {
    const ex = b[0] === 0x28;
    const v = parseScoreItem(ex ? b.subarray(1) : b);
    return v === null ? null : { v, ex };
  };
  const lo = one(minb);
  if (lo === null) return null;
  const hi = one(maxb);
  if (hi === null) return null;
  return { min: lo.v, max: hi.v, minex: lo.ex, maxex: hi.ex };
}

/** a lex bound: -1 = "-" (below all), 1 = "+" (above all), 0 = the member `s` */
export interface LexBound {
  inf: number;
  s: string;
  ex: boolean;
}

export interface LexRange {
  min: LexBound;
  max: LexBound;
}

/** zslParseLexRangeItem */
function parseLexItem(b: Uint8Array): LexBound | null {
  const c0 = b[0];
  if (c0 === 0x2b) return b.length === 1 ? { inf: 1, s: '', ex: true } : null;
  if (c0 === 0x2d) return b.length === 1 ? { inf: -1, s: '', ex: true } : null;
  if (c0 === 0x28) return { inf: 0, s: latin1Key(b.subarray(1)), ex: true };
  if (c0 === 0x5b) return { inf: 0, s: latin1Key(b.subarray(1)), ex: false };
  return null;
}

export function parseLexRange(minb: Uint8Array, maxb: Uint8Array): LexRange | null {
  const min = parseLexItem(minb);
  const max = parseLexItem(maxb);
  if (min === null || max === null) return null;
  return { min, max };
}

function cmpLex(m: string, b: LexBound): number {
  if (b.inf !== 0) return -b.inf;
  return m < b.s ? -1 : m > b.s ? 1 : 0;
}

export function lexGteMin(m: string, r: LexRange): boolean {
  const c = cmpLex(m, r.min);
  return r.min.ex ? c > 0 : c >= 0;
}

export function lexLteMax(m: string, r: LexRange): boolean {
  const c = cmpLex(m, r.max);
  return r.max.ex ? c < 0 : c <= 0;
}

export function scoreGteMin(s: number, r: ScoreRange): boolean {
  return r.minex ? s > r.min : s >= r.min;
}

export function scoreLteMax(s: number, r: ScoreRange): boolean {
  return r.maxex ? s < r.max : s <= r.max;
}

/** zslIsInRange / zslIsInLexRange: can anything match at all */
function scoreRangeEmpty(r: ScoreRange): boolean {
  return r.min > r.max || (r.min === r.max && (r.minex || r.maxex));
}

/** zslIsInLexRange / zzlIsInLexRange: the range itself, then the last member >= min and the first <= max */
function lexRangeEmpty(r: LexRange, z: ZsetValue): boolean {
  if (r.min.inf === 1 || r.max.inf === -1) return true;
  if (r.min.inf === 0 && r.max.inf === 0) {
    const c = r.min.s < r.max.s ? -1 : r.min.s > r.max.s ? 1 : 0;
    if (c > 0 || (c === 0 && (r.min.ex || r.max.ex))) return true;
  }
  const ord = z.order;
  if (ord.length === 0) return true;
  return !lexGteMin(ord[ord.length - 1]!, r) || !lexLteMax(ord[0]!, r);
}

/** ranks [first, last] (inclusive, rank order) of the members in a score range; null if none */
export function scoreRanks(z: ZsetValue, r: ScoreRange): [number, number] | null {
  if (scoreRangeEmpty(r)) return null;
  const sc = z.orderScores;
  const n = sc.length;
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (scoreGteMin(sc[mid]!, r)) hi = mid;
    else lo = mid + 1;
  }
  const first = lo;
  lo = first;
  hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (scoreLteMax(sc[mid]!, r)) lo = mid + 1;
    else hi = mid;
  }
  const last = lo - 1;
  return first <= last ? [first, last] : null;
}

/** ranks of the members in a lex range (meaningful when all scores are equal, as in Redis) */
export function lexRanks(z: ZsetValue, r: LexRange): [number, number] | null {
  if (lexRangeEmpty(r, z)) return null;
  const ord = z.order;
  const n = ord.length;
  // Redis walks from the first member >= min (zslNthInLexRange) and stops at the first > max:
  // a linear walk keeps its behaviour on zsets whose scores differ.
  let first = -1;
  for (let i = 0; i < n; i++) {
    if (lexGteMin(ord[i]!, r)) {
      first = i;
      break;
    }
  }
  if (first < 0 || !lexLteMax(ord[first]!, r)) return null;
  let last = first;
  while (last + 1 < n && lexLteMax(ord[last + 1]!, r)) last++;
  return [first, last];
}

/** the reverse walks: from the last member <= max back to the first < min */
function lexRanksRev(z: ZsetValue, r: LexRange): [number, number] | null {
  if (lexRangeEmpty(r, z)) return null;
  const ord = z.order;
  let last = -1;
  for (let i = ord.length - 1; i >= 0; i--) {
    if (lexLteMax(ord[i]!, r)) {
      last = i;
      break;
    }
  }
  if (last < 0 || !lexGteMin(ord[last]!, r)) return null;
  let first = last;
  while (first - 1 >= 0 && lexGteMin(ord[first - 1]!, r)) first--;
  return [first, last];
}

export interface ZrangeOpts {
  /** index of the source key (1, or 2 for ZRANGESTORE) */
  argcStart: number;
  store: boolean;
  rangeType: RangeType;
  direction: Direction;
}

/** zrangeGenericCommand: reply to the client, or store into argv[1] */
export function zrangeGeneric(c: Context, argv: Buffer[], o: ZrangeOpts): void {
  let { rangeType, direction } = o;
  const key = argv[o.argcStart]!;
  let minidx = o.argcStart + 1;
  let maxidx = o.argcStart + 2;
  let withScores = false;
  let offset = 0;
  let limit = -1;
  for (let j = o.argcStart + 3; j < argv.length; j++) {
    const a = argv[j]!;
    const left = argv.length - j - 1;
    if (!o.store && is(a, 'WITHSCORES')) withScores = true;
    else if (is(a, 'LIMIT') && left >= 2) {
      offset = argInt(argv[j + 1]!);
      limit = argInt(argv[j + 2]!);
      j += 2;
    } else if (direction === 'auto' && is(a, 'REV')) direction = 'reverse';
    else if (rangeType === 'auto' && is(a, 'BYLEX')) rangeType = 'lex';
    else if (rangeType === 'auto' && is(a, 'BYSCORE')) rangeType = 'score';
    else throw new ReplyError(ERR.SYNTAX);
  }
  if (direction === 'auto') direction = 'forward';
  if (rangeType === 'auto') rangeType = 'rank';
  if (limit !== -1 && rangeType === 'rank') {
    throw new ReplyError('ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX');
  }
  if (withScores && rangeType === 'lex') {
    throw new ReplyError('ERR syntax error, WITHSCORES not supported in combination with BYLEX');
  }
  const rev = direction === 'reverse';
  if (rev && rangeType !== 'rank') [minidx, maxidx] = [maxidx, minidx];

  let start = 0;
  let end = 0;
  let srange: ScoreRange | null = null;
  let lrange: LexRange | null = null;
  if (rangeType === 'rank') {
    start = argInt(argv[minidx]!);
    end = argInt(argv[maxidx]!);
  } else if (rangeType === 'score') {
    srange = parseScoreRange(argv[minidx]!, argv[maxidx]!);
    if (srange === null) throw new ReplyError('ERR min or max is not a float');
  } else {
    lrange = parseLexRange(argv[minidx]!, argv[maxidx]!);
    if (lrange === null) throw new ReplyError('ERR min or max not valid string range item');
  }

  const id = lookupRead(c, key);
  if (id < 0) {
    if (o.store) return finishStore(c, argv[1]!, null, 0);
    return c.reply.array(0);
  }
  if (c.db.typeOf(id) !== 'zset') throw new ReplyError(ERR.WRONGTYPE);
  const z = c.db.value(id) as ZsetValue;

  // the selected ranks, in emission order
  const sel: number[] = [];
  let knownLength = -1;
  if (rangeType === 'rank') {
    const r = clampRange(start, end, z.length);
    knownLength = r === null ? 0 : r[1] - r[0] + 1;
    if (r !== null) {
      const n = z.length;
      for (let i = r[0]; i <= r[1]; i++) sel.push(rev ? n - 1 - i : i);
    }
  } else {
    const r = rangeType === 'score' ? scoreRanks(z, srange!) : rev ? lexRanksRev(z, lrange!) : lexRanks(z, lrange!);
    if (r !== null && offset >= 0) {
      const count = r[1] - r[0] + 1;
      const take = limit < 0 ? count - offset : Math.min(limit, count - offset);
      for (let k = 0; k < take; k++) sel.push(rev ? r[1] - offset - k : r[0] + offset + k);
    }
  }
  if (o.store) return finishStore(c, argv[1]!, { z, sel }, knownLength);
  replyRange(c, z, sel, withScores);
}

function replyRange(c: Context, z: ZsetValue, sel: number[], withScores: boolean): void {
  const w = c.reply;
  const ord = z.order;
  const sc = z.orderScores;
  if (withScores && w.resp >= 3) {
    w.array(sel.length);
    for (const i of sel) {
      w.array(2);
      w.bulk(bytesOf(ord[i]!));
      w.double(sc[i]!);
    }
    return;
  }
  w.array(withScores ? sel.length * 2 : sel.length);
  for (const i of sel) {
    w.bulk(bytesOf(ord[i]!));
    if (withScores) w.double(sc[i]!);
  }
}

/**
 * zrangeResultBeginStore / EmitForStore / FinalizeStore: a skiplist zset when the length is
 * known and above zset-max-listpack-entries, else a listpack; each member then zsetAdd'ed.
 */
function finishStore(c: Context, dst: Buffer, src: { z: ZsetValue; sel: number[] } | null, knownLength: number): void {
  const n = src === null ? 0 : src.sel.length;
  if (n === 0) {
    c.db.delete(dst);
    return c.reply.int(0);
  }
  const env = c.db.shared.env;
  const out = new Zset(env, knownLength > env.cfg['zset-max-listpack-entries']);
  const ord = src!.z.order;
  const sc = src!.z.orderScores;
  const members = src!.sel.map((i) => ord[i]!);
  const scores = src!.sel.map((i) => sc[i]!);
  for (let k = 0; k < members.length; k++) out.set(bytesOf(members[k]!), scores[k]!);
  c.db.setValue(dst, out);
  c.reply.int(n);
}

/** ZCOUNT key min max */
export function zcount(c: Context, argv: Buffer[]): void {
  const r = parseScoreRange(argv[2]!, argv[3]!);
  if (r === null) throw new ReplyError('ERR min or max is not a float');
  const z = readTyped(c, argv[1]!, 'zset');
  if (z === null) return c.reply.int(0);
  const rk = scoreRanks(z, r);
  c.reply.int(rk === null ? 0 : rk[1] - rk[0] + 1);
}

/** ZLEXCOUNT key min max */
export function zlexcount(c: Context, argv: Buffer[]): void {
  const r = parseLexRange(argv[2]!, argv[3]!);
  if (r === null) throw new ReplyError('ERR min or max not valid string range item');
  const z = readTyped(c, argv[1]!, 'zset');
  if (z === null) return c.reply.int(0);
  const rk = lexRanks(z, r);
  c.reply.int(rk === null ? 0 : rk[1] - rk[0] + 1);
}
