/**
 * Replies between Redis and Lua, as script_lua.c converts them (7.0.15):
 * - a command's RESP reply into a Lua value (redisProtocolToLuaType): integer → number, bulk →
 *   string, null bulk / null array → false, status → {ok=…}, error → {err=…}, array → table;
 *   RESP3 adds map → {map={…}}, set → {set={k=true}}, null → nil, bool → boolean,
 *   double → {double=n}, big number → {big_number=s}, verbatim → {verbatim_string={format,string}};
 *   attributes are skipped;
 * - a script's return value into RESP for the caller (luaReplyToRedisReply), in the script's
 *   protocol (redis.setresp) and the caller's.
 */
import { lua, to_luastring, type LuaState } from './lua.js';
import { formatDouble17 } from './number-format.js';

const CR = 13;
const LF = 10;

/** Push the Lua value of the RESP reply in `buf` (one whole reply); the offset after it. */
export function pushRespReply(L: LuaState, buf: Uint8Array, pos = 0): number {
  return parseInto(L, buf, pos, true);
}

function lineEnd(buf: Uint8Array, pos: number): number {
  let i = pos;
  while (i < buf.length && !(buf[i] === CR && buf[i + 1] === LF)) i++;
  if (i >= buf.length) throw new Error('scripting: truncated reply');
  return i;
}

function lineText(buf: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let i = from; i < to; i++) s += String.fromCharCode(buf[i]!);
  return s;
}

function checkStack(L: LuaState, n: number): void {
  if (!lua.lua_checkstack(L, n)) throw new Error('lua stack limit reach when parsing redis.call reply');
}

