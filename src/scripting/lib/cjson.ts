/**
 * The `cjson` library of Redis's Lua (lua-cjson 2.1.0, deps/lua/src/lua_cjson.c): encode and
 * decode with its configuration functions, error texts and defaults as Redis builds it
 * (sparse arrays refused past ratio 2 / safe 10, depth 1000 both ways, 14 significant digits,
 * NaN/Inf refused on encode but read on decode, as are hex and leading zeros; cjson.null a NULL
 * light userdata).
 * An object's keys come out in the order the VM's lua_next gives them, which is fengari's
 * (Lua 5.3 tables), not Lua 5.1's.
 */
import { lua, lauxlib, to_luastring, to_jsstring, type LuaState } from '../lua.js';
import { formatG } from '../number-format.js';

interface Config {
  sparseConvert: boolean;
  sparseRatio: number;
  sparseSafe: number;
  encodeMaxDepth: number;
  decodeMaxDepth: number;
  /** 0 refuse, 1 allow ("nan"), 2 as null */
  encodeInvalidNumbers: 0 | 1 | 2;
  decodeInvalidNumbers: boolean;
  keepBuffer: boolean;
  precision: number;
}

function defaults(): Config {
  return {
    sparseConvert: false,
    sparseRatio: 2,
    sparseSafe: 10,
    encodeMaxDepth: 1000,
    decodeMaxDepth: 1000,
    encodeInvalidNumbers: 0,
    decodeInvalidNumbers: true,
    keepBuffer: true,
    precision: 14,
  };
}

/** char2escape: what each byte becomes inside a JSON string (null: itself) */
const ESCAPE: (string | null)[] = (() => {
  const t: (string | null)[] = new Array(256).fill(null);
  for (let i = 0; i < 32; i++) t[i] = `\\u${i.toString(16).padStart(4, '0')}`;
  t[8] = '\\b';
  t[9] = '\\t';
  t[10] = '\\n';
  t[12] = '\\f';
  t[13] = '\\r';
  t[0x22] = '\\"';
  t[0x2f] = '\\/';
  t[0x5c] = '\\\\';
  t[0x7f] = '\\u007f';
  return t;
})();

class Out {
  parts: number[] = [];
  ascii(s: string): void {
    for (let i = 0; i < s.length; i++) this.parts.push(s.charCodeAt(i));
  }
  bytes(b: Uint8Array): void {
    for (const x of b) this.parts.push(x);
  }
}

function typeName(L: LuaState, i: number): string {
  return to_jsstring(lua.lua_typename(L, lua.lua_type(L, i)));
}

function encodeException(L: LuaState, i: number, reason: string): never {
  lauxlib.luaL_error(L, to_luastring(`Cannot serialise ${typeName(L, i)}: ${reason}`));
  throw new Error('unreachable');
}

function appendString(L: LuaState, out: Out, i: number): void {
  const s: Uint8Array = lua.lua_tolstring(L, i);
  out.parts.push(0x22);
  for (const c of s) {
    const e = ESCAPE[c];
    if (e === null || e === undefined) out.parts.push(c);
    else out.ascii(e);
  }
  out.parts.push(0x22);
}

function appendNumber(L: LuaState, cfg: Config, out: Out, i: number): void {
  const n = lua.lua_tonumber(L, i);
  if (cfg.encodeInvalidNumbers === 0) {
    if (!Number.isFinite(n)) encodeException(L, i, 'must not be NaN or Inf');
  } else if (cfg.encodeInvalidNumbers === 1) {
    if (Number.isNaN(n)) {
      out.ascii('nan');
      return;
    }
  } else if (!Number.isFinite(n)) {
    out.ascii('null');
    return;
  }
  out.ascii(formatG(n, cfg.precision));
}

/** lua_array_length: the array's length, or -1 for an object */
function arrayLength(L: LuaState, cfg: Config): number {
  let max = 0;
  let items = 0;
  lua.lua_pushnil(L);
  while (lua.lua_next(L, -2) !== 0) {
    if (lua.lua_type(L, -2) === lua.LUA_TNUMBER) {
      const k = lua.lua_tonumber(L, -2);
      if (k !== 0 && Math.floor(k) === k && k >= 1) {
        if (k > max) max = k;
        items++;
        lua.lua_pop(L, 1);
        continue;
      }
    }
    lua.lua_pop(L, 2);
    return -1;
  }
  if (cfg.sparseRatio > 0 && max > items * cfg.sparseRatio && max > cfg.sparseSafe) {
    if (!cfg.sparseConvert) encodeException(L, -1, 'excessively sparse array');
    return -1;
  }
  return max;
}

