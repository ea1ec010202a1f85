/**
 * The `cmsgpack` library of Redis's Lua (lua-cmsgpack 0.4.0, deps/lua/src/lua_cmsgpack.c, built
 * for Lua 5.1): pack, unpack, unpack_one, unpack_limit. Numbers with an int64 value pack as the
 * smallest integer form, others as float 32 when exact else float 64; a table is an array when
 * its keys are 1..n; tables nested 16 deep pack as nil; decoded numbers are Lua numbers.
 */
import { lua, lauxlib, to_luastring, type LuaState } from '../lua.js';

const MAX_NESTING = 16;

class Buf {
  bytes: number[] = [];
  push(...b: number[]): void {
    for (const x of b) this.bytes.push(x & 0xff);
  }
  be(n: bigint, width: number): void {
    for (let i = width - 1; i >= 0; i--) this.bytes.push(Number((n >> BigInt(8 * i)) & 0xffn));
  }
}

function encodeInt(buf: Buf, n: bigint): void {
  if (n >= 0n) {
    if (n <= 127n) buf.push(Number(n));
    else if (n <= 0xffn) buf.push(0xcc, Number(n));
    else if (n <= 0xffffn) {
      buf.push(0xcd);
      buf.be(n, 2);
    } else if (n <= 0xffffffffn) {
      buf.push(0xce);
      buf.be(n, 4);
    } else {
      buf.push(0xcf);
      buf.be(n, 8);
    }
  } else if (n >= -32n) buf.push(Number(n) & 0xff);
  else if (n >= -128n) buf.push(0xd0, Number(n) & 0xff);
  else if (n >= -32768n) {
    buf.push(0xd1);
    buf.be(BigInt.asUintN(16, n), 2);
  } else if (n >= -2147483648n) {
    buf.push(0xd2);
    buf.be(BigInt.asUintN(32, n), 4);
  } else {
    buf.push(0xd3);
    buf.be(BigInt.asUintN(64, n), 8);
  }
}

/** IS_INT64_EQUIVALENT: the double holds an int64 exactly */
function isInt64(x: number): boolean {
  return Number.isFinite(x) && Math.trunc(x) === x && x >= -9223372036854775808 && x < 9223372036854775808;
}

function encodeNumber(buf: Buf, x: number): void {
  if (isInt64(x)) {
    encodeInt(buf, BigInt(x));
    return;
  }
  const f = Math.fround(x);
  const dv = new DataView(new ArrayBuffer(8));
  if (f === x || (Number.isNaN(x) && Number.isNaN(f))) {
    dv.setFloat32(0, x);
    buf.push(0xca, dv.getUint8(0), dv.getUint8(1), dv.getUint8(2), dv.getUint8(3));
  } else {
    dv.setFloat64(0, x);
    buf.push(0xcb);
    for (let i = 0; i < 8; i++) buf.push(dv.getUint8(i));
  }
}

function encodeBytes(buf: Buf, s: Uint8Array): void {
  const n = s.length;
  if (n < 32) buf.push(0xa0 | n);
  else if (n <= 0xff) buf.push(0xd9, n);
  else if (n <= 0xffff) buf.push(0xda, n >> 8, n);
  else buf.push(0xdb, n >>> 24, n >>> 16, n >>> 8, n);
  for (const c of s) buf.bytes.push(c);
}

function header(buf: Buf, n: number, fix: number, b16: number, b32: number): void {
  if (n <= 15) buf.push(fix | n);
  else if (n <= 0xffff) buf.push(b16, n >> 8, n);
  else buf.push(b32, n >>> 24, n >>> 16, n >>> 8, n);
}

/** table_is_an_array (Lua 5.1 build): every key a positive integer-valued number, max == count */
function isArray(L: LuaState): boolean {
  let count = 0;
  let max = 0;
  const top = lua.lua_gettop(L);
  lua.lua_pushnil(L);
  while (lua.lua_next(L, -2) !== 0) {
    lua.lua_pop(L, 1);
    if (lua.lua_type(L, -1) !== lua.LUA_TNUMBER) {
      lua.lua_settop(L, top);
      return false;
    }
    const n = lua.lua_tonumber(L, -1);
    if (n <= 0 || Math.trunc(n) !== n) {
      lua.lua_settop(L, top);
      return false;
    }
    if (n > max) max = n;
    count++;
  }
  lua.lua_settop(L, top);
  return max === count;
}