/** Parse one reply at `pos`; pushed onto L when `push` (attributes are parsed and dropped). */
function parseInto(L: LuaState, buf: Uint8Array, pos: number, push: boolean): number {
  const type = buf[pos]!;
  const end = lineEnd(buf, pos + 1);
  const next = end + 2;
  switch (type) {
    case 0x3a: {
      // ':' integer → number (lua_pushnumber of the long long)
      if (push) {
        checkStack(L, 1);
        lua.lua_pushnumber(L, Number(lineText(buf, pos + 1, end)));
      }
      return next;
    }
    case 0x24: {
      // '$' bulk
      const len = Number(lineText(buf, pos + 1, end));
      if (len < 0) {
        if (push) {
          checkStack(L, 1);
          lua.lua_pushboolean(L, false);
        }
        return next;
      }
      if (push) {
        checkStack(L, 1);
        lua.lua_pushstring(L, buf.subarray(next, next + len));
      }
      return next + len + 2;
    }
    case 0x2b: {
      // '+' status → {ok=…}
      if (push) {
        checkStack(L, 3);
        lua.lua_newtable(L);
        lua.lua_pushliteral(L, 'ok');
        lua.lua_pushstring(L, buf.subarray(pos + 1, end));
        lua.lua_settable(L, -3);
      }
      return next;
    }
    case 0x2d: {
      // '-' error → {err=…, ignore_error_stats_update=true}
      if (push) {
        checkStack(L, 3);
        pushErrorTable(L, buf.subarray(pos, end));
        lua.lua_pushliteral(L, 'ignore_error_stats_update');
        lua.lua_pushboolean(L, true);
        lua.lua_settable(L, -3);
      }
      return next;
    }
    case 0x2a: {
      // '*' array (or null array → false)
      const n = Number(lineText(buf, pos + 1, end));
      if (n < 0) {
        if (push) {
          checkStack(L, 1);
          lua.lua_pushboolean(L, false);
        }
        return next;
      }
      if (push) {
        checkStack(L, 3);
        lua.lua_newtable(L);
      }
      let p = next;
      for (let j = 0; j < n; j++) {
        if (push) lua.lua_pushnumber(L, j + 1);
        p = parseInto(L, buf, p, push);
        if (push) lua.lua_settable(L, -3);
      }
      return p;
    }
    case 0x25: {
      // '%' map → {map={k=v}}
      const n = Number(lineText(buf, pos + 1, end));
      if (push) {
        checkStack(L, 3);
        lua.lua_newtable(L);
        lua.lua_pushliteral(L, 'map');
        lua.lua_newtable(L);
      }
      let p = next;
      for (let j = 0; j < n; j++) {
        if (push) checkStack(L, 2);
        p = parseInto(L, buf, p, push);
        p = parseInto(L, buf, p, push);
        if (push) lua.lua_settable(L, -3);
      }
      if (push) lua.lua_settable(L, -3);
      return p;
    }
    case 0x7e: {
      // '~' set → {set={k=true}}
      const n = Number(lineText(buf, pos + 1, end));
      if (push) {
        checkStack(L, 3);
        lua.lua_newtable(L);
        lua.lua_pushliteral(L, 'set');
        lua.lua_newtable(L);
      }
      let p = next;
      for (let j = 0; j < n; j++) {
        if (push) checkStack(L, 2);
        p = parseInto(L, buf, p, push);
        if (push) {
          lua.lua_pushboolean(L, true);
          lua.lua_settable(L, -3);
        }
      }
      if (push) lua.lua_settable(L, -3);
      return p;
    }
    case 0x7c: {
      // '|' attribute: parsed and ignored, then the reply it decorates
      const n = Number(lineText(buf, pos + 1, end));
      let p = next;
      for (let j = 0; j < n; j++) {
        p = parseInto(L, buf, p, false);
        p = parseInto(L, buf, p, false);
      }
      return parseInto(L, buf, p, push);
    }
    case 0x5f: {
      // '_' null → nil
      if (push) {
        checkStack(L, 1);
        lua.lua_pushnil(L);
      }
      return next;
    }
    case 0x23: {
      // '#' bool
      if (push) {
        checkStack(L, 1);
        lua.lua_pushboolean(L, buf[pos + 1] === 0x74);
      }
      return next;
    }
    case 0x2c: {
      // ',' double → {double=n}
      if (push) {
        checkStack(L, 3);
        lua.lua_newtable(L);
        lua.lua_pushliteral(L, 'double');
        lua.lua_pushnumber(L, parseRespDouble(lineText(buf, pos + 1, end)));
        lua.lua_settable(L, -3);
      }
      return next;
    }
    case 0x28: {
      // '(' big number → {big_number=s}
      if (push) {
        checkStack(L, 3);
        lua.lua_newtable(L);
        lua.lua_pushliteral(L, 'big_number');
        lua.lua_pushstring(L, buf.subarray(pos + 1, end));
        lua.lua_settable(L, -3);
      }
      return next;
    }
    case 0x3d: {
      // '=' verbatim → {verbatim_string={string=…, format=…}}
      const len = Number(lineText(buf, pos + 1, end));
      if (push) {
        checkStack(L, 5);
        lua.lua_newtable(L);
        lua.lua_pushliteral(L, 'verbatim_string');
        lua.lua_newtable(L);
        lua.lua_pushliteral(L, 'string');
        lua.lua_pushstring(L, buf.subarray(next + 4, next + len));
        lua.lua_settable(L, -3);
        lua.lua_pushliteral(L, 'format');
        lua.lua_pushstring(L, buf.subarray(next, next + 3));
        lua.lua_settable(L, -3);
        lua.lua_settable(L, -3);
      }
      return next + len + 2;
    }
    default:
      throw new Error(`scripting: unexpected reply type byte ${type}`);
  }
}

function parseRespDouble(s: string): number {
  if (s === 'inf') return Infinity;
  if (s === '-inf') return -Infinity;
  if (s === 'nan' || s === '-nan') return NaN;
  return Number(s);
}

/**
 * Push {err="CODE msg"} for an error text: luaPushErrorBuff. "-CODE msg" keeps its code;
 * a text without the leading '-' gets "ERR"; trailing CR/LF are trimmed.
 */