function appendData(L: LuaState, cfg: Config, depth: number, out: Out): void {
  switch (lua.lua_type(L, -1)) {
    case lua.LUA_TSTRING:
      appendString(L, out, -1);
      return;
    case lua.LUA_TNUMBER:
      appendNumber(L, cfg, out, -1);
      return;
    case lua.LUA_TBOOLEAN:
      out.ascii(lua.lua_toboolean(L, -1) ? 'true' : 'false');
      return;
    case lua.LUA_TTABLE: {
      depth++;
      if (depth > cfg.encodeMaxDepth || !lua.lua_checkstack(L, 3)) {
        lauxlib.luaL_error(L, to_luastring(`Cannot serialise, excessive nesting (${depth})`));
      }
      const len = arrayLength(L, cfg);
      if (len > 0) {
        out.parts.push(0x5b);
        for (let j = 1; j <= len; j++) {
          if (j > 1) out.parts.push(0x2c);
          lua.lua_rawgeti(L, -1, j);
          appendData(L, cfg, depth, out);
          lua.lua_pop(L, 1);
        }
        out.parts.push(0x5d);
      } else {
        out.parts.push(0x7b);
        let comma = false;
        lua.lua_pushnil(L);
        while (lua.lua_next(L, -2) !== 0) {
          if (comma) out.parts.push(0x2c);
          comma = true;
          const kt = lua.lua_type(L, -2);
          if (kt === lua.LUA_TNUMBER) {
            out.parts.push(0x22);
            appendNumber(L, cfg, out, -2);
            out.ascii('":');
          } else if (kt === lua.LUA_TSTRING) {
            appendString(L, out, -2);
            out.parts.push(0x3a);
          } else {
            encodeException(L, -2, 'table key must be a number or string');
          }
          appendData(L, cfg, depth, out);
          lua.lua_pop(L, 1);
        }
        out.parts.push(0x7d);
      }
      return;
    }
    case lua.LUA_TNIL:
      out.ascii('null');
      return;
    case lua.LUA_TLIGHTUSERDATA:
      if (lua.lua_touserdata(L, -1) === null) out.ascii('null');
      else encodeException(L, -1, 'type not supported');
      return;
    default:
      encodeException(L, -1, 'type not supported');
  }
}

// ---------------------------------------------------------------- decoding

const enum T {
  OBJ_BEGIN,
  OBJ_END,
  ARR_BEGIN,
  ARR_END,
  STRING,
  NUMBER,
  BOOLEAN,
  NULL,
  COLON,
  COMMA,
  END,
  WHITESPACE,
  ERROR,
  UNKNOWN,
}

const TOKEN_NAMES = ['T_OBJ_BEGIN', 'T_OBJ_END', 'T_ARR_BEGIN', 'T_ARR_END', 'T_STRING', 'T_NUMBER', 'T_BOOLEAN', 'T_NULL', 'T_COLON', 'T_COMMA', 'T_END', 'T_WHITESPACE', 'T_ERROR', 'T_UNKNOWN'];

const CH2TOKEN: T[] = (() => {
  const t: T[] = new Array(256).fill(T.ERROR);
  t[0x7b] = T.OBJ_BEGIN;
  t[0x7d] = T.OBJ_END;
  t[0x5b] = T.ARR_BEGIN;
  t[0x5d] = T.ARR_END;
  t[0x2c] = T.COMMA;
  t[0x3a] = T.COLON;
  t[0] = T.END;
  for (const c of [0x20, 0x09, 0x0a, 0x0d]) t[c] = T.WHITESPACE;
  for (const c of 'fiInNt"+-0123456789') t[c.charCodeAt(0)] = T.UNKNOWN;
  return t;
})();

const ESCAPE2CHAR: number[] = (() => {
  const t = new Array(256).fill(0);
  t[0x22] = 0x22;
  t[0x5c] = 0x5c;
  t[0x2f] = 0x2f;
  t[0x62] = 0x08;
  t[0x74] = 0x09;
  t[0x6e] = 0x0a;
  t[0x66] = 0x0c;
  t[0x72] = 0x0d;
  t[0x75] = 0x75;
  return t;
})();