/** mp_encode_lua_type: the value on top (popped) */
function encodeValue(L: LuaState, buf: Buf, level: number): void {
  let t = lua.lua_type(L, -1);
  if (t === lua.LUA_TTABLE && level === MAX_NESTING) t = lua.LUA_TNIL;
  switch (t) {
    case lua.LUA_TSTRING:
      encodeBytes(buf, lua.lua_tolstring(L, -1));
      break;
    case lua.LUA_TBOOLEAN:
      buf.push(lua.lua_toboolean(L, -1) ? 0xc3 : 0xc2);
      break;
    case lua.LUA_TNUMBER:
      encodeNumber(buf, lua.lua_tonumber(L, -1));
      break;
    case lua.LUA_TTABLE:
      lauxlib.luaL_checkstack(L, 3, to_luastring('in function mp_encode_lua_table'));
      if (isArray(L)) {
        const len = lua.lua_rawlen(L, -1);
        header(buf, len, 0x90, 0xdc, 0xdd);
        for (let j = 1; j <= len; j++) {
          lua.lua_pushnumber(L, j);
          lua.lua_gettable(L, -2);
          encodeValue(L, buf, level + 1);
        }
      } else {
        let len = 0;
        lua.lua_pushnil(L);
        while (lua.lua_next(L, -2) !== 0) {
          lua.lua_pop(L, 1);
          len++;
        }
        header(buf, len, 0x80, 0xde, 0xdf);
        lua.lua_pushnil(L);
        while (lua.lua_next(L, -2) !== 0) {
          lua.lua_pushvalue(L, -2);
          encodeValue(L, buf, level + 1); // key
          encodeValue(L, buf, level + 1); // value
        }
      }
      break;
    default:
      buf.push(0xc0);
  }
  lua.lua_pop(L, 1);
}

class Cursor {
  err: 'eof' | 'badfmt' | null = null;
  constructor(
    readonly s: Uint8Array,
    public p: number,
  ) {}
  get left(): number {
    return this.s.length - this.p;
  }
  need(n: number): boolean {
    if (this.left < n) {
      this.err = 'eof';
      return false;
    }
    return true;
  }
  u(i: number, width: number): number {
    let v = 0;
    for (let k = 0; k < width; k++) v = v * 256 + this.s[this.p + i + k]!;
    return v;
  }
}

function decodeArray(L: LuaState, c: Cursor, len: number): void {
  lua.lua_newtable(L);
  lauxlib.luaL_checkstack(L, 1, to_luastring('in function mp_decode_to_lua_array'));
  for (let i = 1; i <= len; i++) {
    lua.lua_pushnumber(L, i);
    decodeValue(L, c);
    if (c.err) return;
    lua.lua_settable(L, -3);
  }
}

function decodeHash(L: LuaState, c: Cursor, len: number): void {
  lua.lua_newtable(L);
  for (let i = 0; i < len; i++) {
    decodeValue(L, c);
    if (c.err) return;
    decodeValue(L, c);
    if (c.err) return;
    lua.lua_settable(L, -3);
  }
}

/** mp_decode_to_lua_type */
function decodeValue(L: LuaState, c: Cursor): void {
  if (!c.need(1)) return;
  lauxlib.luaL_checkstack(L, 1, to_luastring('too many items'));
  const b = c.s[c.p]!;
  const dv = new DataView(c.s.buffer, c.s.byteOffset, c.s.byteLength);
  const str = (at: number, len: number, hdr: number) => {
    if (!c.need(hdr + len)) return;
    lua.lua_pushstring(L, c.s.subarray(c.p + at, c.p + at + len));
    c.p += hdr + len;
  };
  switch (b) {
    case 0xcc:
      if (!c.need(2)) return;
      lua.lua_pushnumber(L, c.s[c.p + 1]!);
      c.p += 2;
      return;
    case 0xd0:
      if (!c.need(2)) return;
      lua.lua_pushnumber(L, dv.getInt8(c.p + 1));
      c.p += 2;
      return;
    case 0xcd:
      if (!c.need(3)) return;
      lua.lua_pushnumber(L, dv.getUint16(c.p + 1));
      c.p += 3;
      return;
    case 0xd1:
      if (!c.need(3)) return;
      lua.lua_pushnumber(L, dv.getInt16(c.p + 1));
      c.p += 3;
      return;
    case 0xce:
      if (!c.need(5)) return;
      lua.lua_pushnumber(L, dv.getUint32(c.p + 1));
      c.p += 5;
      return;
    case 0xd2:
      if (!c.need(5)) return;
      lua.lua_pushnumber(L, dv.getInt32(c.p + 1));
      c.p += 5;
      return;
    case 0xcf:
      if (!c.need(9)) return;
      lua.lua_pushnumber(L, Number(dv.getBigUint64(c.p + 1)));
      c.p += 9;
      return;
    case 0xd3:
      if (!c.need(9)) return;
      lua.lua_pushnumber(L, Number(dv.getBigInt64(c.p + 1)));
      c.p += 9;
      return;
    case 0xc0:
      lua.lua_pushnil(L);
      c.p += 1;
      return;
    case 0xc3:
      lua.lua_pushboolean(L, true);
      c.p += 1;
      return;
    case 0xc2:
      lua.lua_pushboolean(L, false);
      c.p += 1;
      return;
    case 0xca:
      if (!c.need(5)) return;
      lua.lua_pushnumber(L, dv.getFloat32(c.p + 1));
      c.p += 5;
      return;
    case 0xcb:
      if (!c.need(9)) return;
      lua.lua_pushnumber(L, dv.getFloat64(c.p + 1));
      c.p += 9;
      return;
    case 0xd9:
      if (!c.need(2)) return;
      str(2, c.s[c.p + 1]!, 2);
      return;
    case 0xda:
      if (!c.need(3)) return;
      str(3, c.u(1, 2), 3);
      return;
    case 0xdb:
      if (!c.need(5)) return;
      str(5, c.u(1, 4), 5);
      return;
    case 0xdc:
      if (!c.need(3)) return;
      {
        const n = c.u(1, 2);
        c.p += 3;
        decodeArray(L, c, n);
      }
      return;
    case 0xdd:
      if (!c.need(5)) return;
      {
        const n = c.u(1, 4);
        c.p += 5;
        decodeArray(L, c, n);
      }
      return;
    case 0xde:
      if (!c.need(3)) return;
      {
        const n = c.u(1, 2);
        c.p += 3;
        decodeHash(L, c, n);
      }
      return;
    case 0xdf:
      if (!c.need(5)) return;
      {
        const n = c.u(1, 4);
        c.p += 5;
        decodeHash(L, c, n);
      }
      return;
    default:
      if ((b & 0x80) === 0) {
        lua.lua_pushnumber(L, b);
        c.p += 1;
      } else if ((b & 0xe0) === 0xe0) {
        lua.lua_pushnumber(L, b - 256);
        c.p += 1;
      } else if ((b & 0xe0) === 0xa0) {
        str(1, b & 0x1f, 1);
      } else if ((b & 0xf0) === 0x90) {
        c.p += 1;
        decodeArray(L, c, b & 0xf);
      } else if ((b & 0xf0) === 0x80) {
        c.p += 1;
        decodeHash(L, c, b & 0xf);
      } else {
        c.err = 'badfmt';
      }
  }
}

