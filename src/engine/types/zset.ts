/**
 * Sorted sets (mirrors t_zset.c, 7.0): the sorted-set value (listpack or skiplist + dict) and
 * the sorted-set writes (ZADD, ZREM, ZPOPMIN/MAX, ZREMRANGEBY*, ZUNIONSTORE, ZINTERSTORE).
 *
 * Values keep their data and a memory model (src/memory/live) that each operation updates per
 * element; writes take a Database, open or create the key (generic.ts) and refresh its figures.
 * Arguments may be views into a query buffer: anything kept is copied.
 */
import { LISTPACK_MAX_SAFETY_SIZE } from '../../memory/sizes.js';
import { ENC_LISTPACK, ENC_SKIPLIST, ZsetMemory } from '../../memory/live/collections.js';
import { intClassOfBytes, lpScoreSize, lpSizeOf } from '../../memory/live/listpack.js';
import { lpEntrySize } from '../../memory/compact.js';
import type { Database } from '../database.js';
import { bytesOf, commit, EngineError, type Env, latin1Key as lat, openForWrite, WRONGTYPE } from './generic.js';
import { SetValue, walk } from './set.js';

/** (score, member) order of zslInsert / zzlInsert: score, then memcmp of the members */
function zless(s1: number, m1: string, s2: number, m2: string): boolean {
  return s1 < s2 || (s1 === s2 && m1 < m2);
}

export class ZsetValue {
  readonly type = 'zset' as const;
  readonly scores = new Map<string, number>();
  /**
   * Members in rank order, and their scores. Kept up to date by insertion while small; a large
   * zset written to (a replica applying a ZADD storm) only marks them stale, and they are
   * rebuilt by one sort when next read, so a write stays O(1) instead of O(n).
   */
  private ordered: string[] = [];
  private orderedScores: number[] = [];
  private stale = false;
  readonly mem: ZsetMemory;

  get order(): string[] {
    if (this.stale) this.sortOrder();
    return this.ordered;
  }

  set order(v: string[]) {
    this.ordered = v;
  }

  get orderScores(): number[] {
    if (this.stale) this.sortOrder();
    return this.orderedScores;
  }

  set orderScores(v: number[]) {
    this.orderedScores = v;
  }

  private sortOrder(): void {
    const scores = this.scores;
    const members = [...scores.keys()];
    members.sort((a, b) => {
      const sa = scores.get(a)!;
      const sb = scores.get(b)!;
      if (sa !== sb) return sa < sb ? -1 : 1;
      return a < b ? -1 : a > b ? 1 : 0;
    });
    this.ordered = members;
    this.orderedScores = members.map((m) => scores.get(m)!);
    this.stale = false;
  }

  constructor(
    private readonly env: Env,
    skiplist = false,
  ) {
    this.mem = new ZsetMemory(env.f);
    if (skiplist) this.mem.toSkiplist([], 0);
  }

  get length(): number {
    return this.scores.size;
  }

  get encoding(): string {
    return this.mem.encoding;
  }

  get payload(): number {
    return this.mem.payload(this.scores.size);
  }

  score(m: Uint8Array): number | undefined {
    if (this.mem.enc === ENC_SKIPLIST) this.mem.dict!.find();
    return this.scores.get(lat(m));
  }