interface Token {
  type: T;
  index: number;
  str?: Uint8Array;
  num?: number;
  bool?: boolean;
  error?: string;
}

class Parser {
  pos = 0;
  depth = 0;
  constructor(
    readonly L: LuaState,
    readonly s: Uint8Array,
    readonly cfg: Config,
  ) {}

  at(i: number): number {
    return i < this.s.length ? this.s[i]! : 0;
  }

  errorToken(t: Token, msg: string): void {
    t.type = T.ERROR;
    t.index = this.pos;
    t.error = msg;
  }

  next(): Token {
    let ch: number;
    let type: T;
    for (;;) {
      ch = this.at(this.pos);
      type = CH2TOKEN[ch]!;
      if (type !== T.WHITESPACE) break;
      this.pos++;
    }
    const t: Token = { type, index: this.pos };
    if (type === T.ERROR) {
      this.errorToken(t, 'invalid token');
      return t;
    }
    if (type === T.END) return t;
    if (type !== T.UNKNOWN) {
      this.pos++;
      return t;
    }
    if (ch === 0x22) {
      this.string(t);
      return t;
    }
    if (ch === 0x2d || (ch >= 0x30 && ch <= 0x39)) {
      if (!this.cfg.decodeInvalidNumbers && this.invalidNumber()) {
        this.errorToken(t, 'invalid number');
        return t;
      }
      this.number(t);
      return t;
    }
    if (this.word('true')) {
      t.type = T.BOOLEAN;
      t.bool = true;
      this.pos += 4;
      return t;
    }
    if (this.word('false')) {
      t.type = T.BOOLEAN;
      t.bool = false;
      this.pos += 5;
      return t;
    }
    if (this.word('null')) {
      t.type = T.NULL;
      this.pos += 4;
      return t;
    }
    if (this.cfg.decodeInvalidNumbers && this.invalidNumber()) {
      this.number(t);
      return t;
    }
    this.errorToken(t, 'invalid token');
    return t;
  }

  word(w: string): boolean {
    for (let i = 0; i < w.length; i++) if (this.at(this.pos + i) !== w.charCodeAt(i)) return false;
    return true;
  }

  /** json_is_invalid_number */
  invalidNumber(): boolean {
    let p = this.pos;
    if (this.at(p) === 0x2b) return true;
    if (this.at(p) === 0x2d) p++;
    if (this.at(p) === 0x30) {
      const c2 = this.at(p + 1);
      return (c2 | 0x20) === 0x78 || (c2 >= 0x30 && c2 <= 0x39);
    }
    if (this.at(p) <= 0x39) return false;
    const rest = Buffer.from(this.s.subarray(p, p + 3)).toString('latin1').toLowerCase();
    return rest === 'inf' || rest === 'nan';
  }

  /** fpconv_strtod: the longest prefix strtod reads */
  number(t: Token): void {
    const text = Buffer.from(this.s.subarray(this.pos, Math.min(this.s.length, this.pos + 400))).toString('latin1');
    const m = /^[-+]?(?:0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|inf(?:inity)?|nan)/i.exec(text);
    t.type = T.NUMBER;
    if (!m || m[0].length === 0) {
      this.errorToken(t, 'invalid number');
      return;
    }
    const txt = m[0].toLowerCase();
    const neg = txt.startsWith('-');
    const body = txt.replace(/^[-+]/, '');
    let v: number;
    if (body.startsWith('0x')) v = parseInt(body.slice(2), 16);
    else if (body.startsWith('inf')) v = Infinity;
    else if (body === 'nan') v = NaN;
    else v = Number(body);
    t.num = neg ? -v : v;
    this.pos += m[0].length;
  }

  string(t: Token): void {
    this.pos++;
    const out: number[] = [];
    for (;;) {
      const ch = this.at(this.pos);
      if (ch === 0x22) break;
      if (this.pos >= this.s.length) {
        this.errorToken(t, 'unexpected end of string');
        return;
      }
      if (ch === 0x5c) {
        const e = ESCAPE2CHAR[this.at(this.pos + 1)]!;
        if (e === 0x75) {
          if (this.unicodeEscape(out)) continue;
          this.errorToken(t, 'invalid unicode escape code');
          return;
        }
        if (e === 0) {
          this.errorToken(t, 'invalid escape code');
          return;
        }
        out.push(e);
        this.pos += 2;
        continue;
      }
      out.push(ch);
      this.pos++;
    }
    this.pos++;
    t.type = T.STRING;
    t.str = Uint8Array.from(out);
  }