/** mp_unpack_full */
function unpackFull(L: LuaState, limit: number, offset: number): number {
  const s: Uint8Array = lauxlib.luaL_checklstring(L, 1);
  const decodeAll = limit === 0 && offset === 0;
  if (offset < 0 || limit < 0) {
    return lauxlib.luaL_error(L, to_luastring(`Invalid request to unpack with offset of ${offset} and limit of ${s.length}.`));
  }
  if (offset > s.length) return lauxlib.luaL_error(L, to_luastring(`Start offset ${offset} greater than input length ${s.length}.`));
  const max = decodeAll ? 2147483647 : limit;
  const c = new Cursor(s, offset);
  let cnt = 0;
  for (; c.left > 0 && cnt < max; cnt++) {
    decodeValue(L, c);
    if (c.err === 'eof') return lauxlib.luaL_error(L, to_luastring('Missing bytes in input.'));
    if (c.err === 'badfmt') return lauxlib.luaL_error(L, to_luastring('Bad data format in input.'));
  }
  if (!decodeAll) {
    lua.lua_pushnumber(L, c.left === 0 ? -1 : c.p);
    lua.lua_insert(L, 2);
    cnt += 1;
  }
  return cnt;
}

export function openCmsgpack(L: LuaState): number {
  const fns: Record<string, (L: LuaState) => number> = {
    pack: (l) => {
      const n = lua.lua_gettop(l);
      if (n === 0) return lauxlib.luaL_argerror(l, 0, to_luastring('MessagePack pack needs input.'));
      const buf = new Buf();
      for (let i = 1; i <= n; i++) {
        lua.lua_pushvalue(l, i);
        encodeValue(l, buf, 0);
      }
      lua.lua_pushstring(l, Uint8Array.from(buf.bytes));
      return 1;
    },
    unpack: (l) => unpackFull(l, 0, 0),
    unpack_one: (l) => {
      const offset = Math.trunc(lauxlib.luaL_optnumber(l, 2, 0));
      lua.lua_settop(l, 1);
      return unpackFull(l, 1, offset);
    },
    unpack_limit: (l) => {
      const limit = Math.trunc(lauxlib.luaL_checknumber(l, 2));
      const offset = Math.trunc(lauxlib.luaL_optnumber(l, 3, 0));
      lua.lua_settop(l, 1);
      return unpackFull(l, limit, offset);
    },
  };
  lua.lua_newtable(L);
  for (const [name, f] of Object.entries(fns)) {
    lua.lua_pushcfunction(L, f);
    lua.lua_setfield(L, -2, to_luastring(name));
  }
  for (const [k, v] of [
    ['_NAME', 'cmsgpack'],
    ['_VERSION', 'lua-cmsgpack 0.4.0'],
    ['_COPYRIGHT', 'Copyright (C) 2012, Salvatore Sanfilippo'],
    ['_DESCRIPTION', 'MessagePack C implementation for Lua'],
  ] as const) {
    lua.lua_pushliteral(L, v);
    lua.lua_setfield(L, -2, to_luastring(k));
  }
  return 1;
}
