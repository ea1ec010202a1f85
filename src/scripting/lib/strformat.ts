/**
 * string.format as Lua 5.1 does it (lstrlib.c str_format over C's sprintf): fengari's goes
 * through sprintf-js, whose %g/%e differ from C's ("1e+20" prints as "100000000000000000000"),
 * and, being 5.3's, refuses %d of a non-integral number where 5.1 truncates it.
 */
import { lua, lauxlib, to_luastring, type LuaState } from '../lua.js';
import { formatG } from '../number-format.js';
import { concat } from '../convert.js';

const FLAGS = '-+ #0';

function pad(body: string, flags: string, width: number, numeric: boolean): string {
  if (body.length >= width) return body;
  if (flags.includes('-')) return body + ' '.repeat(width - body.length);
  if (numeric && flags.includes('0')) {
    const sign = /^[+\- ]/.test(body) ? body[0]! : '';
    const rest = sign ? body.slice(1) : body;
    const prefix = /^0[xX]/.test(rest) ? rest.slice(0, 2) : '';
    return sign + prefix + '0'.repeat(width - body.length) + rest.slice(prefix.length);
  }
  return ' '.repeat(width - body.length) + body;
}

function signed(s: string, negative: boolean, flags: string): string {
  if (negative) return '-' + s;
  if (flags.includes('+')) return '+' + s;
  if (flags.includes(' ')) return ' ' + s;
  return s;
}

/** C's %e with a precision */
function formatE(x: number, prec: number, upper: boolean, flags: string): string {
  if (!Number.isFinite(x)) return nonFinite(x, upper);
  const [m, e] = Math.abs(x).toExponential(prec).split('e') as [string, string];
  const en = Number(e);
  let mant = m;
  if (flags.includes('#') && !mant.includes('.')) mant += '.';
  const s = `${mant}e${en < 0 ? '-' : '+'}${String(Math.abs(en)).padStart(2, '0')}`;
  return upper ? s.toUpperCase() : s;
}

function nonFinite(x: number, upper: boolean): string {
  const s = Number.isNaN(x) ? 'nan' : 'inf';
  return upper ? s.toUpperCase() : s;
}

function formatNumber(conv: string, x: number, flags: string, prec: number | null): string {
  const upper = conv === 'E' || conv === 'G' || conv === 'F';
  const negative = x < 0 || Object.is(x, -0);
  const ax = Math.abs(x);
  let body: string;
  switch (conv) {
    case 'f':
    case 'F':
      body = Number.isFinite(ax) ? ax.toFixed(prec ?? 6) : nonFinite(ax, upper);
      if (flags.includes('#') && prec === 0 && Number.isFinite(ax)) body += '.';
      break;
    case 'e':
    case 'E':
      body = formatE(ax, prec ?? 6, upper, flags);
      break;
    default: {
      // g / G
      if (!Number.isFinite(ax)) body = nonFinite(ax, upper);
      else {
        body = formatG(ax, prec ?? 6);
        if (upper) body = body.toUpperCase();
      }
    }
  }
  return signed(body, negative && !Number.isNaN(x), flags);
}

/** (long long) truncation of a Lua number, as Lua 5.1's %d casts it (LUA_INTFRM_T long) */
function toInteger(x: number): bigint {
  if (!Number.isFinite(x)) return -9223372036854775808n;
  const t = Math.trunc(x);
  if (t >= 9223372036854775808 || t < -9223372036854775808) return -9223372036854775808n;
  return BigInt(t);
}

function formatInteger(conv: string, n: bigint, flags: string, prec: number | null): string {
  const negative = n < 0n;
  let body: string;
  switch (conv) {
    case 'o':
      body = BigInt.asUintN(64, n).toString(8);
      if (flags.includes('#') && body[0] !== '0') body = '0' + body;
      break;
    case 'x':
    case 'X':
      body = BigInt.asUintN(64, n).toString(16);
      if (conv === 'X') body = body.toUpperCase();
      break;
    case 'u':
      body = BigInt.asUintN(64, n).toString();
      break;
    default:
      body = (negative ? -n : n).toString();
  }
  if (prec !== null) body = body.padStart(prec, '0');
  if (conv === 'd' || conv === 'i') return signed(body, negative, flags);
  if ((conv === 'x' || conv === 'X') && flags.includes('#') && n !== 0n) body = (conv === 'x' ? '0x' : '0X') + body;
  return body;
}

