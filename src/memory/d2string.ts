/**
 * How a zset score is written into a ziplist/listpack when a skiplist is converted on load
 * (t_zset.c zzlInsertAt, util.c d2string): its text length, or the INT_CLASS when the entry
 * ends up integer-encoded. Up to 7.0 the text is "%.17g" (integers within +-2^52 as integers);
 * from 7.2 integral scores become integer entries (double2ll) and others fpconv_dtoa's shortest
 * form.
 */
import { intClassOf, decimalLength, INT_CLASS } from '../rdb/facts.js';

/** Result of scoreEntry: either an integer entry (cls > 0) or a string of `len` bytes. */
export interface ScoreText {
  len: number;
  cls: number;
}

const out: ScoreText = { len: 0, cls: 0 };

/** LLONG_MAX / 2 as a double, double2ll's range (util.h) */
const DOUBLE2LL_LIMIT = 4611686018427387903;
/** d2string's long long fast path (util.c, up to 7.0): (-2^52, 2^52) */
const D2STRING_LL_MIN = -4503599627370495;
const D2STRING_LL_MAX = 4503599627370496;

/**
 * The entry a score becomes. Reuses one result object: read it before the next call.
 * `fpconv`: 7.2+ rules, else the 7.0-and-older "%.17g" ones.
 */
export function scoreEntry(score: number, fpconv: boolean): ScoreText {
  if (fpconv) {
    // zzlInsertAt: double2ll first (covers -0 as 0), else d2string -> fpconv_dtoa
    if (score >= -DOUBLE2LL_LIMIT && score <= DOUBLE2LL_LIMIT && Number.isInteger(score)) {
      return integerEntry(score === 0 ? 0 : score);
    }
    return stringEntry(fpconvLength(score));
  }
  if (Number.isNaN(score)) return stringEntry(3);
  if (score === Infinity) return stringEntry(3);
  if (score === -Infinity) return stringEntry(4);
  if (score === 0) return Object.is(score, -0) ? stringEntry(2) : integerEntry(0);
  if (score > D2STRING_LL_MIN && score < D2STRING_LL_MAX && Number.isInteger(score)) return integerEntry(score);
  // "%.17g" text; ziplistPush/lpAppend store it as an integer when string2ll accepts it: an
  // integral value below 1e17 prints as plain digits, anything else has a '.' or an 'e'
  if (Number.isInteger(score) && Math.abs(score) < 1e17) return integerEntry(score);
  return stringEntry(printfG17Length(score));
}

function integerEntry(v: number): ScoreText {
  out.cls = Number.isSafeInteger(v) ? intClassOf(v) : INT_CLASS.INT64;
  out.len = Number.isSafeInteger(v) ? decimalLength(v) : String(BigInt(v)).length;
  return out;
}

function stringEntry(len: number): ScoreText {
  out.cls = 0;
  out.len = len;
  return out;
}

/**
 * Length of printf("%.17g", x) for a finite non-zero x: 17 significant digits, trailing zeros
 * dropped, exponent form when the exponent is < -4 or >= 17 (at least two exponent digits).
 */
export function printfG17Length(x: number): number {
  const neg = x < 0 ? 1 : 0;
  const e = Math.abs(x).toExponential(16); // d.dddddddddddddddde±X
  const ePos = e.indexOf('e');
  const exp = Number(e.slice(ePos + 1));
  let digits = e.slice(0, 1) + e.slice(2, ePos);
  digits = digits.replace(/0+$/, '');
  const nd = digits.length;
  if (exp < -4 || exp >= 17) {
    const mant = nd > 1 ? nd + 1 : 1;
    const absExp = Math.abs(exp);
    const expDigits = absExp < 10 ? 2 : absExp < 100 ? 2 : 3;
    return neg + mant + 2 + expDigits;
  }
  if (exp >= 0) {
    // integer part exp+1 digits, fraction the remaining significant digits
    const frac = Math.max(0, nd - (exp + 1));
    return neg + (exp + 1) + (frac > 0 ? 1 + frac : 0);
  }
  // 0.000ddd
  return neg + 2 + (-exp - 1) + nd;
}

/**
 * Length of fpconv_dtoa (deps/fpconv, 7.2+) for a finite non-zero, non-integral-range x:
 * shortest round-trip digits laid out by emit_digits.
 */
export function fpconvLength(x: number): number {
  if (Number.isNaN(x)) return 3;
  if (!Number.isFinite(x)) return x < 0 ? 4 : 3;
  const neg = x < 0 || Object.is(x, -0) ? 1 : 0;
  if (x === 0) return neg + 1;
  const e = Math.abs(x).toExponential(); // shortest digits: d.ddde±X
  const ePos = e.indexOf('e');
  const digits = e.slice(0, 1) + e.slice(2, ePos);
  let ndigits = digits.length;
  const decExp = Number(e.slice(ePos + 1)); // position of the first digit
  const K = decExp - (ndigits - 1); // value = digits * 10^K
  const exp = Math.abs(K + ndigits - 1);
  if (K >= 0 && exp < ndigits + 7) return neg + ndigits + K;
  if (K < 0 && (K > -7 || exp < 4)) {
    const offset = ndigits - Math.abs(K);
    if (offset <= 0) return neg + ndigits + 2 - offset;
    return neg + ndigits + 1;
  }
  ndigits = Math.min(ndigits, 18 - neg);
  let len = 1 + (ndigits > 1 ? ndigits : 0) + 2; // d[.ddd]e±
  if (exp > 99) len += 2; // hundreds digit, then a tens digit (possibly '0')
  else if (exp > 9) len += 1;
  return neg + len + 1;
}
