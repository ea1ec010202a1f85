/**
 * string2ll (util.c, 7.0): the value when `b` is the canonical decimal text of a long long
 * (no '+', no leading zeros, no spaces, "-0" refused), else null. Also what
 * getLongLongFromObject accepts, and lpStringToInt64 (listpack.c) agrees with it.
 */
export function string2ll(b: Uint8Array): bigint | null {
  const n = b.length;
  if (n === 0 || n > 20) return null;
  if (n === 1 && b[0] === 0x30) return 0n;
  let i = 0;
  let neg = false;
  if (b[0] === 0x2d) {
    neg = true;
    i = 1;
    if (n === 1) return null;
  }
  if (!(b[i]! >= 0x31 && b[i]! <= 0x39)) return null;
  let v = 0n;
  for (; i < n; i++) {
    const c = b[i]!;
    if (c < 0x30 || c > 0x39) return null;
    v = v * 10n + BigInt(c - 0x30);
  }
  if (neg) {
    v = -v;
    if (v < -(1n << 63n)) return null;
  } else if (v > (1n << 63n) - 1n) return null;
  return v;
}