/** Lua 5.1's addquoted: "…" with ", \\, newline, \r and \0 escaped */
function quoted(s: Uint8Array): Uint8Array {
  const out: number[] = [0x22];
  for (const c of s) {
    if (c === 0x22 || c === 0x5c || c === 0x0a) out.push(0x5c, c);
    else if (c === 0x0d) out.push(0x5c, 0x72);
    else if (c === 0) out.push(0x5c, 0x30, 0x30, 0x30);
    else out.push(c);
  }
  out.push(0x22);
  return Uint8Array.from(out);
}

function ascii(s: string): Uint8Array {
  return to_luastring(s);
}

/** str_format */
export function strFormat(L: LuaState): number {
  const top = lua.lua_gettop(L);
  const fmt: Uint8Array = lauxlib.luaL_checklstring(L, 1);
  const parts: Uint8Array[] = [];
  let arg = 1;
  let i = 0;
  let literalStart = 0;
  while (i < fmt.length) {
    if (fmt[i] !== 0x25) {
      i++;
      continue;
    }
    if (i > literalStart) parts.push(fmt.subarray(literalStart, i));
    i++;
    if (fmt[i] === 0x25) {
      parts.push(ascii('%'));
      i++;
      literalStart = i;
      continue;
    }
    // flags, width, precision (scanformat: at most 5 flags, 2 digits each)
    let flags = '';
    while (i < fmt.length && FLAGS.includes(String.fromCharCode(fmt[i]!))) flags += String.fromCharCode(fmt[i++]!);
    if (flags.length > 5) lauxlib.luaL_error(L, to_luastring('invalid format (repeated flags)'));
    let widthText = '';
    while (i < fmt.length && fmt[i]! >= 0x30 && fmt[i]! <= 0x39) widthText += String.fromCharCode(fmt[i++]!);
    let precText: string | null = null;
    if (fmt[i] === 0x2e) {
      i++;
      precText = '';
      while (i < fmt.length && fmt[i]! >= 0x30 && fmt[i]! <= 0x39) precText += String.fromCharCode(fmt[i++]!);
    }
    if (widthText.length > 2 || (precText !== null && precText.length > 2)) {
      lauxlib.luaL_error(L, to_luastring('invalid format (width or precision too long)'));
    }
    const width = widthText === '' ? 0 : Number(widthText);
    const prec = precText === null ? null : precText === '' ? 0 : Number(precText);
    const conv = i < fmt.length ? String.fromCharCode(fmt[i]!) : '';
    i++;
    literalStart = i;
    arg++;
    if (arg > top && conv !== '') lauxlib.luaL_argerror(L, arg, to_luastring('no value'));
    switch (conv) {
      case 'c':
        parts.push(ascii(pad(String.fromCharCode(Number(toInteger(lauxlib.luaL_checknumber(L, arg)) & 0xffn)), flags, width, false)));
        break;
      case 'd':
      case 'i':
      case 'o':
      case 'u':
      case 'x':
      case 'X':
        parts.push(ascii(pad(formatInteger(conv, toInteger(lauxlib.luaL_checknumber(L, arg)), flags, prec), flags, width, prec === null)));
        break;
      case 'e':
      case 'E':
      case 'f':
      case 'F':
      case 'g':
      case 'G':
        parts.push(ascii(pad(formatNumber(conv, lauxlib.luaL_checknumber(L, arg), flags, prec), flags, width, true)));
        break;
      case 'q':
        parts.push(quoted(lauxlib.luaL_checklstring(L, arg)));
        break;
      case 's': {
        const s: Uint8Array = lauxlib.luaL_tolstring(L, arg);
        lua.lua_pop(L, 1);
        let body = prec === null ? s : s.subarray(0, prec);
        if (body.length < width) {
          const fill = new Uint8Array(width - body.length).fill(0x20);
          body = flags.includes('-') ? concat(body, fill) : concat(fill, body);
        }
        parts.push(body);
        break;
      }
      default:
        return lauxlib.luaL_error(L, to_luastring(`invalid option '%${conv}' to 'format'`));
    }
  }
  if (fmt.length > literalStart) parts.push(fmt.subarray(literalStart));
  lua.lua_pushstring(L, concat(...parts));
  return 1;
}