  hex4(at: number): number {
    let v = 0;
    for (let i = 0; i < 4; i++) {
      const c = this.at(at + i);
      const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : (c | 0x20) >= 0x61 && (c | 0x20) <= 0x66 ? (c | 0x20) - 0x61 + 10 : -1;
      if (d < 0) return -1;
      v = (v << 4) | d;
    }
    return v;
  }

  /** json_append_unicode_escape: \uXXXX (a surrogate pair as one code point) as UTF-8 */
  unicodeEscape(out: number[]): boolean {
    let cp = this.hex4(this.pos + 2);
    let len = 6;
    if (cp < 0) return false;
    if ((cp & 0xf800) === 0xd800) {
      if ((cp & 0xfc00) !== 0xd800) return false; // a lone low surrogate
      if (this.at(this.pos + 6) !== 0x5c || this.at(this.pos + 7) !== 0x75) return false;
      const lo = this.hex4(this.pos + 8);
      if (lo < 0 || (lo & 0xfc00) !== 0xdc00) return false;
      cp = (((cp & 0x3ff) << 10) | (lo & 0x3ff)) + 0x10000;
      len = 12;
    }
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    this.pos += len;
    return true;
  }

  fail(expected: string, t: Token): never {
    const found = t.type === T.ERROR ? t.error! : TOKEN_NAMES[t.type]!;
    lauxlib.luaL_error(this.L, to_luastring(`Expected ${expected} but found ${found} at character ${t.index + 1}`));
    throw new Error('unreachable');
  }

  descend(n: number): void {
    this.depth++;
    if (this.depth <= this.cfg.decodeMaxDepth && lua.lua_checkstack(this.L, n)) return;
    lauxlib.luaL_error(this.L, to_luastring(`Found too many nested data structures (${this.depth}) at character ${this.pos}`));
  }

  object(): void {
    const L = this.L;
    this.descend(3);
    lua.lua_newtable(L);
    let t = this.next();
    if (t.type === T.OBJ_END) {
      this.depth--;
      return;
    }
    for (;;) {
      if (t.type !== T.STRING) this.fail('object key string', t);
      lua.lua_pushstring(L, t.str!);
      t = this.next();
      if (t.type !== T.COLON) this.fail('colon', t);
      t = this.next();
      this.value(t);
      lua.lua_rawset(L, -3);
      t = this.next();
      if (t.type === T.OBJ_END) {
        this.depth--;
        return;
      }
      if (t.type !== T.COMMA) this.fail('comma or object end', t);
      t = this.next();
    }
  }

  array(): void {
    const L = this.L;
    this.descend(2);
    lua.lua_newtable(L);
    let t = this.next();
    if (t.type === T.ARR_END) {
      this.depth--;
      return;
    }
    for (let i = 1; ; i++) {
      this.value(t);
      lua.lua_rawseti(L, -2, i);
      t = this.next();
      if (t.type === T.ARR_END) {
        this.depth--;
        return;
      }
      if (t.type !== T.COMMA) this.fail('comma or array end', t);
      t = this.next();
    }
  }

  value(t: Token): void {
    const L = this.L;
    switch (t.type) {
      case T.STRING:
        lua.lua_pushstring(L, t.str!);
        return;
      case T.NUMBER:
        lua.lua_pushnumber(L, t.num!);
        return;
      case T.BOOLEAN:
        lua.lua_pushboolean(L, t.bool!);
        return;
      case T.OBJ_BEGIN:
        this.object();
        return;
      case T.ARR_BEGIN:
        this.array();
        return;
      case T.NULL:
        lua.lua_pushlightuserdata(L, null);
        return;
      default:
        this.fail('value', t);
    }
  }
}