  /** rank of (score, member) in the order: the first position not less than it */
  private lowerBound(score: number, member: string): number {
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (zless(this.orderScores[mid]!, this.order[mid]!, score, member)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  rank(member: string): number {
    const s = this.scores.get(member);
    if (s === undefined) return -1;
    return this.lowerBound(s, member);
  }

  /** past this many members an insertion marks the order stale instead of splicing it */
  private static readonly SPLICE_MAX = 2048;

  private insertOrder(score: number, member: string): void {
    if (this.stale) return;
    if (this.ordered.length >= ZsetValue.SPLICE_MAX) {
      this.stale = true;
      return;
    }
    const i = this.lowerBound(score, member);
    this.ordered.splice(i, 0, member);
    this.orderedScores.splice(i, 0, score);
  }

  private removeOrder(score: number, member: string): void {
    if (this.stale) return;
    const i = this.lowerBound(score, member);
    const n = this.ordered.length;
    if (i === n - 1) {
      this.ordered.pop();
      this.orderedScores.pop();
    } else if (i === 0) {
      this.ordered.shift();
      this.orderedScores.shift();
    } else if (n >= ZsetValue.SPLICE_MAX) {
      this.stale = true;
    } else {
      this.ordered.splice(i, 1);
      this.orderedScores.splice(i, 1);
    }
  }

  private fpconv(): boolean {
    return this.env.f.fpconvScores;
  }

  /** zsetConvert to a skiplist (7.0: the dict grows from empty; 7.2+: pre-sized) */
  private toSkiplist(): void {
    const lengths = this.order.map((m) => m.length);
    this.mem.toSkiplist(lengths, this.env.f.listpackSets ? this.order.length : 0);
  }

  /**
   * zsetAdd with a final score: returns 'added', 'updated' or 'same'. The caller has applied
   * NX/XX/GT/LT and INCR already.
   */
  set(memberBuf: Uint8Array, score: number): 'added' | 'updated' | 'same' {
    const member = lat(memberBuf);
    const m = this.mem;
    const cfg = this.env.cfg;
    // a listpack holds "-0" as the integer 0 (lpStringToInt64 takes it)
    if (score === 0 && m.enc === ENC_LISTPACK) score = 0;
    if (m.enc === ENC_SKIPLIST) m.dict!.find();
    const old = this.scores.get(member);
    if (old !== undefined) {
      if (old === score) return 'same';
      this.removeOrder(old, member);
      this.insertOrder(score, member);
      this.scores.set(member, score);
      if (m.enc === ENC_LISTPACK) m.lpBytes += lpScoreSize(score, this.fpconv()) - lpScoreSize(old, this.fpconv());
      return 'updated';
    }
    if (m.enc === ENC_LISTPACK) {
      if (this.scores.size + 1 > cfg['zset-max-listpack-entries'] || memberBuf.length > cfg['zset-max-listpack-value'] || m.lpBytes + memberBuf.length > LISTPACK_MAX_SAFETY_SIZE) {
        this.toSkiplist();
      }
    }
    this.scores.set(member, score);
    this.insertOrder(score, member);
    if (m.enc === ENC_LISTPACK) m.lpBytes += lpSizeOf(memberBuf) + lpScoreSize(score, this.fpconv());
    else m.slAdd(memberBuf.length);
    return 'added';
  }

  remove(memberBuf: Uint8Array): boolean {
    const member = lat(memberBuf);
    const old = this.scores.get(member);
    if (old === undefined) {
      if (this.mem.enc === ENC_SKIPLIST) this.mem.dict!.step();
      return false;
    }
    this.scores.delete(member);
    this.removeOrder(old, member);
    if (this.mem.enc === ENC_LISTPACK) this.mem.lpBytes -= lpSizeOf(memberBuf) + lpScoreSize(old, this.fpconv());
    else this.mem.slRemove(memberBuf.length);
    return true;
  }

  /**
   * ZREMRANGEBY*: remove ranks [from, to] (inclusive, in order). A skiplist deletes from its
   * dict one by one and resizes once at the end (zremrangeGenericCommand).
   */
  removeRanks(from: number, to: number): number {
    const n = to - from + 1;
    if (n <= 0) return 0;
    const members = this.order.splice(from, n);
    const scores = this.orderScores.splice(from, n);
    const m = this.mem;
    for (let i = 0; i < n; i++) {
      const k = members[i]!;
      this.scores.delete(k);
      if (m.enc === ENC_LISTPACK) m.lpBytes -= lpSizeOf(bytesOf(k)) + lpScoreSize(scores[i]!, this.fpconv());
      else m.slRemove(k.length, false);
    }
    if (m.enc === ENC_SKIPLIST) m.dict!.shrinkIfNeeded();
    return n;
  }

  /** zsetDup (COPY): a listpack copied; a skiplist's dict pre-sized */
  clone(): ZsetValue {
    const z = new ZsetValue(this.env, false);
    for (const [k, v] of this.scores) z.scores.set(k, v);
    z.order = [...this.order];
    z.orderScores = [...this.orderScores];
    if (this.mem.enc === ENC_LISTPACK) z.mem.lpBytes = this.mem.lpBytes;
    else z.mem.toSkiplist(z.order.map((m) => m.length), z.order.length);
    return z;
  }

  /**
   * The result of ZUNIONSTORE / ZINTERSTORE: a skiplist built from `entries` (its dict
   * pre-sized for a union, grown for an intersection), then zsetConvertToListpackIfNeeded.
   */
  static fromResult(env: Env, entries: [string, number][], presize: boolean, maxlen = -1, totlen = -1): ZsetValue {
    const z = new ZsetValue(env, false);
    let maxelelen = 0;
    let totelelen = 0;
    for (const [m, sc] of entries) {
      z.scores.set(m, sc);
      if (m.length > maxelelen) maxelelen = m.length;
      totelelen += m.length;
    }
    if (maxlen >= 0) maxelelen = maxlen;
    if (totlen >= 0) totelelen = totlen;
    const sorted = [...entries].sort((a, b) => (zless(a[1], a[0], b[1], b[0]) ? -1 : zless(b[1], b[0], a[1], a[0]) ? 1 : 0));
    for (const [m, sc] of sorted) {
      z.order.push(m);
      z.orderScores.push(sc);
    }
    const cfg = env.cfg;
    if (entries.length <= cfg['zset-max-listpack-entries'] && maxelelen <= cfg['zset-max-listpack-value'] && totelelen <= LISTPACK_MAX_SAFETY_SIZE) {
      for (let i = 0; i < z.orderScores.length; i++) {
        if (z.orderScores[i] === 0) {
          z.orderScores[i] = 0;
          z.scores.set(z.order[i]!, 0);
        }
      }
      let bytes = 7;
      for (const [m, sc] of sorted) bytes += lpSizeOf(bytesOf(m)) + lpScoreSize(sc === 0 ? 0 : sc, env.f.fpconvScores);
      z.mem.lpBytes = bytes;
    } else {
      z.mem.toSkiplist(
        entries.map(([m]) => m.length),
        presize ? entries.length : 0,
      );
    }
    return z;
  }

  /**
   * ZDIFFSTORE's zdiffAlgorithm2 result: a skiplist that held every member of the first key and
   * lost `removedLens` again (dictResize once at the end), then zsetConvertToListpackIfNeeded
   * over what is left (zsetDictGetMaxElementLength).
   */
  static fromDiff2(env: Env, entries: [string, number][], removedLens: number[]): ZsetValue {
    const z = ZsetValue.fromResult(env, entries, false);
    if (z.mem.enc !== ENC_SKIPLIST) return z;
    z.mem.toSkiplist([...entries.map(([m]) => m.length), ...removedLens], 0);
    for (const len of removedLens) z.mem.slRemove(len, false);
    z.mem.dict!.shrinkIfNeeded();
    return z;
  }

  /** a loaded value: members in rank order already sorted by the caller */
  static load(env: Env, entries: [Buffer, number][], encoding: string): ZsetValue {
    const z = new ZsetValue(env, false);
    const sorted = entries.map(([m, s]) => [lat(m), s] as [string, number]).sort((a, b) => (zless(a[1], a[0], b[1], b[0]) ? -1 : zless(b[1], b[0], a[1], a[0]) ? 1 : 0));
    for (const [m, s] of sorted) {
      z.scores.set(m, s);
      z.order.push(m);
      z.orderScores.push(s);
    }
    if (encoding === 'skiplist') {
      z.mem.toSkiplist(
        z.order.map((m) => m.length),
        z.order.length,
      );
    } else {
      let bytes = 7;
      for (const [m, s] of sorted) bytes += lpEntrySize(m.length, intClassOfBytes(bytesOf(m))) + lpScoreSize(s, env.f.fpconvScores);
      z.mem.lpBytes = bytes;
    }
    return z;
  }
}

// ------------------------------------------------------------------ writes

export const ZADD_NX = 1;
export const ZADD_XX = 2;
export const ZADD_GT = 4;
export const ZADD_LT = 8;
export const ZADD_INCR = 16;

/** zsetAdd over several pairs; returns added, updated, processed and the last score */
export function zsetAdd(
  db: Database,
  key: Uint8Array,
  pairs: { score: number; member: Buffer }[],
  flags: number,
): { added: number; updated: number; processed: number; score: number } {
  const res = { added: 0, updated: 0, processed: 0, score: 0 };
  const env = db.shared.env;
  let o: { id: number; v: ZsetValue; created: boolean } | null = null;
  const ex = openForWrite(db, key, 'zset');
  if (ex) o = { ...ex, created: false };
  else {
    if (flags & ZADD_XX) return res;
    const first = pairs[0]!.member;
    const skiplist = env.cfg['zset-max-listpack-entries'] === 0 || env.cfg['zset-max-listpack-value'] < first.length;
    o = { id: -1, v: new ZsetValue(env, skiplist), created: true };
  }
  const z = o.v;
  for (const p of pairs) {
    const member = p.member;
    let score = p.score;
    const cur = z.scores.get(Buffer.from(member).latin1Slice());
    if (cur !== undefined) {
      if (flags & ZADD_NX) continue;
      if (flags & ZADD_INCR) {
        score += cur;
        if (Number.isNaN(score)) {
          commit(db, key, o);
          throw new EngineError('ERR resulting score is not a number (NaN)');
        }
      }
      if ((flags & ZADD_LT && score >= cur) || (flags & ZADD_GT && score <= cur)) continue;
      res.processed++;
      res.score = score;
      if (score !== cur) {
        z.set(Buffer.from(member), score);
        res.updated++;
      }
    } else {
      if (flags & ZADD_XX) continue;
      z.set(Buffer.from(member), score);
      res.added++;
      res.processed++;
      res.score = score;
    }
  }
  commit(db, key, o);
  return res;
}

export function zsetRemove(db: Database, key: Uint8Array, members: Buffer[], from: number): number {
  const o = openForWrite(db, key, 'zset');
  if (!o) return 0;
  let n = 0;
  for (let i = from; i < members.length; i++) if (o.v.remove(members[i]!)) n++;
  db.refresh(o.id);
  return n;
}

/** ZPOPMIN / ZPOPMAX of up to `count`: [member, score] pairs; null when the key is absent */
export function zsetPop(db: Database, key: Uint8Array, max: boolean, count: number): [string, number][] | null {
  const o = openForWrite(db, key, 'zset');
  if (!o) return null;
  const out: [string, number][] = [];
  const z = o.v;
  while (out.length < count && z.length > 0) {
    const i = max ? z.order.length - 1 : 0;
    const m = z.order[i]!;
    const s = z.orderScores[i]!;
    z.remove(bytesOf(m));
    out.push([m, s]);
  }
  db.refresh(o.id);
  return out;
}

/** ZREMRANGEBY*: remove ranks [from, to] of an existing zset; how many went */
export function zsetRemoveRanks(db: Database, key: Uint8Array, rank: (z: ZsetValue) => [number, number] | null): number {
  const o = openForWrite(db, key, 'zset');
  if (!o) return 0;
  const r = rank(o.v);
  if (r === null || r[1] < r[0]) return 0;
  const n = o.v.removeRanks(r[0], r[1]);
  db.refresh(o.id);
  return n;
}

export const AGG_SUM = 0;
export const AGG_MIN = 1;
export const AGG_MAX = 2;

function aggregate(target: number, val: number, agg: number): number {
  if (agg === AGG_SUM) {
    const r = target + val;
    return Number.isNaN(r) ? 0 : r;
  }
  if (agg === AGG_MIN) return val < target ? val : target;
  return val > target ? val : target;
}

interface ZSource {
  z: ZsetValue | null;
  s: SetValue | null;
  weight: number;
}

function zsrcLength(x: ZSource): number {
  return x.z ? x.z.length : x.s ? x.s.length : 0;
}

/** members and scores in the order zuiNext walks them */
function zsrcWalk(x: ZSource): [string, number][] {
  if (x.z) return x.z.order.map((m, i) => [m, x.z!.orderScores[i]!]);
  if (x.s) return walk(x.s).map((m) => [m, 1]);
  return [];
}

function zsrcFind(x: ZSource, m: string): number | undefined {
  if (x.z) return x.z.score(bytesOf(m));
  if (x.s) return x.s.has(bytesOf(m)) ? 1 : undefined;
  return undefined;
}

export const SET_OP_UNION = 0;
export const SET_OP_INTER = 1;
export const SET_OP_DIFF = 2;

/** what zunionInterDiffGenericCommand builds before storing or replying */
export interface ZCombined {
  entries: [string, number][];
  /** the union pre-sizes the result's dict (dictExpand) */
  presize: boolean;
  maxelelen: number;
  totelelen: number;
  /** zdiffAlgorithm2: the members inserted then removed again (their lengths), the dict resized once */
  removedLens: number[] | null;
  /** ZINTERCARD */
  cardinality: number;
}

function zsources(db: Database, keys: Uint8Array[], weights: number[]): ZSource[] {
  return keys.map((k, i) => {
    const id = db.find(k);
    const w = weights[i] ?? 1;
    if (id < 0) return { z: null, s: null, weight: w };
    const t = db.typeOf(id);
    if (t !== 'zset' && t !== 'set') throw new EngineError(WRONGTYPE);
    const v = db.valueForWrite(id);
    return t === 'zset' ? { z: v as ZsetValue, s: null, weight: w } : { z: null, s: v as SetValue, weight: w };
  });
}

function sameSource(a: ZSource, b: ZSource): boolean {
  return (a.z !== null && a.z === b.z) || (a.s !== null && a.s === b.s);
}

/** zunionInterDiffGenericCommand (t_zset.c, 7.0) up to the result; `cardOnly` for ZINTERCARD (limit 0 = none) */
export function zsetCombine(db: Database, keys: Uint8Array[], weights: number[], agg: number, op: number, cardOnly = false, limit = 0): ZCombined {
  const src = zsources(db, keys, weights);
  const res: ZCombined = { entries: [], presize: op === SET_OP_UNION, maxelelen: 0, totelelen: 0, removedLens: null, cardinality: 0 };
  const note = (m: string): void => {
    res.totelelen += m.length;
    if (m.length > res.maxelelen) res.maxelelen = m.length;
  };
  if (op !== SET_OP_DIFF) src.sort((a, b) => zsrcLength(a) - zsrcLength(b));
  if (op === SET_OP_INTER) {
    if (zsrcLength(src[0]!) > 0) {
      for (const [m, sc] of zsrcWalk(src[0]!)) {
        let score = src[0]!.weight * sc;
        if (Number.isNaN(score)) score = 0;
        let j = 1;
        for (; j < src.length; j++) {
          const x = src[j]!;
          if (sameSource(x, src[0]!)) score = aggregate(score, sc * x.weight, agg);
          else {
            const v = zsrcFind(x, m);
            if (v === undefined) break;
            score = aggregate(score, v * x.weight, agg);
          }
        }
        if (j === src.length && cardOnly) {
          res.cardinality++;
          if (limit && res.cardinality >= limit) break;
        } else if (j === src.length) {
          res.entries.push([m, score]);
          note(m);
        }
      }
    }
  } else if (op === SET_OP_UNION) {
    const acc = new Map<string, number>();
    for (const x of src) {
      for (const [m, sc] of zsrcWalk(x)) {
        let score = x.weight * sc;
        if (Number.isNaN(score)) score = 0;
        const cur = acc.get(m);
        if (cur === undefined) note(m);
        acc.set(m, cur === undefined ? score : aggregate(cur, score, agg));
      }
    }
    for (const e of acc) res.entries.push(e);
  } else if (zsrcLength(src[0]!) > 0) {
    // zdiff: zsetChooseDiffAlgorithm
    let algo = 0;
    let one = 0;
    let two = 0;
    for (let j = 0; j < src.length; j++) {
      if (j > 0 && sameSource(src[0]!, src[j]!)) {
        algo = 0;
        break;
      }
      one += zsrcLength(src[0]!);
      two += zsrcLength(src[j]!);
      algo = -1;
    }
    if (algo === -1) algo = Math.floor(one / 2) <= two ? 1 : 2;
    if (algo === 0) {
      // the first key repeated: nothing is left
    } else if (algo === 1) {
      const rest = src.slice(1).sort((a, b) => zsrcLength(b) - zsrcLength(a));
      for (const [m, sc] of zsrcWalk(src[0]!)) {
        let exists = false;
        for (const x of rest) {
          if (sameSource(x, src[0]!) || zsrcFind(x, m) !== undefined) {
            exists = true;
            break;
          }
        }
        if (!exists) {
          res.entries.push([m, sc]);
          note(m);
        }
      }
    } else {
      // zdiffAlgorithm2: everything of the first, then removals
      const acc = new Map<string, number>();
      const removed: number[] = [];
      let card = 0;
      outer: for (let j = 0; j < src.length; j++) {
        if (zsrcLength(src[j]!) === 0) continue;
        for (const [m, sc] of zsrcWalk(src[j]!)) {
          if (j === 0) {
            acc.set(m, sc);
            card++;
          } else if (acc.delete(m)) {
            removed.push(m.length);
            card--;
          }
          if (card === 0) break outer;
        }
      }
      for (const e of acc) {
        res.entries.push(e);
        note(e[0]);
      }
      res.removedLens = removed;
    }
  }
  return res;
}

/** the destination zset of a combination (zsetConvertToListpackIfNeeded at the end) */
export function zsetFromCombined(env: Env, r: ZCombined): ZsetValue {
  if (r.removedLens === null) return ZsetValue.fromResult(env, r.entries, r.presize, r.maxelelen, r.totelelen);
  return ZsetValue.fromDiff2(env, r.entries, r.removedLens);
}

/** ZUNIONSTORE / ZINTERSTORE (zunionInterDiffGenericCommand, 7.0): the result's length */
export function zsetUnionInterStore(db: Database, dst: Uint8Array, keys: Uint8Array[], weights: number[], agg: number, inter: boolean): number {
  return zsetCombineStore(db, dst, zsetCombine(db, keys, weights, agg, inter ? SET_OP_INTER : SET_OP_UNION));
}

/** the store half of zunionInterDiffGenericCommand: setKey, or delete the destination */
export function zsetCombineStore(db: Database, dst: Uint8Array, r: ZCombined): number {
  if (r.entries.length === 0) {
    db.delete(dst);
    return 0;
  }
  db.setValue(dst, zsetFromCombined(db.shared.env, r));
  return r.entries.length;
}