export function pushErrorTable(L: LuaState, text: Uint8Array | string): void {
  const bytes = typeof text === 'string' ? to_luastring(text) : text;
  let code: Uint8Array;
  let msg: Uint8Array;
  if (bytes[0] === 0x2d) {
    const sp = bytes.indexOf(0x20);
    if (sp < 0) {
      msg = bytes.subarray(1);
      code = to_luastring('ERR', true);
    } else {
      code = bytes.subarray(1, sp);
      msg = bytes.subarray(sp + 1);
    }
  } else {
    msg = bytes;
    code = to_luastring('ERR', true);
  }
  // sdstrim(msg, "\r\n"): both ends
  let a = 0;
  let b = msg.length;
  while (a < b && (msg[a] === CR || msg[a] === LF)) a++;
  while (b > a && (msg[b - 1] === CR || msg[b - 1] === LF)) b--;
  msg = msg.subarray(a, b);
  const out = new Uint8Array(code.length + 1 + msg.length);
  out.set(code, 0);
  out[code.length] = 0x20;
  out.set(msg, code.length + 1);
  lua.lua_newtable(L);
  lua.lua_pushliteral(L, 'err');
  lua.lua_pushstring(L, out);
  lua.lua_settable(L, -3);
}

/** A growable byte writer for replies. */
export class ReplyBytes {
  private buf = new Uint8Array(256);
  private len = 0;
  /**
   * The reply is an error the error stats already counted (a failed redis.call's, passed on):
   * ERR_REPLY_FLAG_NO_STATS_UPDATE, from the error table's ignore_error_stats_update.
   */
  ignoreErrorStats = false;

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  ascii(s: string): void {
    this.reserve(s.length);
    for (let i = 0; i < s.length; i++) this.buf[this.len++] = s.charCodeAt(i) & 0xff;
  }

  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  /** Reserve a header to fill in later (deferred lengths); returns its index. */
  placeholder(): number {
    this.parts.push({ at: this.len, text: '' });
    return this.parts.length - 1;
  }

  fill(index: number, text: string): void {
    this.parts[index]!.text = text;
  }

  private parts: { at: number; text: string }[] = [];

  /** The whole reply, deferred headers spliced in. */
  result(): Uint8Array {
    if (this.parts.length === 0) return this.buf.slice(0, this.len);
    let extra = 0;
    for (const p of this.parts) extra += p.text.length;
    const out = new Uint8Array(this.len + extra);
    let src = 0;
    let dst = 0;
    for (const p of this.parts) {
      out.set(this.buf.subarray(src, p.at), dst);
      dst += p.at - src;
      src = p.at;
      for (let i = 0; i < p.text.length; i++) out[dst++] = p.text.charCodeAt(i);
    }
    out.set(this.buf.subarray(src, this.len), dst);
    return out;
  }
}

/** Strings with CR/LF mapped to spaces (sdsmapchars(s, "\r\n", "  ")). */
function mapCrLf(b: Uint8Array): Uint8Array {
  if (b.indexOf(CR) < 0 && b.indexOf(LF) < 0) return b;
  const out = Uint8Array.from(b);
  for (let i = 0; i < out.length; i++) if (out[i] === CR || out[i] === LF) out[i] = 0x20;
  return out;
}

/** (long long) of a Lua number, as C converts it (truncation; out of range: LLONG_MIN on x86-64). */
export function luaNumberToLongLong(x: number): string {
  if (!Number.isFinite(x) || x >= 9223372036854775808 || x < -9223372036854775808) return '-9223372036854775808';
  return BigInt(Math.trunc(x)).toString();
}

/** addReplyDouble: RESP3 ",<%.17g>"; RESP2 a bulk of the same text (inf/-inf/nan spelled so). */
function replyDouble(out: ReplyBytes, d: number, clientResp: 2 | 3): void {
  let text: string;
  if (Number.isNaN(d)) text = 'nan';
  else if (d === Infinity) text = 'inf';
  else if (d === -Infinity) text = '-inf';
  else text = formatDouble17(d);
  if (clientResp === 3) out.ascii(`,${text}\r\n`);
  else out.ascii(`$${text.length}\r\n${text}\r\n`);
}

/**
 * The Lua value on top of the stack as a reply to the caller; consumes it. luaReplyToRedisReply.
 * `scriptResp` is the script's protocol (redis.setresp), `clientResp` the caller's.
 */
