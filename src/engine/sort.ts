/**
 * SORT / SORT_RO as Redis 7.0 computes them (sort.c): argument parsing, BY / GET pattern
 * substitution (lookupKeyByPattern: `*`, `#`, `->field`), numeric weights parsed with strtod
 * ("One or more scores can't be converted into double"), ALPHA comparison (strcoll in the C /
 * C.UTF-8 locale = byte order up to the first NUL; memcmp with STORE), LIMIT clamping, the
 * stable qsort for full sorts and pqsort for a BY sort with a LIMIT.
 *
 * Pure over a lookup callback: the command file supplies the key's elements in Redis's order
 * and a way to read other keys (which must not create or touch them beyond a read lookup).
 */
import { pqsort } from './pqsort.js';
import { string2ll } from './string2ll.js';

export class SortError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SortError';
  }
}

export const SORT_ERR_SCORES = "ERR One or more scores can't be converted into double";
const ERR_SYNTAX = 'ERR syntax error';
const ERR_NOT_INTEGER = 'ERR value is not an integer or out of range';

export interface SortSpec {
  desc: boolean;
  alpha: boolean;
  limitStart: bigint;
  limitCount: bigint;
  by: Buffer | null;
  /** BY without '*': nothing to sort */
  dontsort: boolean;
  gets: Buffer[];
  store: Buffer | null;
}

const lower = (b: Uint8Array) => Buffer.from(b).toString('latin1').toLowerCase();

/** The bytes up to the first NUL: what the C string functions see. */
function cstr(b: Uint8Array): Uint8Array {
  const i = b.indexOf(0);
  return i < 0 ? b : b.subarray(0, i);
}

/**
 * sortCommandGeneric's option loop over the arguments after the key. `readonly` is SORT_RO
 * (STORE is then a syntax error). `cluster`: BY with a pattern and GET are refused, as in
 * cluster mode. ACL key-permission checks are the caller's.
 */
export function parseSortArgs(args: readonly Uint8Array[], readonly = false, cluster = false): SortSpec {
  const spec: SortSpec = { desc: false, alpha: false, limitStart: 0n, limitCount: -1n, by: null, dontsort: false, gets: [], store: null };
  for (let j = 0; j < args.length; j++) {
    const left = args.length - j - 1;
    const opt = lower(args[j]!);
    if (opt === 'asc') spec.desc = false;
    else if (opt === 'desc') spec.desc = true;
    else if (opt === 'alpha') spec.alpha = true;
    else if (opt === 'limit' && left >= 2) {
      const s = string2ll(args[j + 1]!);
      const c = s === null ? null : string2ll(args[j + 2]!);
      if (s === null || c === null) throw new SortError(ERR_NOT_INTEGER);
      spec.limitStart = s;
      spec.limitCount = c;
      j += 2;
    } else if (!readonly && opt === 'store' && left >= 1) {
      spec.store = Buffer.from(args[++j]!);
    } else if (opt === 'by' && left >= 1) {
      const p = Buffer.from(args[j + 1]!);
      spec.by = p;
      if (cstr(p).indexOf(0x2a) < 0) spec.dontsort = true;
      else if (cluster) throw new SortError('ERR BY option of SORT denied in Cluster mode.');
      j++;
    } else if (opt === 'get' && left >= 1) {
      if (cluster) throw new SortError('ERR GET option of SORT denied in Cluster mode.');
      spec.gets.push(Buffer.from(args[++j]!));
    } else throw new SortError(ERR_SYNTAX);
  }
  return spec;
}

/** What a key holds, for pattern lookups. */
export type SortLookup = (key: Buffer) =>
  | { type: 'string'; value: Buffer }
  | { type: 'hash'; field: (name: Buffer) => Buffer | undefined }
  | { type: 'other' }
  | null;

/**
 * lookupKeyByPattern: `#` is the element itself; otherwise the first `*` (before any NUL) is
 * replaced by the element, and a `->field` after it reads a hash field. Null when the pattern
 * has no `*`, the key is missing or of the wrong type, or the field is missing.
 */
