/**
 * The `struct` library of Redis's Lua (Roberto Ierusalimschy's struct, deps/lua/src/lua_struct.c)
 * on x86-64: pack, unpack, size. Formats: > < ! (alignment), x, b B h H l L T i[n] I[n], f d,
 * c[n] (c0: length from the previous value on unpack), s (zero-terminated); native order little.
 */
import { lua, lauxlib, to_luastring, type LuaState } from '../lua.js';

const MAXINTSIZE = 32;
const MAXALIGN = 8;
const BIG = 0;
const LITTLE = 1;
const NATIVE = LITTLE;

interface Header {
  endian: number;
  align: number;
}

class Fmt {
  i = 0;
  constructor(readonly s: Uint8Array) {}
  get done(): boolean {
    return this.i >= this.s.length || this.s[this.i] === 0;
  }
  next(): number {
    return this.s[this.i++]!;
  }
  /** getnum */
  num(L: LuaState, df: number): number {
    const d = (c: number | undefined) => c !== undefined && c >= 0x30 && c <= 0x39;
    if (!d(this.s[this.i])) return df;
    let a = 0;
    while (d(this.s[this.i])) {
      const digit = this.s[this.i]! - 0x30;
      if (a > Math.floor(2147483647 / 10) || a * 10 > 2147483647 - digit) lauxlib.luaL_error(L, to_luastring('integral size overflow'));
      a = a * 10 + digit;
      this.i++;
    }
    return a;
  }
}

const ch = (c: string) => c.charCodeAt(0);

/** optsize */
function optsize(L: LuaState, opt: number, f: Fmt): number {
  switch (String.fromCharCode(opt)) {
    case 'B':
    case 'b':
      return 1;
    case 'H':
    case 'h':
      return 2;
    case 'L':
    case 'l':
    case 'T':
      return 8;
    case 'f':
      return 4;
    case 'd':
      return 8;
    case 'x':
      return 1;
    case 'c':
      return f.num(L, 1);
    case 'i':
    case 'I': {
      const sz = f.num(L, 4);
      if (sz > MAXINTSIZE) lauxlib.luaL_error(L, to_luastring(`integral size ${sz} is larger than limit of ${MAXINTSIZE}`));
      return sz;
    }
    default:
      return 0;
  }
}

/** gettoalign */
function toAlign(len: number, h: Header, opt: number, size: number): number {
  if (size === 0 || opt === ch('c')) return 0;
  if (size > h.align) size = h.align;
  return (size - (len & (size - 1))) & (size - 1);
}

/** controloptions */
function control(L: LuaState, opt: number, f: Fmt, h: Header): void {
  switch (String.fromCharCode(opt)) {
    case ' ':
      return;
    case '>':
      h.endian = BIG;
      return;
    case '<':
      h.endian = LITTLE;
      return;
    case '!': {
      const a = f.num(L, MAXALIGN);
      if (!(a > 0 && (a & (a - 1)) === 0)) lauxlib.luaL_error(L, to_luastring(`alignment ${a} is not a power of 2`));
      h.align = a;
      return;
    }
    default:
      lauxlib.luaL_argerror(L, 1, to_luastring(`invalid format option '${String.fromCharCode(opt)}'`));
  }
}

/** the bytes of `size` for an integer (two's complement of (long)n for negatives) */
function integerBytes(n: number, size: number, endian: number): number[] {
  let v = n < 0 ? BigInt.asUintN(64, BigInt(Math.trunc(Math.max(n, -9223372036854775808)))) : BigInt(Math.min(Math.trunc(n), 18446744073709551615));
  const out = new Array<number>(size).fill(0);
  for (let k = 0; k < size; k++) {
    const idx = endian === LITTLE ? k : size - 1 - k;
    out[idx] = k < 8 ? Number(v & 0xffn) : 0;
    v >>= 8n;
  }
  return out;
}

function floatBytes(x: number, size: 4 | 8, endian: number): number[] {
  const dv = new DataView(new ArrayBuffer(8));
  if (size === 4) dv.setFloat32(0, x, endian === LITTLE);
  else dv.setFloat64(0, x, endian === LITTLE);
  return Array.from(new Uint8Array(dv.buffer, 0, size));
}

function bPack(L: LuaState): number {
  const f = new Fmt(lauxlib.luaL_checklstring(L, 1));
  const h: Header = { endian: NATIVE, align: 1 };
  let arg = 2;
  let total = 0;
  const out: number[] = [];
  while (!f.done) {
    const opt = f.next();
    let size = optsize(L, opt, f);
    let align = toAlign(total, h, opt, size);
    total += align;
    while (align-- > 0) out.push(0);
    const o = String.fromCharCode(opt);
    if ('bBhHlLTiI'.includes(o)) {
      out.push(...integerBytes(lauxlib.luaL_checknumber(L, arg++), size, h.endian));
    } else if (o === 'x') {
      out.push(0);
    } else if (o === 'f') {
      out.push(...floatBytes(lauxlib.luaL_checknumber(L, arg++), 4, h.endian));
    } else if (o === 'd') {
      out.push(...floatBytes(lauxlib.luaL_checknumber(L, arg++), 8, h.endian));
    } else if (o === 'c' || o === 's') {
      const s: Uint8Array = lauxlib.luaL_checklstring(L, arg++);
      if (size === 0) size = s.length;
      lauxlib.luaL_argcheck(L, s.length >= size, arg, to_luastring('string too short'));
      for (let k = 0; k < size; k++) out.push(s[k]!);
      if (o === 's') {
        out.push(0);
        size++;
      }
    } else {
      control(L, opt, f, h);
    }
    total += size;
  }
  lua.lua_pushstring(L, Uint8Array.from(out));
  return 1;
}

