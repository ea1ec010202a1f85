/**
 * The `bit` library Redis's Lua carries (LuaBitOp 1.0, lua_bit.c): 32-bit operations on numbers,
 * results as signed 32-bit integers.
 */
import { lua, lauxlib, to_luastring, type LuaState } from '../lua.js';

/** barg: a number as its low 32 bits (LuaBitOp's 2^52+2^51 conversion: modular, rounded to nearest) */
function barg(L: LuaState, i: number): number {
  const x = lauxlib.luaL_checknumber(L, i);
  if (!Number.isFinite(x)) return 0;
  // the magic-number addition rounds to the nearest integer (ties to even) before wrapping
  const r = Math.abs(x - Math.trunc(x)) === 0.5 ? 2 * Math.round(x / 2) : Math.round(x);
  return Number(BigInt.asIntN(32, BigInt(r)));
}

function push(L: LuaState, v: number): number {
  lua.lua_pushnumber(L, v | 0);
  return 1;
}

function fold(op: (a: number, b: number) => number) {
  return (L: LuaState): number => {
    let r = barg(L, 1);
    const n = lua.lua_gettop(L);
    for (let i = 2; i <= n; i++) r = op(r, barg(L, i));
    return push(L, r);
  };
}

const HEX = '0123456789abcdef';

const FUNCS: Record<string, (L: LuaState) => number> = {
  tobit: (L) => push(L, barg(L, 1)),
  bnot: (L) => push(L, ~barg(L, 1)),
  band: fold((a, b) => a & b),
  bor: fold((a, b) => a | b),
  bxor: fold((a, b) => a ^ b),
  lshift: (L) => push(L, barg(L, 1) << (barg(L, 2) & 31)),
  rshift: (L) => push(L, barg(L, 1) >>> (barg(L, 2) & 31)),
  arshift: (L) => push(L, barg(L, 1) >> (barg(L, 2) & 31)),
  rol: (L) => {
    const b = barg(L, 1);
    const n = barg(L, 2) & 31;
    return push(L, (b << n) | (b >>> (32 - n)));
  },
  ror: (L) => {
    const b = barg(L, 1);
    const n = barg(L, 2) & 31;
    return push(L, (b >>> n) | (b << (32 - n)));
  },
  bswap: (L) => {
    const b = barg(L, 1);
    return push(L, ((b >>> 24) & 0xff) | ((b >>> 8) & 0xff00) | ((b & 0xff00) << 8) | (b << 24));
  },
  tohex: (L) => {
    let b = barg(L, 1);
    let n = lua.lua_isnoneornil(L, 2) ? 8 : barg(L, 2);
    let hex = HEX;
    if (n < 0) {
      n = -n;
      hex = HEX.toUpperCase();
    }
    if (n > 8) n = 8;
    let s = '';
    for (let i = n; --i >= 0; ) {
      s = hex[b & 15]! + s;
      b >>>= 4;
    }
    lua.lua_pushstring(L, to_luastring(s));
    return 1;
  },
};

export function openBit(L: LuaState): number {
  lua.lua_newtable(L);
  for (const [name, f] of Object.entries(FUNCS)) {
    lua.lua_pushcfunction(L, f);
    lua.lua_setfield(L, -2, to_luastring(name));
  }
  return 1;
}