export function lookupKeyByPattern(pattern: Buffer, subst: Buffer, lookup: SortLookup): Buffer | null {
  if (pattern.length >= 1 && pattern[0] === 0x23 && (pattern.length === 1 || pattern[1] === 0)) return subst;
  const c = cstr(pattern);
  const star = c.indexOf(0x2a);
  if (star < 0) return null;
  // strstr(p+1, "->") within the C string, with something after it
  let arrow = -1;
  for (let i = star + 1; i + 1 < c.length; i++) {
    if (c[i] === 0x2d && c[i + 1] === 0x3e) {
      arrow = i;
      break;
    }
  }
  let fieldlen = 0;
  let field: Buffer | null = null;
  if (arrow >= 0 && arrow + 2 < c.length) {
    fieldlen = pattern.length - arrow - 2;
    field = pattern.subarray(arrow + 2, arrow + 2 + fieldlen);
  }
  const postfixlen = pattern.length - (star + 1) - (fieldlen ? fieldlen + 2 : 0);
  const key = Buffer.concat([pattern.subarray(0, star), subst, pattern.subarray(star + 1, star + 1 + postfixlen)]);
  const o = lookup(key);
  if (!o) return null;
  if (field) {
    if (o.type !== 'hash') return null;
    return o.field(field) ?? null;
  }
  if (o.type !== 'string') return null;
  return o.value;
}

// ------------------------------------------------------------------ strtod

const isSpace = (c: number) => c === 0x20 || (c >= 0x09 && c <= 0x0d);
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isHex = (c: number) => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
const DBL_MIN = 2.2250738585072014e-308;

/**
 * glibc strtod on a C string: the value, the index where parsing stopped, and whether errno
 * would be ERANGE (overflow, or underflow to a subnormal/zero from non-zero digits).
 */
export function strtod(s: Uint8Array): { value: number; end: number; erange: boolean } {
  let i = 0;
  while (i < s.length && isSpace(s[i]!)) i++;
  let neg = false;

  if (s[i] === 0x2b || s[i] === 0x2d) {
    neg = s[i] === 0x2d;
    i++;
  }
  const word = (w: string) => {
    for (let k = 0; k < w.length; k++) if ((s[i + k] ?? 0) !== w.charCodeAt(k) && (s[i + k] ?? 0) !== w.charCodeAt(k) - 32) return false;
    return true;
  };
  if (word('inf')) {
    const end = word('infinity') ? i + 8 : i + 3;
    return { value: neg ? -Infinity : Infinity, end, erange: false };
  }
  if (word('nan')) {
    let end = i + 3;
    if (s[end] === 0x28) {
      let k = end + 1;
      while (k < s.length && (isDigit(s[k]!) || (s[k]! | 0x20) >= 0x61 && (s[k]! | 0x20) <= 0x7a || s[k] === 0x5f)) k++;
      if (s[k] === 0x29) end = k + 1;
    }
    return { value: NaN, end, erange: false };
  }
  if (s[i] === 0x30 && (s[i + 1] === 0x78 || s[i + 1] === 0x58) && (isHex(s[i + 2] ?? 0) || (s[i + 2] === 0x2e && isHex(s[i + 3] ?? 0)))) {
    return hexFloat(s, i + 2, neg);
  }
  const start = i;
  let digits = 0;
  let nonzero = false;
  while (i < s.length && isDigit(s[i]!)) {
    if (s[i] !== 0x30) nonzero = true;
    i++;
    digits++;
  }
  if (s[i] === 0x2e) {
    i++;
    while (i < s.length && isDigit(s[i]!)) {
      if (s[i] !== 0x30) nonzero = true;
      i++;
      digits++;
    }
  }
  if (digits === 0) return { value: 0, end: 0, erange: false }; // no conversion: endptr = nptr
  if ((s[i] === 0x65 || s[i] === 0x45) && (isDigit(s[i + 1] ?? 0) || ((s[i + 1] === 0x2b || s[i + 1] === 0x2d) && isDigit(s[i + 2] ?? 0)))) {
    i += s[i + 1] === 0x2b || s[i + 1] === 0x2d ? 2 : 1;
    while (i < s.length && isDigit(s[i]!)) i++;
  }
  const text = Buffer.from(s.subarray(start, i)).toString('latin1');
  const abs = Number(text.startsWith('.') ? '0' + text : text.endsWith('.') ? text + '0' : text.replace('.e', '.0e').replace('.E', '.0E'));
  const value = neg ? -abs : abs;
  const erange = !Number.isFinite(abs) || (nonzero && abs < DBL_MIN);
  return { value, end: i, erange };
}