export function luaToReply(L: LuaState, out: ReplyBytes, scriptResp: 2 | 3, clientResp: 2 | 3, depth = 0): void {
  // lua_checkstack(4) fails past Lua 5.1's C stack (LUAI_MAXCSTACK 8000 slots, about 4 a level):
  // a table that contains itself ends there, as on Redis, before JavaScript's own stack does
  if (depth > MAX_REPLY_DEPTH || !lua.lua_checkstack(L, 4)) {
    out.ascii('-ERR reached lua stack limit\r\n');
    lua.lua_pop(L, 1);
    return;
  }
  const t = lua.lua_type(L, -1);
  switch (t) {
    case lua.LUA_TSTRING: {
      const s: Uint8Array = lua.lua_tostring(L, -1);
      out.ascii(`$${s.length}\r\n`);
      out.bytes(s);
      out.ascii('\r\n');
      break;
    }
    case lua.LUA_TBOOLEAN: {
      const b = lua.lua_toboolean(L, -1);
      if (scriptResp === 2) out.ascii(b ? ':1\r\n' : clientResp === 3 ? '_\r\n' : '$-1\r\n');
      else if (clientResp === 2) out.ascii(b ? ':1\r\n' : ':0\r\n');
      else out.ascii(b ? '#t\r\n' : '#f\r\n');
      break;
    }
    case lua.LUA_TNUMBER:
      out.ascii(`:${luaNumberToLongLong(lua.lua_tonumber(L, -1))}\r\n`);
      break;
    case lua.LUA_TTABLE:
      tableToReply(L, out, scriptResp, clientResp, depth);
      return; // tableToReply pops the table
    default:
      out.ascii(clientResp === 3 ? '_\r\n' : '$-1\r\n');
  }
  lua.lua_pop(L, 1);
}

/** nesting levels a reply may have before "reached lua stack limit" (8000 slots / 4 a level) */
const MAX_REPLY_DEPTH = 1999;

/** Error information from an error table on top of the stack: luaExtractErrorInformation. */
export interface ErrorInfo {
  msg: Uint8Array | null;
  source: Uint8Array | null;
  line: Uint8Array | null;
  ignoreStats: boolean;
}

