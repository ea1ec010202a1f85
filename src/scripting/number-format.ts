/**
 * C's printf("%.<p>g") for doubles, as glibc prints them (Lua's "%.14g", Redis's "%.17g"):
 * correctly rounded, ties to even on the exact decimal value (JavaScript's toExponential rounds
 * ties up: 123456789012345 to 14 digits is 1.2345678901234e+14 in C, ...235 in JS).
 */

/** The p significant digits of |x| rounded as glibc does, and the decimal exponent of the first. */
function significand(x: number, p: number): { digits: string; exp: number } {
  const a = Math.abs(x);
  const [m, e] = a.toExponential(p - 1).split('e') as [string, string];
  let digits = m.replace('.', '');
  let exp = Number(e);
  // a tie: the exact expansion is the p digits then a 5 and nothing else
  const [fm, fe] = a.toExponential(Math.min(100, p + 40)).split('e') as [string, string];
  const full = fm.replace('.', '');
  if (Number(fe) === exp || Number(fe) === exp - 1) {
    const shift = Number(fe) === exp ? 0 : -1;
    if (shift === 0 && full[p] === '5' && /^0*$/.test(full.slice(p + 1))) {
      const kept = full.slice(0, p);
      if (Number(kept[p - 1]) % 2 === 0) {
        // ties to even: keep the truncated digits where JavaScript rounded up
        digits = kept;
        exp = Number(fe);
      }
    }
  }
  return { digits, exp };
}

/** printf("%.{precision}g", x) */
export function formatG(x: number, precision: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const p = precision === 0 ? 1 : precision;
  const { digits, exp } = significand(x, p);
  const sign = x < 0 ? '-' : '';
  if (exp < -4 || exp >= p) {
    const mant = stripZeros(digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits);
    return `${sign}${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  // fixed notation with p - 1 - exp decimals
  let s: string;
  if (exp >= 0) {
    const int = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
    const frac = digits.slice(exp + 1);
    s = frac.length ? `${int}.${frac}` : int;
  } else {
    s = `0.${'0'.repeat(-exp - 1)}${digits}`;
  }
  return sign + stripZeros(s);
}

function stripZeros(s: string): string {
  if (!s.includes('.')) return s;
  s = s.replace(/0+$/, '');
  return s.endsWith('.') ? s.slice(0, -1) : s;
}

/** "%.17g": how Redis writes a Lua number as a command argument and RESP3 doubles. */
export function formatDouble17(x: number): string {
  return formatG(x, 17);
}
