/**
 * The Lua VM under rdblens's scripting: fengari (Lua 5.3 in JavaScript), configured and patched to
 * present the parts of Redis's Lua 5.1 that scripts can see.
 *
 * - Floats print as Lua 5.1 prints them ("%.14g", no ".0" on integral values:
 *   LUA_COMPAT_FLOATSTRING), so `tostring(10/2)` is "5" as on Redis.
 * - Read-only tables, as Redis's patched Lua 5.1 has them (lua_enablereadonlytable, used by
 *   scriptingInit to lock the globals): a write to a table marked read-only raises "Attempt to
 *   modify a readonly table". fengari's table writes all go through ltable's exported setters, so
 *   wrapping those two covers rawset, settable, table.insert and the rest.
 *
 * Why fengari (measured on this machine, Node 20, see docs/scripting.md): a JavaScript function
 * called from Lua costs 2.3 µs in fengari against 6.9 µs in wasmoon (Lua 5.4 in WebAssembly), and a
 * Redis script is mostly redis.call; strings are byte arrays (binary-safe keys and values, where
 * wasmoon's interop goes through UTF-8); count hooks (SCRIPT KILL) are the C API's; and Lua 5.3's
 * language is closer to 5.1's than 5.4's. Pure-Lua loops run about 3x slower than wasmoon's.
 */
import { createRequire } from 'node:module';
import { formatG } from './number-format.js';

// luaconf.js reads FENGARICONF once, when first loaded: set it before the first require.
const CONF = { LUA_COMPAT_FLOATSTRING: true };
if (process.env.FENGARICONF === undefined) process.env.FENGARICONF = JSON.stringify(CONF);

const require = createRequire(import.meta.url);

/* eslint-disable @typescript-eslint/no-explicit-any */
const fengari: any = require('fengari');
const ltable: any = require('fengari/src/ltable.js');
const ldebug: any = require('fengari/src/ldebug.js');
const lobject: any = require('fengari/src/lobject.js');
const lstring: any = require('fengari/src/lstring.js');
const luaconf: any = require('fengari/src/luaconf.js');
const lstate: any = require('fengari/src/lstate.js');

// Numbers print with C's "%.14g" (LUAI_NUMFFORMAT): fengari's own rounds through toPrecision and
// prints 2^53 as "9007199254741000" where Lua 5.1 prints "9.007199254741e+15". tostring, `..` and
// lua_tolstring all reach lobject.luaO_tostring through the module object.
lobject.luaO_tostring = function (L: unknown, obj: { ttisinteger(): boolean; value: number; setsvalue(v: unknown): void }) {
  const text = obj.ttisinteger() ? String(obj.value) : formatG(obj.value, 14);
  obj.setsvalue(lstring.luaS_bless(L, fengari.to_luastring(text)));
};
// tostring(x) and "%s" go through lua_pushfstring("%f", x), which lobject formats with its own,
// unpatched copy: give "%f" the same "%.14g".
const pushvfstring = lobject.luaO_pushvfstring;
lobject.luaO_pushvfstring = function (L: unknown, fmt: Uint8Array, argp: unknown[]) {
  if (fmt.length === 2 && fmt[0] === 0x25 && fmt[1] === 0x66) return fengari.lua.lua_pushstring(L, fengari.to_luastring(formatG(argp[0] as number, 14)));
  return pushvfstring(L, fmt, argp);
};

if (!luaconf.LUA_COMPAT_FLOATSTRING) {
  throw new Error('scripting: fengari was loaded before FENGARICONF could be set (LUA_COMPAT_FLOATSTRING is off)');
}

export const lua: any = fengari.lua;
export const lauxlib: any = fengari.lauxlib;
export const lualib: any = fengari.lualib;
export const to_luastring: (s: string, cache?: boolean) => Uint8Array = fengari.to_luastring;
export const to_jsstring: (s: Uint8Array) => string = fengari.to_jsstring;
/* eslint-enable @typescript-eslint/no-explicit-any */

/** A Lua state (fengari's lua_State); opaque here. */
export type LuaState = unknown;

const READONLY = Symbol('rdblens.readonly');
const READONLY_MESSAGE = to_luastring('Attempt to modify a readonly table', true);

/** The state a C function last ran in, for the one setter that is not handed it. */
let currentL: LuaState | null = null;

const setfrom = ltable.luaH_setfrom;
const setint = ltable.luaH_setint;
ltable.luaH_setfrom = function (L: LuaState, t: Record<symbol, unknown>, key: unknown, value: unknown) {
  if (t[READONLY] === true) ldebug.luaG_runerror(L, READONLY_MESSAGE);
  return setfrom(L, t, key, value);
};
ltable.luaH_setint = function (t: Record<symbol, unknown>, key: number, value: unknown) {
  if (t[READONLY] === true && currentL !== null) ldebug.luaG_runerror(currentL, READONLY_MESSAGE);
  return setint(t, key, value);
};

/** Mark the table at `index` read-only (or writable again): lua_enablereadonlytable. */
export function enableReadonlyTable(L: LuaState, index: number, on: boolean): void {
  const t = tableAt(L, index);
  t[READONLY] = on;
}

/** lua_isreadonlytable */
export function isReadonlyTable(L: LuaState, index: number): boolean {
  return tableAt(L, index)[READONLY] === true;
}

function tableAt(L: LuaState, index: number): Record<symbol, unknown> {
  if (!lua.lua_istable(L, index)) throw new Error('scripting: not a table');
  // lua_topointer gives the Table object itself in fengari
  return lua.lua_topointer(L, index) as Record<symbol, unknown>;
}

/** Remember the state a script runs in (for the integer-keyed setter's error). */
export function setCurrentState(L: LuaState | null): void {
  currentL = L;
}

/** A JavaScript string or bytes as a Lua string. */
export function luaString(s: string | Uint8Array): Uint8Array {
  return typeof s === 'string' ? to_luastring(s) : s;
}

/**
 * lua_pcallk from a JavaScript function, with its continuation. fengari's lua_pcallk means to
 * save 'allowhook' in the CallInfo (setoah) but can only clear the bit, so recovering from an
 * error caught there left hooks off for good: a script killed inside pcall ran on, no hook to
 * stop it. Setting the bit first (hooks are allowed: no pcall runs inside a hook) restores it.
 */
export function pcallk(L: LuaState, nargs: number, nresults: number, errfunc: number, ctx: number, k: (L: LuaState, status: number, ctx: number) => number): number {
  const st = L as { allowhook: number; ci: { callstatus: number } };
  if (st.allowhook) st.ci.callstatus |= lstate.CIST_OAH;
  return lua.lua_pcallk(L, nargs, nresults, errfunc, ctx, k);
}