export function extractErrorInformation(L: LuaState): ErrorInfo {
  const info: ErrorInfo = { msg: null, source: null, line: null, ignoreStats: false };
  if (lua.lua_type(L, -1) === lua.LUA_TSTRING || lua.lua_type(L, -1) === lua.LUA_TNUMBER) {
    const s: Uint8Array = lua.lua_tostring(L, -1);
    info.msg = concat(to_luastring('ERR ', true), s);
    return info;
  }
  if (!lua.lua_istable(L, -1)) return info;
  lua.lua_getfield(L, -1, to_luastring('err', true));
  if (lua.lua_isstring(L, -1)) info.msg = lua.lua_tostring(L, -1);
  lua.lua_pop(L, 1);
  lua.lua_getfield(L, -1, to_luastring('source', true));
  if (lua.lua_isstring(L, -1)) info.source = lua.lua_tostring(L, -1);
  lua.lua_pop(L, 1);
  lua.lua_getfield(L, -1, to_luastring('line', true));
  if (lua.lua_isstring(L, -1)) info.line = lua.lua_tostring(L, -1);
  lua.lua_pop(L, 1);
  lua.lua_getfield(L, -1, to_luastring('ignore_error_stats_update', true));
  if (lua.lua_isboolean(L, -1)) info.ignoreStats = lua.lua_toboolean(L, -1);
  lua.lua_pop(L, 1);
  return info;
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function rawField(L: LuaState, name: string): number {
  lua.lua_pushliteral(L, name);
  lua.lua_rawget(L, -2);
  return lua.lua_type(L, -1);
}

function tableToReply(L: LuaState, out: ReplyBytes, scriptResp: 2 | 3, clientResp: 2 | 3, depth: number): void {
  // {err=…}
  if (rawField(L, 'err') === lua.LUA_TSTRING) {
    lua.lua_pop(L, 1);
    const info = extractErrorInformation(L);
    if (depth === 0) out.ignoreErrorStats = info.ignoreStats;
    out.ascii('-');
    out.bytes(mapCrLf(info.msg ?? new Uint8Array()));
    out.ascii('\r\n');
    lua.lua_pop(L, 1);
    return;
  }
  lua.lua_pop(L, 1);
  // {ok=…}
  if (rawField(L, 'ok') === lua.LUA_TSTRING) {
    out.ascii('+');
    out.bytes(mapCrLf(lua.lua_tostring(L, -1)));
    out.ascii('\r\n');
    lua.lua_pop(L, 2);
    return;
  }
  lua.lua_pop(L, 1);
  // {double=n}
  if (rawField(L, 'double') === lua.LUA_TNUMBER) {
    replyDouble(out, lua.lua_tonumber(L, -1), clientResp);
    lua.lua_pop(L, 2);
    return;
  }
  lua.lua_pop(L, 1);
  // {big_number=s}: RESP3 "(…"; RESP2 a bulk
  if (rawField(L, 'big_number') === lua.LUA_TSTRING) {
    const s = mapCrLf(lua.lua_tostring(L, -1));
    if (clientResp === 3) {
      out.ascii('(');
      out.bytes(s);
      out.ascii('\r\n');
    } else {
      out.ascii(`$${s.length}\r\n`);
      out.bytes(s);
      out.ascii('\r\n');
    }
    lua.lua_pop(L, 2);
    return;
  }
  lua.lua_pop(L, 1);
  // {verbatim_string={format=…, string=…}}
  if (rawField(L, 'verbatim_string') === lua.LUA_TTABLE) {
    if (rawField(L, 'format') === lua.LUA_TSTRING) {
      const format: Uint8Array = lua.lua_tostring(L, -1);
      lua.lua_pushliteral(L, 'string');
      lua.lua_rawget(L, -3);
      if (lua.lua_type(L, -1) === lua.LUA_TSTRING) {
        const s: Uint8Array = lua.lua_tostring(L, -1);
        if (clientResp === 3) {
          out.ascii(`=${s.length + 4}\r\n`);
          out.bytes(format.subarray(0, 3));
          out.ascii(':');
          out.bytes(s);
          out.ascii('\r\n');
        } else {
          out.ascii(`$${s.length}\r\n`);
          out.bytes(s);
          out.ascii('\r\n');
        }
        lua.lua_pop(L, 4);
        return;
      }
      lua.lua_pop(L, 1);
    }
    lua.lua_pop(L, 1);
  }
  lua.lua_pop(L, 1);
  // {map={…}}
  if (rawField(L, 'map') === lua.LUA_TTABLE) {
    const header = out.placeholder();
    let n = 0;
    lua.lua_pushnil(L);
    while (lua.lua_next(L, -2) !== 0) {
      lua.lua_pushvalue(L, -2);
      luaToReply(L, out, scriptResp, clientResp, depth + 1); // key
      luaToReply(L, out, scriptResp, clientResp, depth + 1); // value
      n++;
    }
    out.fill(header, clientResp === 3 ? `%${n}\r\n` : `*${n * 2}\r\n`);
    lua.lua_pop(L, 2);
    return;
  }
  lua.lua_pop(L, 1);
  // {set={k=true}}
  if (rawField(L, 'set') === lua.LUA_TTABLE) {
    const header = out.placeholder();
    let n = 0;
    lua.lua_pushnil(L);
    while (lua.lua_next(L, -2) !== 0) {
      lua.lua_pop(L, 1);
      lua.lua_pushvalue(L, -1);
      luaToReply(L, out, scriptResp, clientResp, depth + 1);
      n++;
    }
    out.fill(header, clientResp === 3 ? `~${n}\r\n` : `*${n}\r\n`);
    lua.lua_pop(L, 2);
    return;
  }
  lua.lua_pop(L, 1);
  // an array: elements 1, 2, … up to the first nil
  const header = out.placeholder();
  let n = 0;
  for (let j = 1; ; j++) {
    lua.lua_pushnumber(L, j);
    lua.lua_rawget(L, -2);
    if (lua.lua_type(L, -1) === lua.LUA_TNIL) {
      lua.lua_pop(L, 1);
      break;
    }
    luaToReply(L, out, scriptResp, clientResp, depth + 1);
    n++;
  }
  out.fill(header, `*${n}\r\n`);
  lua.lua_pop(L, 1);
}