export function openCjson(L: LuaState): number {
  const cfg = defaults();
  const fns: Record<string, (L: LuaState) => number> = {
    encode: (l) => {
      lauxlib.luaL_argcheck(l, lua.lua_gettop(l) === 1, 1, to_luastring('expected 1 argument'));
      const out = new Out();
      appendData(l, cfg, 0, out);
      lua.lua_pushstring(l, Uint8Array.from(out.parts));
      return 1;
    },
    decode: (l) => {
      lauxlib.luaL_argcheck(l, lua.lua_gettop(l) === 1, 1, to_luastring('expected 1 argument'));
      const s: Uint8Array = lauxlib.luaL_checklstring(l, 1);
      if (s.length >= 2 && (s[0] === 0 || s[1] === 0)) lauxlib.luaL_error(l, to_luastring('JSON parser does not support UTF-16 or UTF-32'));
      const p = new Parser(l, s, cfg);
      const t = p.next();
      p.value(t);
      const end = p.next();
      if (end.type !== T.END) p.fail('the end', end);
      return 1;
    },
    encode_sparse_array: (l) => {
      if (!lua.lua_isnoneornil(l, 1)) cfg.sparseConvert = lua.lua_toboolean(l, 1);
      if (!lua.lua_isnoneornil(l, 2)) cfg.sparseRatio = intArg(l, 2, 0, 2147483647);
      if (!lua.lua_isnoneornil(l, 3)) cfg.sparseSafe = intArg(l, 3, 0, 2147483647);
      lua.lua_pushboolean(l, cfg.sparseConvert);
      lua.lua_pushnumber(l, cfg.sparseRatio);
      lua.lua_pushnumber(l, cfg.sparseSafe);
      return 3;
    },
    encode_max_depth: (l) => {
      if (!lua.lua_isnoneornil(l, 1)) cfg.encodeMaxDepth = intArg(l, 1, 1, 2147483647);
      lua.lua_pushnumber(l, cfg.encodeMaxDepth);
      return 1;
    },
    decode_max_depth: (l) => {
      if (!lua.lua_isnoneornil(l, 1)) cfg.decodeMaxDepth = intArg(l, 1, 1, 2147483647);
      lua.lua_pushnumber(l, cfg.decodeMaxDepth);
      return 1;
    },
    encode_number_precision: (l) => {
      if (!lua.lua_isnoneornil(l, 1)) cfg.precision = intArg(l, 1, 1, 14);
      lua.lua_pushnumber(l, cfg.precision);
      return 1;
    },
    encode_keep_buffer: (l) => {
      if (!lua.lua_isnoneornil(l, 1)) cfg.keepBuffer = lua.lua_toboolean(l, 1);
      lua.lua_pushboolean(l, cfg.keepBuffer);
      return 1;
    },
    encode_invalid_numbers: (l) => {
      if (!lua.lua_isnoneornil(l, 1)) {
        if (lua.lua_type(l, 1) === lua.LUA_TSTRING && lua.lua_tojsstring(l, 1) === 'null') cfg.encodeInvalidNumbers = 2;
        else cfg.encodeInvalidNumbers = lua.lua_toboolean(l, 1) ? 1 : 0;
      }
      if (cfg.encodeInvalidNumbers === 2) lua.lua_pushliteral(l, 'null');
      else lua.lua_pushboolean(l, cfg.encodeInvalidNumbers === 1);
      return 1;
    },
    decode_invalid_numbers: (l) => {
      if (!lua.lua_isnoneornil(l, 1)) cfg.decodeInvalidNumbers = lua.lua_toboolean(l, 1);
      lua.lua_pushboolean(l, cfg.decodeInvalidNumbers);
      return 1;
    },
  };
  lua.lua_newtable(L);
  for (const [name, f] of Object.entries(fns)) {
    lua.lua_pushcfunction(L, f);
    lua.lua_setfield(L, -2, to_luastring(name));
  }
  lua.lua_pushlightuserdata(L, null);
  lua.lua_setfield(L, -2, to_luastring('null'));
  lua.lua_pushliteral(L, 'cjson');
  lua.lua_setfield(L, -2, to_luastring('_NAME'));
  lua.lua_pushliteral(L, '2.1.0');
  lua.lua_setfield(L, -2, to_luastring('_VERSION'));
  return 1;
}

/** json_integer_option's range check */
function intArg(L: LuaState, i: number, min: number, max: number): number {
  const v = Math.trunc(lauxlib.luaL_checknumber(L, i));
  lauxlib.luaL_argcheck(L, v >= min && v <= max, i, to_luastring(`expected integer between ${min} and ${max}`));
  return v;
}