function hexFloat(s: Uint8Array, i: number, neg: boolean): { value: number; end: number; erange: boolean } {
  let m = 0n;
  let exp = 0;
  let nonzero = false;
  while (i < s.length && isHex(s[i]!)) {
    m = m * 16n + BigInt(parseInt(String.fromCharCode(s[i]!), 16));
    if (s[i] !== 0x30) nonzero = true;
    i++;
  }
  if (s[i] === 0x2e) {
    i++;
    while (i < s.length && isHex(s[i]!)) {
      m = m * 16n + BigInt(parseInt(String.fromCharCode(s[i]!), 16));
      if (s[i] !== 0x30) nonzero = true;
      exp -= 4;
      i++;
    }
  }
  if ((s[i] === 0x70 || s[i] === 0x50) && (isDigit(s[i + 1] ?? 0) || ((s[i + 1] === 0x2b || s[i + 1] === 0x2d) && isDigit(s[i + 2] ?? 0)))) {
    let k = i + 1;
    let eneg = false;
    if (s[k] === 0x2b || s[k] === 0x2d) {
      eneg = s[k] === 0x2d;
      k++;
    }
    let e = 0;
    while (k < s.length && isDigit(s[k]!)) {
      e = Math.min(e * 10 + (s[k]! - 0x30), 100000);
      k++;
    }
    exp += eneg ? -e : e;
    i = k;
  }
  const abs = Number(m) * 2 ** exp;
  return { value: neg ? -abs : abs, end: i, erange: !Number.isFinite(abs) || (nonzero && abs < DBL_MIN) };
}

// ------------------------------------------------------------------ the sort

/** memcmp order, then length (compareStringObjects) */
function binaryCompare(a: Buffer, b: Buffer): number {
  return Buffer.compare(a, b);
}

/** strcoll in the C / C.UTF-8 locale: byte order of the C strings (up to the first NUL) */
function collCompare(a: Buffer, b: Buffer): number {
  return Buffer.compare(cstr(a) as Buffer, cstr(b) as Buffer);
}

interface SortObject {
  obj: Buffer;
  score: number;
  cmpobj: Buffer | null;
}

export interface SortSource {
  type: 'list' | 'set' | 'zset';
  /**
   * The elements: a list in order; a set in its iteration order (intset: ascending); a zset
   * in score order (Redis iterates the zset's dict when it sorts, so only ties between
   * equal-comparing elements can come out differently).
   */
  elements: readonly Buffer[];
}

export type SortResult = { kind: 'rows'; rows: (Buffer | null)[] } | { kind: 'store'; rows: Buffer[] };

/**
 * sortCommandGeneric after the type check of the sorted key: `source` null for a missing key
 * (an empty list). `fromScript`: CLIENT_SCRIPT (a set with BY constant is sorted then, as with
 * STORE). Returns the reply rows (GET results, null for missing), or for STORE the list to
 * store (missing GETs as empty strings; empty → delete the destination; reply = its length).
 * Throws SortError(SORT_ERR_SCORES) when a weight is not a double.
 */
