/** C's printf("%.<p>g") for doubles, as Redis uses it for Lua numbers ("%.17g"). */

/** printf("%.{precision}g", x) for finite x. */
export function formatG(x: number, precision: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const p = precision === 0 ? 1 : precision;
  // the exponent of x rounded to p significant digits
  const exp = Number(x.toExponential(p - 1).split('e')[1]);
  let s: string;
  if (exp < -4 || exp >= p) {
    const [mant, e] = x.toExponential(p - 1).split('e') as [string, string];
    const m = stripZeros(mant);
    const en = Number(e);
    s = `${m}e${en < 0 ? '-' : '+'}${String(Math.abs(en)).padStart(2, '0')}`;
  } else {
    s = stripZeros(x.toFixed(Math.max(0, p - 1 - exp)));
  }
  return s;
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