function getInteger(d: Uint8Array, at: number, endian: number, signed: boolean, size: number): number {
  let l = 0n;
  for (let k = 0; k < size; k++) {
    const b = endian === BIG ? d[at + k]! : d[at + size - 1 - k]!;
    l = ((l << 8n) | BigInt(b)) & 0xffffffffffffffffn;
  }
  if (!signed) return Number(l);
  if (size * 8 - 1 < 64) {
    const mask = (0xffffffffffffffffn << BigInt(size * 8 - 1)) & 0xffffffffffffffffn;
    if (l & mask) l |= mask;
  }
  return Number(BigInt.asIntN(64, l));
}

function bUnpack(L: LuaState): number {
  const f = new Fmt(lauxlib.luaL_checklstring(L, 1));
  const data: Uint8Array = lauxlib.luaL_checklstring(L, 2);
  const ld = data.length;
  let pos = Math.trunc(lauxlib.luaL_optnumber(L, 3, 1));
  lauxlib.luaL_argcheck(L, pos > 0, 3, to_luastring('offset must be 1 or greater'));
  pos--;
  let n = 0;
  const h: Header = { endian: NATIVE, align: 1 };
  while (!f.done) {
    const opt = f.next();
    let size = optsize(L, opt, f);
    pos += toAlign(pos, h, opt, size);
    lauxlib.luaL_argcheck(L, size <= ld && pos <= ld - size, 2, to_luastring('data string too short'));
    lauxlib.luaL_checkstack(L, 2, to_luastring('too many results'));
    const o = String.fromCharCode(opt);
    if ('bBhHlLTiI'.includes(o)) {
      lua.lua_pushnumber(L, getInteger(data, pos, h.endian, o === o.toLowerCase(), size));
      n++;
    } else if (o === 'x') {
      // padding
    } else if (o === 'f' || o === 'd') {
      const dv = new DataView(data.buffer, data.byteOffset + pos, size);
      lua.lua_pushnumber(L, o === 'f' ? dv.getFloat32(0, h.endian === LITTLE) : dv.getFloat64(0, h.endian === LITTLE));
      n++;
    } else if (o === 'c') {
      if (size === 0) {
        if (n === 0 || !lua.lua_isnumber(L, -1)) lauxlib.luaL_error(L, to_luastring("format 'c0' needs a previous size"));
        size = Math.trunc(lua.lua_tonumber(L, -1));
        lua.lua_pop(L, 1);
        n--;
        lauxlib.luaL_argcheck(L, size <= ld && pos <= ld - size, 2, to_luastring('data string too short'));
      }
      lua.lua_pushstring(L, data.subarray(pos, pos + size));
      n++;
    } else if (o === 's') {
      const e = data.indexOf(0, pos);
      if (e < 0) lauxlib.luaL_error(L, to_luastring('unfinished string in data'));
      size = e - pos + 1;
      lua.lua_pushstring(L, data.subarray(pos, e));
      n++;
    } else {
      control(L, opt, f, h);
    }
    pos += size;
  }
  lua.lua_pushnumber(L, pos + 1);
  return n + 1;
}

function bSize(L: LuaState): number {
  const f = new Fmt(lauxlib.luaL_checklstring(L, 1));
  const h: Header = { endian: NATIVE, align: 1 };
  let pos = 0;
  while (!f.done) {
    const opt = f.next();
    const size = optsize(L, opt, f);
    pos += toAlign(pos, h, opt, size);
    if (opt === ch('s')) lauxlib.luaL_argerror(L, 1, to_luastring("option 's' has no fixed size"));
    else if (opt === ch('c') && size === 0) lauxlib.luaL_argerror(L, 1, to_luastring("option 'c0' has no fixed size"));
    if (!/[A-Za-z0-9]/.test(String.fromCharCode(opt))) control(L, opt, f, h);
    pos += size;
  }
  lua.lua_pushnumber(L, pos);
  return 1;
}

export function openStruct(L: LuaState): number {
  lua.lua_newtable(L);
  for (const [name, fn] of [
    ['pack', bPack],
    ['unpack', bUnpack],
    ['size', bSize],
  ] as const) {
    lua.lua_pushcfunction(L, fn);
    lua.lua_setfield(L, -2, to_luastring(name));
  }
  return 1;
}