export function sortRows(spec: SortSpec, source: SortSource | null, lookup: SortLookup, fromScript = false): SortResult {
  const type = source?.type ?? 'list';
  const elements = source?.elements ?? [];
  let { dontsort, alpha, by } = spec;
  const desc = spec.desc;
  if (dontsort && type === 'set' && (spec.store || fromScript)) {
    dontsort = false;
    alpha = true;
    by = null;
  }
  let vectorlen = elements.length;
  let start = spec.limitStart < 0n ? 0n : spec.limitStart;
  if (start > BigInt(vectorlen)) start = BigInt(vectorlen);
  let limitCount = spec.limitCount < -1n ? -1n : spec.limitCount;
  if (limitCount > BigInt(vectorlen)) limitCount = BigInt(vectorlen);
  let s = Number(start);
  let e = limitCount < 0n ? vectorlen - 1 : s + Number(limitCount) - 1;
  if (s >= vectorlen) {
    s = vectorlen - 1;
    e = vectorlen - 2;
  }
  if (e >= vectorlen) e = vectorlen - 1;

  let vector: SortObject[];
  if ((type === 'zset' || type === 'list') && dontsort) {
    // native order (reversed for DESC), only the LIMIT range
    if (s !== 0 || e !== vectorlen - 1) vectorlen = e - s + 1;
    vector = [];
    if (type === 'list') {
      if (e >= s) {
        for (let k = 0; k < vectorlen; k++) {
          const idx = desc ? elements.length - s - 1 - k : s + k;
          if (idx < 0 || idx >= elements.length) break;
          vector.push({ obj: elements[idx]!, score: 0, cmpobj: null });
        }
        e -= s;
        s = 0;
      }
    } else {
      for (let k = 0; k < vectorlen; k++) {
        const idx = desc ? elements.length - 1 - s - k : s + k;
        vector.push({ obj: elements[idx]!, score: 0, cmpobj: null });
      }
      e -= s;
      s = 0;
    }
  } else {
    vector = elements.map((obj) => ({ obj, score: 0, cmpobj: null }));
  }

  if (!dontsort) {
    let convError = false;
    for (const so of vector) {
      let byval: Buffer | null;
      if (by) {
        byval = lookupKeyByPattern(by, so.obj, lookup);
        if (!byval) continue;
      } else byval = so.obj;
      if (alpha) {
        if (by) so.cmpobj = byval;
      } else {
        const r = strtod(byval);
        so.score = r.value;
        // eptr[0] != '\0': the C string must be consumed up to its NUL
        const c = cstr(byval);
        if (r.end !== c.length || r.erange || Number.isNaN(r.value)) convError = true;
      }
    }
    const store = spec.store !== null;
    const cmp = (a: SortObject, b: SortObject): number => {
      let c: number;
      if (!alpha) {
        if (a.score > b.score) c = 1;
        else if (a.score < b.score) c = -1;
        else c = binaryCompare(a.obj, b.obj);
      } else if (by) {
        if (!a.cmpobj || !b.cmpobj) c = a.cmpobj === b.cmpobj ? 0 : !a.cmpobj ? -1 : 1;
        else c = store ? binaryCompare(a.cmpobj, b.cmpobj) : collCompare(a.cmpobj, b.cmpobj);
      } else c = store ? binaryCompare(a.obj, b.obj) : collCompare(a.obj, b.obj);
      return desc ? -c : c;
    };
    if (by && (s !== 0 || e !== vector.length - 1)) pqsort(vector, cmp, s, e);
    else vector.sort(cmp); // glibc qsort: a stable merge sort
    if (convError) throw new SortError(SORT_ERR_SCORES);
  }

  if (spec.store) {
    const rows: Buffer[] = [];
    for (let j = s; j <= e; j++) {
      const el = vector[j]!.obj;
      if (spec.gets.length === 0) rows.push(el);
      else for (const g of spec.gets) rows.push(lookupKeyByPattern(g, el, lookup) ?? Buffer.alloc(0));
    }
    return { kind: 'store', rows };
  }
  const rows: (Buffer | null)[] = [];
  for (let j = s; j <= e; j++) {
    const el = vector[j]!.obj;
    if (spec.gets.length === 0) rows.push(el);
    for (const g of spec.gets) rows.push(lookupKeyByPattern(g, el, lookup));
  }
  return { kind: 'rows', rows };
}
