/**
 * x87 80-bit long double arithmetic, as INCRBYFLOAT and HINCRBYFLOAT do it on x86-64 Redis
 * (string2ld = strtold, one addition, ld2string LD_STR_HUMAN = "%.17Lf" with the trailing
 * zeros removed). Values are exact binary fractions m * 2^e with a 64-bit mantissa, held as
 * bigints, rounded to nearest-even like the FPU.
 */

/** A finite long double, or an infinity / NaN. */
export type LongDouble = { kind: 'finite'; neg: boolean; m: bigint; e: number } | { kind: 'inf'; neg: boolean } | { kind: 'nan' };

/** MAX_LONG_DOUBLE_CHARS (util.h) */
const MAX_LONG_DOUBLE_CHARS = 5 * 1024;
/** mantissa bits and exponent range of the x87 extended format */
const BITS = 64;
const MIN_E = -16382 - 63; // the exponent of the least significant mantissa bit of the smallest normal
const MAX_E = 16383 - 63; // largest e with a 64-bit mantissa below 2^16384

function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

/** Round num / den * 2^e0 (num >= 0, den > 0) to a long double. */
function round(neg: boolean, num: bigint, den: bigint, e0: number): LongDouble {
  if (num === 0n) return { kind: 'finite', neg, m: 0n, e: 0 };
  // shift so that the quotient has BITS bits
  let e = bitLength(num) - bitLength(den) - BITS;
  for (;;) {
    const q = e >= 0 ? num / (den << BigInt(e)) : (num << BigInt(-e)) / den;
    if (q >= 1n << BigInt(BITS)) e++;
    else if (q < 1n << BigInt(BITS - 1)) e--;
    else break;
  }
  // denormals: fewer mantissa bits
  if (e + e0 < MIN_E) e = MIN_E - e0;
  const n2 = e >= 0 ? num : num << BigInt(-e);
  const d2 = e >= 0 ? den << BigInt(e) : den;
  let q = n2 / d2;
  const r = n2 % d2;
  if (r * 2n > d2 || (r * 2n === d2 && (q & 1n) === 1n)) q++;
  let ee = e + e0;
  if (q === 1n << BigInt(BITS)) {
    q >>= 1n;
    ee++;
  }
  if (ee > MAX_E) return { kind: 'inf', neg };
  return { kind: 'finite', neg, m: q, e: ee };
}

/**
 * string2ld: strtold over the whole buffer (no leading space, nothing left over), refusing NaN
 * and overflow or underflow to zero; null when invalid.
 */
export function parseLongDouble(b: Uint8Array): LongDouble | null {
  if (b.length === 0 || b.length >= MAX_LONG_DOUBLE_CHARS) return null;
  const s = Buffer.from(b.buffer, b.byteOffset, b.length).latin1Slice(0, b.length);
  if (/^\s/.test(s)) return null;
  const low = s.toLowerCase();
  const sign = low[0] === '-' || low[0] === '+' ? low[0] : '';
  const body = sign ? low.slice(1) : low;
  const neg = sign === '-';
  if (body === 'inf' || body === 'infinity') return { kind: 'inf', neg };
  let m = /^(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/.exec(body);
  if (m && (m[1]! + (m[2] ?? '')).length > 0) {
    const digits = (m[1]! + (m[2] ?? '')).replace(/^0+/, '');
    let exp10 = (m[3] ? Number(m[3]) : 0) - (m[2] ?? '').length;
    if (digits === '') return { kind: 'finite', neg, m: 0n, e: 0 };
    // beyond these the result overflows or underflows whatever the digits
    if (digits.length + exp10 > 4940) return null;
    if (digits.length + exp10 < -4960) return null;
    let num = BigInt(digits);
    let den = 1n;
    if (exp10 >= 0) num *= 10n ** BigInt(exp10);
    else den = 10n ** BigInt(-exp10);
    exp10 = 0;
    const v = round(neg, num, den, 0);
    if (v.kind === 'inf') return null;
    if (v.kind === 'finite' && v.m === 0n) return null;
    return v;
  }
  m = /^0x([0-9a-f]*)(?:\.([0-9a-f]*))?(?:p([+-]?\d+))?$/.exec(body);
  if (m && (m[1]! + (m[2] ?? '')).length > 0) {
    const hex = m[1]! + (m[2] ?? '');
    const exp2 = (m[3] ? Number(m[3]) : 0) - 4 * (m[2] ?? '').length;
    const num = BigInt('0x' + hex);
    if (num === 0n) return { kind: 'finite', neg, m: 0n, e: 0 };
    if (bitLength(num) + exp2 > 16400 || bitLength(num) + exp2 < -16500) return null;
    const v = round(neg, num, 1n, exp2);
    if (v.kind === 'inf' || (v.kind === 'finite' && v.m === 0n)) return null;
    return v;
  }
  return null;
}

/** A long double from an int64 (an int-encoded value). */
export function longDoubleFromInt(v: bigint): LongDouble {
  const neg = v < 0n;
  return round(neg, neg ? -v : v, 1n, 0);
}

/** a + b rounded to a long double */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble {
  if (a.kind === 'nan' || b.kind === 'nan') return { kind: 'nan' };
  if (a.kind === 'inf' || b.kind === 'inf') {
    if (a.kind === 'inf' && b.kind === 'inf' && a.neg !== b.neg) return { kind: 'nan' };
    return a.kind === 'inf' ? a : b;
  }
  if (a.m === 0n) return b.m === 0n ? { kind: 'finite', neg: a.neg && b.neg, m: 0n, e: 0 } : b;
  if (b.m === 0n) return a;
  const e = Math.min(a.e, b.e);
  const av = (a.neg ? -a.m : a.m) << BigInt(a.e - e);
  const bv = (b.neg ? -b.m : b.m) << BigInt(b.e - e);
  const sum = av + bv;
  if (sum === 0n) return { kind: 'finite', neg: false, m: 0n, e: 0 };
  return round(sum < 0n, sum < 0n ? -sum : sum, 1n, e);
}

export function isFiniteLd(v: LongDouble): boolean {
  return v.kind === 'finite';
}

/** ld2string(LD_STR_HUMAN): "%.17Lf", trailing zeros and a final '.' removed, "-0" as "0" */
export function formatLongDouble(v: LongDouble): string {
  if (v.kind === 'nan') return 'nan';
  if (v.kind === 'inf') return v.neg ? '-inf' : 'inf';
  const scale = 10n ** 17n;
  let q: bigint;
  if (v.e >= 0) q = (v.m << BigInt(v.e)) * scale;
  else {
    const num = v.m * scale;
    const den = 1n << BigInt(-v.e);
    q = num / den;
    const r = num % den;
    if (r * 2n > den || (r * 2n === den && (q & 1n) === 1n)) q++;
  }
  const ip = (q / scale).toString();
  const fp = (q % scale).toString().padStart(17, '0').replace(/0+$/, '');
  let s = (v.neg ? '-' : '') + ip + (fp ? '.' + fp : '');
  if (s === '-0') s = '0';
  return s;
}
