/**
 * The two Lua states of a Redis 7.0 server, in fengari: the EVAL state (scriptingInit, eval.c)
 * and the functions state (luaEngineInitEngine, function_lua.c), each with Redis's libraries and
 * `redis` API (luaRegisterRedisAPI, script_lua.c), its error handler and its protected globals.
 *
 * A VM knows no server: every redis.call goes to a ScriptHost, which runs the command and gives
 * back its RESP reply in the script's protocol. The VM is synchronous; src/scripting/worker.ts
 * runs it in a worker thread so that the server can answer BUSY and take SCRIPT KILL while a
 * script runs, as Redis does.
 */
import { lua, lauxlib, lualib, to_luastring, enableReadonlyTable, isReadonlyTable, setCurrentState, pcallk, type LuaState } from './lua.js';
import { pushRespReply, pushErrorTable, luaToReply, extractErrorInformation, ReplyBytes, concat } from './convert.js';
import { formatDouble17 } from './number-format.js';
import { chunkBytes } from './lua-memory.js';
import { sha1hex } from './sha1.js';
import { openBit } from './lib/bit.js';
import { openCjson } from './lib/cjson.js';
import { openCmsgpack } from './lib/cmsgpack.js';
import { openStruct } from './lib/struct.js';
import { strFormat } from './lib/strformat.js';

/** What a script's redis.* calls reach. */
export interface ScriptHost {
  /** Run argv as the script's client; its reply, RESP in protocol `resp`. */
  call(argv: Uint8Array[], resp: 2 | 3): Uint8Array;
  /** redis.log at a level (0 debug … 3 warning). */
  log(level: number, message: Uint8Array): void;
  /** redis.set_repl flags (REPL_NONE 0, AOF 1, REPLICA 2, ALL 3). */
  setRepl?(flags: number): void;
  /** redis.acl_check_cmd: may the caller run argv? (null: no such command) */
  aclCheck?(argv: Uint8Array[]): boolean | null;
  /** polled every 100,000 VM instructions: true stops the script (SCRIPT KILL / FUNCTION KILL) */
  shouldKill?(): boolean;
  /** polled with shouldKill: true suspends the run (past busy-reply-threshold), resumeRun goes on */
  shouldYield?(): boolean;
}

/** A finished run: the RESP reply for the caller. */
export interface RunResult {
  reply: Uint8Array;
  /** the reply is an error already counted in the error stats (ERR_REPLY_FLAG_NO_STATS_UPDATE) */
  ignoreErrorStats: boolean;
}

/** What one run needs besides the host. */
export interface RunRequest {
  keys: Uint8Array[];
  args: Uint8Array[];
  /** the caller's protocol */
  clientResp: 2 | 3;
  /** the name errors show after "script: " (the sha for EVAL, the function name for FCALL) */
  funcname: string;
}

/** Log levels: LL_DEBUG … LL_WARNING. */
export const LL_DEBUG = 0;
export const LL_WARNING = 3;

const PROPAGATE_AOF = 1;
const PROPAGATE_REPL = 2;

const REDIS_VERSION = '7.0.15';
const REDIS_VERSION_NUM = 0x0007000f;

const COUNT_HOOK_INSTRUCTIONS = 100000;

// The globals a script may see (script_lua.c's allow lists); anything else a library adds is dropped.
const ALLOWED_GLOBALS = new Set([
  'string', 'cjson', 'bit', 'cmsgpack', 'math', 'table', 'struct',
  'redis', '__redis__err__handler',
  'xpcall', 'tostring', 'getfenv', 'setmetatable', 'next', 'assert', 'tonumber', 'rawequal',
  'collectgarbage', 'getmetatable', 'rawset', 'pcall', 'coroutine', 'type', '_G', 'select',
  'unpack', 'gcinfo', 'pairs', 'rawget', 'loadstring', 'ipairs', '_VERSION', 'setfenv', 'load', 'error',
  'newproxy',
  'debug',
]);

/** Lua 5.1 as Redis ships it, over fengari's 5.3 (the parts scripts use). */
const LUA51_COMPAT = `
local table, math, string, select, load, type = table, math, string, select, load, type
unpack = table.unpack
table.getn = function(t) return #t end
table.maxn = function(t)
  local max = 0
  for k in pairs(t) do if type(k) == 'number' and k > max then max = k end end
  return max
end
math.mod = math.fmod
math.pow = function(x, y) return x ^ y end
math.log10 = function(x) return math.log(x, 10) end
math.ldexp = function(m, e) return m * 2.0 ^ e end
math.frexp = function(x)
  if x == 0 or x ~= x or x == math.huge or x == -math.huge then return x, 0 end
  local e = math.floor(math.log(math.abs(x), 2)) + 1
  local m = x / 2.0 ^ e
  if math.abs(m) >= 1 then m = m / 2; e = e + 1 elseif math.abs(m) < 0.5 then m = m * 2; e = e - 1 end
  return m, e
end
math.cosh = function(x) return (math.exp(x) + math.exp(-x)) / 2 end
math.sinh = function(x) return (math.exp(x) - math.exp(-x)) / 2 end
math.tanh = function(x) local a, b = math.exp(x), math.exp(-x) return (a - b) / (a + b) end
string.gfind = string.gmatch
loadstring = function(s, chunkname) return load(s, chunkname, 't') end
local realload = load
load = function(chunk, chunkname) return realload(chunk, chunkname, 't') end
gcinfo = function() return math.floor(collectgarbage('count')) end
getfenv = function() return _G end
setfenv = function() error('setfenv is not available in rdblens scripting (Lua 5.3 VM)') end
_VERSION = 'Lua 5.1'
`;

/** the EVAL state's global error handler (scriptingInit); runs report errors through errorToReply, which does its work */
const ERR_HANDLER_EVAL = `
local dbg = debug
debug = nil
function __redis__err__handler(err)
  local i = dbg.getinfo(2,'nSl')
  if i and (i.what == 'C' or i.what == 'J') then
    i = dbg.getinfo(3,'nSl')
  end
  if type(err) ~= 'table' then
    err = {err='ERR ' .. tostring(err)}
  end
  if i then
    err['source'] = i.source
    err['line'] = i.currentline
  end
  return err
end
`;

/** redisLrand48 / redisSrand48 (rand.c): the 48-bit LCG behind math.random, in every VM. */
class Lrand48 {
  private x = 0x1234abcd330en;
  next(): number {
    this.x = (0x5deece66dn * this.x + 0xbn) & 0xffffffffffffn;
    return Number(this.x >> 17n);
  }
  seed(v: number): void {
    this.x = ((BigInt(v | 0) & 0xffffffffn) << 16n) | 0x330en;
  }
}
const REDIS_LRAND48_MAX = 0x7fffffff;
const lrand48 = new Lrand48();

/** The state of one script run, kept while it runs (REGISTRY_RUN_CTX_NAME). */
interface RunContext {
  host: ScriptHost;
  resp: 2 | 3;
  killed: boolean;
  /** the coroutine the run executes in (anchored on the state's stack while it lasts) */
  co: LuaState;
  req: RunRequest;
  /** the count hook suspended the coroutine (a yield of the script's own is an error) */
  hookYielded: boolean;
}

/** An error raised to Lua from JavaScript: pushes the value already on the stack. */
function raise(L: LuaState): never {
  lua.lua_error(L);
  throw new Error('unreachable');
}

function luaPushError(L: LuaState, msg: string | Uint8Array): void {
  pushErrorTable(L, msg);
}

/** Base of both VMs: a state with Redis's libraries, API and protections. */
export abstract class RedisLuaState {
  readonly L: LuaState;
  protected run: RunContext | null = null;
  private inuse = false;

  constructor(functions: boolean) {
    const L = lauxlib.luaL_newstate();
    this.L = L;
    // a JavaScript exception in our own library code becomes a Lua error, never a crash
    lua.lua_atnativeerror(L, (l: LuaState) => {
      const e = lua.lua_touserdata(l, -1);
      lua.lua_pushstring(l, to_luastring(e instanceof Error ? e.message : String(e)));
      return 1;
    });
    this.loadLibraries();
    this.registerRedisApi(functions);
  }

  /** luaLoadLibraries: base, table, string, math, debug, cjson, struct, cmsgpack, bit (no os, io, package). */
  private loadLibraries(): void {
    const L = this.L;
    const open = (name: string, f: (L: LuaState) => number, global: boolean) => {
      lauxlib.luaL_requiref(L, to_luastring(name), f, global ? 1 : 0);
      lua.lua_pop(L, 1);
    };
    open('_G', lualib.luaopen_base, true);
    open('table', lualib.luaopen_table, true);
    open('string', lualib.luaopen_string, true);
    open('math', lualib.luaopen_math, true);
    open('debug', lualib.luaopen_debug, true);
    open('coroutine', lualib.luaopen_coroutine, true);
    open('cjson', openCjson, true);
    open('struct', openStruct, true);
    open('cmsgpack', openCmsgpack, true);
    open('bit', openBit, true);
    this.doString(LUA51_COMPAT, '@lua51_compat');
    // setmetatable on a read-only table (Redis's lua_setmetatable refuses it)
    lua.lua_getglobal(L, to_luastring('setmetatable'));
    lua.lua_pushcclosure(L, luaSetmetatable, 1);
    lua.lua_setglobal(L, to_luastring('setmetatable'));
    lua.lua_getglobal(L, to_luastring('string'));
    lua.lua_pushcfunction(L, strFormat);
    lua.lua_setfield(L, -2, to_luastring('format'));
    lua.lua_pop(L, 1);
    // the deny list and anything else not allowed: dofile, loadfile, print, require, utf8 …
    lua.lua_pushglobaltable(L);
    lua.lua_pushnil(L);
    const drop: Uint8Array[] = [];
    while (lua.lua_next(L, -2) !== 0) {
      lua.lua_pop(L, 1);
      if (lua.lua_type(L, -1) === lua.LUA_TSTRING) {
        const name = lua.lua_tojsstring(L, -1);
        if (!ALLOWED_GLOBALS.has(name)) drop.push(lua.lua_tostring(L, -1));
      }
    }
    for (const name of drop) {
      lua.lua_pushnil(L);
      lua.lua_setfield(L, -2, name);
    }
    lua.lua_pop(L, 1);
  }

  protected doString(code: string, name: string): void {
    const L = this.L;
    if (lauxlib.luaL_loadbuffer(L, to_luastring(code), null, to_luastring(name)) !== lua.LUA_OK || lua.lua_pcall(L, 0, 0, 0) !== lua.LUA_OK) {
      const msg = lua.lua_tojsstring(L, -1);
      lua.lua_pop(L, 1);
      throw new Error(`scripting: ${name}: ${msg}`);
    }
  }

  private fn(name: string, f: (L: LuaState) => number): void {
    lua.lua_pushliteral(this.L, name);
    lua.lua_pushcfunction(this.L, f);
    lua.lua_settable(this.L, -3);
  }

  private num(name: string, v: number): void {
    lua.lua_pushliteral(this.L, name);
    lua.lua_pushnumber(this.L, v);
    lua.lua_settable(this.L, -3);
  }

  /** luaRegisterLogFunction */
  protected registerLog(): void {
    this.fn('log', (L) => this.redisLog(L));
    this.num('LOG_DEBUG', 0);
    this.num('LOG_VERBOSE', 1);
    this.num('LOG_NOTICE', 2);
    this.num('LOG_WARNING', 3);
  }

  /** luaRegisterVersion */
  protected registerVersion(): void {
    this.num('REDIS_VERSION_NUM', REDIS_VERSION_NUM);
    lua.lua_pushliteral(this.L, 'REDIS_VERSION');
    lua.lua_pushliteral(this.L, REDIS_VERSION);
    lua.lua_settable(this.L, -3);
  }

  /** luaRegisterRedisAPI (+ the EVAL state's breakpoint/debug/replicate_commands) */
  private registerRedisApi(functions: boolean): void {
    const L = this.L;
    // pcall that gives back the err string of Redis's error tables (luaRedisPcall)
    lua.lua_pushcfunction(L, luaRedisPcall);
    lua.lua_setglobal(L, to_luastring('pcall'));
    lua.lua_pushcfunction(L, luaXpcall);
    lua.lua_setglobal(L, to_luastring('xpcall'));
    lua.lua_newtable(L);
    this.fn('call', (l) => this.genericCommand(l, true));
    this.fn('pcall', (l) => this.genericCommand(l, false));
    this.registerLog();
    this.registerVersion();
    this.fn('setresp', (l) => this.setResp(l));
    this.fn('sha1hex', luaRedisSha1hex);
    this.fn('error_reply', luaRedisErrorReply);
    this.fn('status_reply', luaRedisStatusReply);
    this.fn('set_repl', (l) => this.setRepl(l));
    this.num('REPL_NONE', 0);
    this.num('REPL_AOF', PROPAGATE_AOF);
    this.num('REPL_SLAVE', PROPAGATE_REPL);
    this.num('REPL_REPLICA', PROPAGATE_REPL);
    this.num('REPL_ALL', PROPAGATE_AOF | PROPAGATE_REPL);
    this.fn('acl_check_cmd', (l) => this.aclCheck(l));
    if (!functions) {
      // redis.breakpoint / redis.debug: only meaningful under the Lua debugger (not offered): false / no-op
      this.fn('breakpoint', (l) => {
        lua.lua_pushboolean(l, false);
        return 1;
      });
      this.fn('debug', () => 0);
      this.fn('replicate_commands', (l) => {
        lua.lua_pushboolean(l, true);
        return 1;
      });
    }
    lua.lua_setglobal(L, to_luastring('redis'));
    // math.random / math.randomseed: redis_math_random / redis_math_randomseed
    lua.lua_getglobal(L, to_luastring('math'));
    this.fn('random', (l) => this.mathRandom(l));
    this.fn('randomseed', (l) => this.mathRandomseed(l));
    lua.lua_pop(L, 1);
  }

  private requireRun(L: LuaState, what: string): RunContext {
    if (this.run === null) {
      luaPushError(L, `${what} can only be called inside a script invocation`);
      raise(L);
    }
    return this.run;
  }

  /** luaArgsToRedisArgv: strings as they are, numbers as "%.17g"; null (error pushed) otherwise */
  private argsToArgv(L: LuaState): Uint8Array[] | null {
    const argc = lua.lua_gettop(L);
    if (argc === 0) {
      luaPushError(L, 'Please specify at least one argument for this redis lib call');
      return null;
    }
    const argv: Uint8Array[] = [];
    for (let j = 1; j <= argc; j++) {
      const t = lua.lua_type(L, j);
      if (t === lua.LUA_TNUMBER) argv.push(to_luastring(formatDouble17(lua.lua_tonumber(L, j))));
      else if (t === lua.LUA_TSTRING) argv.push(lua.lua_tostring(L, j));
      else {
        lua.lua_pop(L, argc);
        luaPushError(L, 'Lua redis lib command arguments must be strings or integers');
        return null;
      }
    }
    lua.lua_pop(L, argc);
    return argv;
  }

  /** luaRedisGenericCommand: redis.call (raise) and redis.pcall */
  private genericCommand(L: LuaState, raiseError: boolean): number {
    const run = this.requireRun(L, 'redis.call/pcall');
    const argv = this.argsToArgv(L);
    if (argv === null) return raiseError ? raise(L) : 1;
    if (this.inuse) {
      luaPushError(L, 'luaRedisGenericCommand() recursive call detected. Are you doing funny stuff with Lua debug hooks?');
      return 1;
    }
    this.inuse = true;
    let reply: Uint8Array;
    try {
      reply = run.host.call(argv, run.resp);
    } finally {
      this.inuse = false;
    }
    pushRespReply(L, reply);
    if (raiseError && reply[0] === 0x2d) raise(L);
    // past busy-reply-threshold, a run whose Lua work is mostly redis.call suspends here too (the
    // count hook alone could be a second of calls away); the reply stays on the stack meanwhile
    if (!run.killed && L === run.co && lua.lua_isyieldable(L) && run.host.shouldYield?.() === true) {
      run.hookYielded = true;
      return lua.lua_yieldk(L, 0, 0, this.afterYieldedCall);
    }
    return 1;
  }

  /** redis.call's continuation once resumed: SCRIPT KILL asked meanwhile stops the run at once */
  private readonly afterYieldedCall = (L: LuaState): number => {
    this.killIfRequested(L);
    return 1;
  };

  private redisLog(L: LuaState): number {
    const argc = lua.lua_gettop(L);
    if (argc < 2) {
      luaPushError(L, 'redis.log() requires two arguments or more.');
      raise(L);
    }
    if (!lua.lua_isnumber(L, 1)) {
      luaPushError(L, 'First argument must be a number (log level).');
      raise(L);
    }
    const level = Math.trunc(lua.lua_tonumber(L, 1));
    if (level < 0 || level > 3) {
      luaPushError(L, 'Invalid debug level.');
      raise(L);
    }
    const parts: Uint8Array[] = [];
    for (let j = 2; j <= argc; j++) {
      if (lua.lua_isstring(L, j)) parts.push(lua.lua_tolstring(L, j));
    }
    const space = new Uint8Array([0x20]);
    const msg = parts.length === 0 ? new Uint8Array() : concat(...parts.flatMap((p, i) => (i === 0 ? [p] : [space, p])));
    (this.run?.host ?? this.loadHost)?.log(level, msg);
    return 0;
  }

  /** the host of a FUNCTION LOAD in progress (redis.log works there) */
  protected loadHost: ScriptHost | null = null;

  private setResp(L: LuaState): number {
    const run = this.requireRun(L, 'redis.setresp');
    if (lua.lua_gettop(L) !== 1) {
      luaPushError(L, 'redis.setresp() requires one argument.');
      raise(L);
    }
    const resp = Math.trunc(lua.lua_tonumber(L, 1));
    if (resp !== 2 && resp !== 3) {
      luaPushError(L, 'RESP version must be 2 or 3.');
      raise(L);
    }
    run.resp = resp as 2 | 3;
    return 0;
  }

  private setRepl(L: LuaState): number {
    const run = this.requireRun(L, 'redis.set_repl');
    if (lua.lua_gettop(L) !== 1) {
      luaPushError(L, 'redis.set_repl() requires two arguments.');
      raise(L);
    }
    const flags = Math.trunc(lua.lua_tonumber(L, -1));
    if ((flags & ~(PROPAGATE_AOF | PROPAGATE_REPL)) !== 0) {
      luaPushError(L, 'Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.');
      raise(L);
    }
    run.host.setRepl?.(flags);
    return 0;
  }

  private aclCheck(L: LuaState): number {
    const run = this.requireRun(L, 'redis.acl_check_cmd');
    const argv = this.argsToArgv(L);
    if (argv === null) raise(L);
    const ok = run.host.aclCheck ? run.host.aclCheck(argv) : true;
    if (ok === null) {
      luaPushError(L, 'Invalid command passed to redis.acl_check_cmd()');
      raise(L);
    }
    lua.lua_pushboolean(L, ok);
    return 1;
  }

  private mathRandom(L: LuaState): number {
    this.requireRunPlain(L, 'math.random');
    const r = (lrand48.next() % REDIS_LRAND48_MAX) / REDIS_LRAND48_MAX;
    switch (lua.lua_gettop(L)) {
      case 0:
        lua.lua_pushnumber(L, r);
        break;
      case 1: {
        const u = checkInt(L, 1);
        lauxlib.luaL_argcheck(L, 1 <= u, 1, to_luastring('interval is empty'));
        lua.lua_pushnumber(L, Math.floor(r * u) + 1);
        break;
      }
      case 2: {
        const l = checkInt(L, 1);
        const u = checkInt(L, 2);
        lauxlib.luaL_argcheck(L, l <= u, 2, to_luastring('interval is empty'));
        lua.lua_pushnumber(L, Math.floor(r * (u - l + 1)) + l);
        break;
      }
      default:
        return lauxlib.luaL_error(L, to_luastring('wrong number of arguments'));
    }
    return 1;
  }

  private mathRandomseed(L: LuaState): number {
    this.requireRunPlain(L, 'math.randomseed');
    lrand48.seed(checkInt(L, 1));
    return 0;
  }

  /** luaL_error (a string error) when not in a script, as redis_math_random does */
  private requireRunPlain(L: LuaState, what: string): void {
    if (this.run === null) lauxlib.luaL_error(L, to_luastring(`${what} can only be called inside a script invocation`));
  }

  /** luaSetErrorMetatable on the table at the top: reading a missing key raises. */
  protected setErrorMetatable(): void {
    const L = this.L;
    lua.lua_newtable(L);
    lua.lua_pushcfunction(L, luaProtectedTableError);
    lua.lua_setfield(L, -2, to_luastring('__index'));
    lua.lua_setmetatable(L, -2);
  }

  /** luaSetTableProtectionRecursively on the table at the top. */
  protected protectRecursively(): void {
    const L = this.L;
    if (isReadonlyTable(L, -1)) return;
    enableReadonlyTable(L, -1, true);
    lua.lua_checkstack(L, 2);
    lua.lua_pushnil(L);
    while (lua.lua_next(L, -2) !== 0) {
      if (lua.lua_istable(L, -1)) this.protectRecursively();
      lua.lua_pop(L, 1);
    }
    if (lua.lua_getmetatable(L, -1)) {
      this.protectRecursively();
      lua.lua_pop(L, 1);
    }
  }

  /**
   * luaCallFunction: the function to call is on top of the stack (for functions, the keys and
   * args tables go to it as arguments; for EVAL they are the KEYS and ARGV globals). The run is
   * a coroutine, so that the count hook can suspend it past busy-reply-threshold and the server
   * can answer others meanwhile (Redis's processEventsWhileBlocked): the result, or null while
   * it is suspended (resumeRun goes on).
   */
  protected startRun(req: RunRequest, host: ScriptHost, evalMode: boolean): RunResult | null {
    const L = this.L;
    const co = lua.lua_newthread(L);
    lua.lua_insert(L, -2);
    pushArray(L, req.keys);
    if (evalMode) this.setScriptGlobal('KEYS');
    pushArray(L, req.args);
    if (evalMode) this.setScriptGlobal('ARGV');
    const nargs = evalMode ? 0 : 2;
    lua.lua_xmove(L, co, 1 + nargs);
    this.run = { host, resp: 2, killed: false, co, req, hookYielded: false };
    if (host.shouldKill || host.shouldYield) lua.lua_sethook(co, this.hook, lua.LUA_MASKCOUNT, COUNT_HOOK_INSTRUCTIONS);
    return this.step(nargs);
  }

  /** Go on with a suspended run: the result, or null if it is suspended again. */
  resumeRun(): RunResult | null {
    if (this.run === null) throw new Error('scripting: no suspended run to resume');
    return this.step(0);
  }

  /** Is a run suspended in this state? */
  get suspended(): boolean {
    return this.run !== null;
  }

  /** the table at the top becomes global `name` (KEYS, ARGV), the globals staying read-only */
  private setScriptGlobal(name: string): void {
    const L = this.L;
    lua.lua_pushglobaltable(L);
    enableReadonlyTable(L, -1, false);
    lua.lua_pushvalue(L, -2);
    lua.lua_setfield(L, -2, to_luastring(name, true));
    enableReadonlyTable(L, -1, true);
    lua.lua_pop(L, 2);
  }

  private step(nargs: number): RunResult | null {
    const run = this.run!;
    const co = run.co;
    setCurrentState(co);
    let status: number;
    try {
      status = lua.lua_resume(co, this.L, nargs);
    } finally {
      setCurrentState(null);
    }
    if (status === lua.LUA_YIELD && run.hookYielded) {
      run.hookYielded = false;
      return null;
    }
    const out = new ReplyBytes();
    try {
      if (status === lua.LUA_OK) {
        if (lua.lua_gettop(co) === 0) lua.lua_pushnil(co);
        else lua.lua_settop(co, 1);
        luaToReply(co, out, run.resp, run.req.clientResp);
      } else if (status === lua.LUA_YIELD) {
        // coroutine.yield() in the script's own body: Lua 5.1 refuses it there
        out.ascii(`-ERR Error running script ${run.req.funcname}, attempt to yield from outside a coroutine\r\n`);
      } else {
        errorToReply(co, out, run.req.funcname);
      }
    } finally {
      lua.lua_sethook(co, null, 0, 0);
      this.run = null;
      lua.lua_pop(this.L, 1); // the coroutine
      this.gcStep();
    }
    return { reply: out.result(), ignoreErrorStats: out.ignoreErrorStats };
  }

  private gcCount = 0;
  /** LUA_GC_CYCLE_PERIOD: a GC step every 50 calls */
  private gcStep(): void {
    if (++this.gcCount === 50) {
      lua.lua_gc(this.L, lua.LUA_GCSTEP, 50);
      this.gcCount = 0;
    }
  }

  /**
   * luaMaskCountHook: SCRIPT KILL (once killed, every line raises so pcall cannot catch it for
   * good), and past busy-reply-threshold a yield back to the event loop (scriptInterrupt).
   */
  private countHook(L: LuaState): void {
    const run = this.run;
    if (run === null) return;
    this.killIfRequested(L);
    // only the run's own coroutine, and not under a JavaScript call that cannot yield (a sort comparator …)
    if (L === run.co && lua.lua_isyieldable(L) && run.host.shouldYield?.() === true) {
      run.hookYielded = true;
      lua.lua_yield(L, 0);
    }
  }

  private readonly hook = (L: LuaState): void => this.countHook(L);

  private killIfRequested(L: LuaState): void {
    const run = this.run;
    if (run === null || !(run.killed || run.host.shouldKill?.())) return;
    run.killed = true;
    lua.lua_sethook(L, this.hook, lua.LUA_MASKLINE, 0);
    luaPushError(L, 'Script killed by user with SCRIPT KILL...');
    raise(L);
  }

  /** lua_gc(LUA_GCCOUNT): the VM's own heap figure in bytes (fengari's estimate, not Redis's) */
  heapBytes(): number {
    return lua.lua_gc(this.L, lua.LUA_GCCOUNT, 0) * 1024 + lua.lua_gc(this.L, lua.LUA_GCCOUNTB, 0);
  }
}

/** Lua 5.1's lexer quotes every token in "near '...'", 5.3's leaves <eof> bare */
function lua51Message(msg: string): string {
  return msg.replace(/ near <eof>/g, " near '<eof>'");
}

function oneLine(b: Uint8Array): Uint8Array {
  // error replies are one line: Redis's addReplyErrorLength maps CR/LF to spaces
  if (b.indexOf(13) < 0 && b.indexOf(10) < 0) return b;
  const out = Uint8Array.from(b);
  for (let i = 0; i < out.length; i++) if (out[i] === 13 || out[i] === 10) out[i] = 0x20;
  return out;
}

function checkInt(L: LuaState, i: number): number {
  return Math.trunc(lauxlib.luaL_checknumber(L, i)) | 0;
}

function pushArray(L: LuaState, items: Uint8Array[]): void {
  lua.lua_createtable(L, items.length, 0);
  for (let j = 0; j < items.length; j++) {
    lua.lua_pushstring(L, items[j]!);
    lua.lua_rawseti(L, -2, j + 1);
  }
}

/** setmetatable, refusing a read-only table; the original is the closure's upvalue */
function luaSetmetatable(L: LuaState): number {
  if (lua.lua_istable(L, 1) && isReadonlyTable(L, 1)) {
    // raised from C in Redis's Lua (lua_setmetatable): no position in the message
    lua.lua_pushliteral(L, 'Attempt to modify a readonly table');
    lua.lua_error(L);
  }
  const n = lua.lua_gettop(L);
  lua.lua_pushvalue(L, lua.lua_upvalueindex(1));
  lua.lua_insert(L, 1);
  lua.lua_call(L, n, lua.LUA_MULTRET);
  return lua.lua_gettop(L);
}

/** luaProtectedTableError */
function luaProtectedTableError(L: LuaState): number {
  if (lua.lua_gettop(L) !== 2) return lauxlib.luaL_error(L, to_luastring('Wrong number of arguments to luaProtectedTableError'));
  if (!lua.lua_isstring(L, -1) && !lua.lua_isnumber(L, -1)) {
    return lauxlib.luaL_error(L, to_luastring('Second argument to luaProtectedTableError must be a string or number'));
  }
  const name: Uint8Array = lua.lua_tostring(L, -1);
  return lauxlib.luaL_error(L, concat(to_luastring("Script attempted to access nonexistent global variable '"), name, to_luastring("'")));
}

/**
 * luaRedisPcall: Lua's pcall, but a Redis error table comes back as its err string. Called with
 * a continuation (luaB_pcall's way), so the count hook can suspend a run inside it.
 */
function luaRedisPcall(L: LuaState): number {
  lauxlib.luaL_checkany(L, 1);
  lua.lua_pushboolean(L, true);
  lua.lua_insert(L, 1);
  const status = pcallk(L, lua.lua_gettop(L) - 2, lua.LUA_MULTRET, 0, 0, finishRedisPcall);
  return finishRedisPcall(L, status);
}

/** luaB_xpcall over pcallk (fengari's own loses the hooks after a caught error, see pcallk) */
function luaXpcall(L: LuaState): number {
  const n = lua.lua_gettop(L);
  lauxlib.luaL_checktype(L, 2, lua.LUA_TFUNCTION);
  lua.lua_pushboolean(L, true);
  lua.lua_pushvalue(L, 1);
  lua.lua_rotate(L, 3, 2);
  const status = pcallk(L, n - 2, lua.LUA_MULTRET, 2, 2, finishXpcall);
  return finishXpcall(L, status, 2);
}

/** luaB_pcall's finishpcall */
function finishXpcall(L: LuaState, status: number, extra: number): number {
  if (status !== lua.LUA_OK && status !== lua.LUA_YIELD) {
    lua.lua_pushboolean(L, false);
    lua.lua_pushvalue(L, -2);
    return 2;
  }
  return lua.lua_gettop(L) - extra;
}

function finishRedisPcall(L: LuaState, status: number): number {
  if (status === lua.LUA_OK || status === lua.LUA_YIELD) return lua.lua_gettop(L);
  if (lua.lua_istable(L, -1)) {
    lua.lua_getfield(L, -1, to_luastring('err', true));
    if (lua.lua_isstring(L, -1)) lua.lua_replace(L, -2);
    else lua.lua_pop(L, 1);
  }
  lua.lua_pushboolean(L, false);
  lua.lua_insert(L, -2);
  return 2;
}

/** fengari's lua_Debug.what of a C function: "C", or "J" for a JavaScript one */
function isNativeFrame(what: Uint8Array | null): boolean {
  return what !== null && what.length === 1 && (what[0] === 0x43 || what[0] === 0x4a);
}

const INFO_SL = to_luastring('Sl', true);

/**
 * A failed run's reply, from the error on top of its dead coroutine (whose frames Lua keeps):
 * what __redis__err__handler (the functions' error_handler alike) makes of it where it was
 * raised — a string becomes {err='ERR …'}, the source and line are those of the frame that
 * raised it, or of its caller when that is a C function (error, redis.call) — then the error
 * line luaCallFunction replies: "<err> script: <name>, on <source>:<line>."
 */
function errorToReply(co: LuaState, out: ReplyBytes, funcname: string): void {
  // a dead coroutine's stack ends at its error: room for what is pushed here
  lua.lua_checkstack(co, 4);
  const ar = new lua.lua_Debug();
  let found = lua.lua_getstack(co, 0, ar) === 1;
  if (found) {
    lua.lua_getinfo(co, INFO_SL, ar);
    if (isNativeFrame(ar.what)) {
      found = lua.lua_getstack(co, 1, ar) === 1;
      if (found) lua.lua_getinfo(co, INFO_SL, ar);
    }
  }
  let msg: Uint8Array;
  if (lua.lua_istable(co, -1)) {
    const info = extractErrorInformation(co);
    msg = info.msg ?? new Uint8Array();
    out.ignoreErrorStats = info.ignoreStats;
  } else {
    msg = concat(to_luastring('ERR ', true), lauxlib.luaL_tolstring(co, -1));
    lua.lua_pop(co, 1);
  }
  lua.lua_pop(co, 1);
  out.ascii('-');
  out.bytes(oneLine(msg));
  if (found) {
    out.ascii(` script: ${funcname}, on `);
    out.bytes(oneLine(ar.source ?? new Uint8Array()));
    out.ascii(`:${ar.currentline}.`);
  }
  out.ascii('\r\n');
}

function luaRedisSha1hex(L: LuaState): number {
  if (lua.lua_gettop(L) !== 1) {
    luaPushError(L, 'wrong number of arguments');
    raise(L);
  }
  const s: Uint8Array | null = lua.lua_tolstring(L, 1);
  lua.lua_pushliteral(L, sha1hex(s ?? new Uint8Array()));
  return 1;
}

function luaRedisErrorReply(L: LuaState): number {
  if (lua.lua_gettop(L) !== 1 || lua.lua_type(L, -1) !== lua.LUA_TSTRING) {
    luaPushError(L, 'wrong number or type of arguments');
    return 1;
  }
  const err: Uint8Array = lua.lua_tostring(L, -1);
  pushErrorTable(L, err[0] === 0x2d ? err : concat(new Uint8Array([0x2d]), err));
  return 1;
}

function luaRedisStatusReply(L: LuaState): number {
  if (lua.lua_gettop(L) !== 1 || lua.lua_type(L, -1) !== lua.LUA_TSTRING) {
    luaPushError(L, 'wrong number or type of arguments');
    return 1;
  }
  lua.lua_newtable(L);
  lua.lua_pushliteral(L, 'ok');
  lua.lua_pushvalue(L, -3);
  lua.lua_settable(L, -3);
  return 1;
}

/** The EVAL state: scripts compiled once per body, kept by sha in the registry as f_<sha>. */
export class EvalVm extends RedisLuaState {
  constructor() {
    super(false);
    this.doString(ERR_HANDLER_EVAL, '@err_handler_def');
    lua.lua_pushglobaltable(this.L);
    this.setErrorMetatable();
    this.protectRecursively();
    lua.lua_pop(this.L, 1);
  }

  /** Is the script with this sha compiled here? */
  has(sha: string): boolean {
    lua.lua_getfield(this.L, lua.LUA_REGISTRYINDEX, to_luastring(`f_${sha}`));
    const ok = lua.lua_isfunction(this.L, -1);
    lua.lua_pop(this.L, 1);
    return ok;
  }

  /**
   * luaCreateFunction: compile `code` (the body after any shebang line, its newline kept) as
   * "@user_script"; null on success, else Redis's error text.
   */
  compile(sha: string, code: Uint8Array): { error: string } | { bytes: number } {
    const L = this.L;
    if (lauxlib.luaL_loadbufferx(L, code, code.length, to_luastring('@user_script'), to_luastring('t')) !== lua.LUA_OK) {
      const msg = lua.lua_tojsstring(L, -1);
      lua.lua_pop(L, 1);
      return { error: `Error compiling script (new function): ${lua51Message(msg)}` };
    }
    const bytes = chunkBytes(lua.lua_topointer(L, -1), `f_${sha}`);
    lua.lua_setfield(L, lua.LUA_REGISTRYINDEX, to_luastring(`f_${sha}`));
    return { bytes };
  }

  /** Run a compiled script: the RESP reply (or error) for the caller. */
  runScript(sha: string, req: RunRequest, host: ScriptHost): RunResult | null {
    const L = this.L;
    lua.lua_getfield(L, lua.LUA_REGISTRYINDEX, to_luastring(`f_${sha}`));
    if (!lua.lua_isfunction(L, -1)) {
      lua.lua_pop(L, 1);
      return { reply: to_luastring('-NOSCRIPT No matching script. Please use EVAL.\r\n'), ignoreErrorStats: false };
    }
    return this.startRun(req, host, true);
  }
}

/** A function a library registered. */
export interface RegisteredFunction {
  name: string;
  description: string | null;
  /** script flags by name: no-writes, allow-oom, allow-stale, no-cluster, allow-cross-slot-keys */
  flags: string[];
  ref: number;
}

const FUNCTION_FLAGS = ['no-writes', 'allow-oom', 'allow-stale', 'no-cluster', 'allow-cross-slot-keys'];

/** The functions state: libraries run once at FUNCTION LOAD to register their functions. */
export class FunctionsVm extends RedisLuaState {
  private loading: { functions: RegisteredFunction[]; deadline: number; names: Set<string> } | null = null;

  constructor() {
    super(true);
    const L = this.L;
    // the globals a library sees while it loads: only a small `redis` (register_function, log, version)
    lua.lua_newtable(L);
    lua.lua_newtable(L);
    lua.lua_pushliteral(L, 'register_function');
    lua.lua_pushcfunction(L, (l: LuaState) => this.registerFunction(l));
    lua.lua_settable(L, -3);
    this.registerLog();
    this.registerVersion();
    this.setErrorMetatable();
    lua.lua_setfield(L, -2, to_luastring('redis'));
    this.setErrorMetatable();
    this.protectRecursively();
    lua.lua_setfield(L, lua.LUA_REGISTRYINDEX, to_luastring('__LIBRARY_API__'));
    // function_lua.c's error handler takes `debug` away from the globals (errorToReply does its work)
    this.doString('debug = nil', '@err_handler_def');
    lua.lua_pushglobaltable(L);
    this.setErrorMetatable();
    this.protectRecursively();
    lua.lua_pop(L, 1);
    lua.lua_pushglobaltable(L);
    lua.lua_setfield(L, lua.LUA_REGISTRYINDEX, to_luastring('__GLOBALS_API__'));
    // new, empty globals whose metatable reads through to the real ones
    lua.lua_newtable(L);
    lua.lua_newtable(L);
    lua.lua_pushglobaltable(L);
    lua.lua_setfield(L, -2, to_luastring('__index'));
    enableReadonlyTable(L, -1, true);
    lua.lua_setmetatable(L, -2);
    enableReadonlyTable(L, -1, true);
    lua.lua_rawseti(L, lua.LUA_REGISTRYINDEX, lua.LUA_RIDX_GLOBALS);
  }

  private setGlobalsIndex(registryName: string): void {
    const L = this.L;
    lua.lua_pushglobaltable(L);
    lua.lua_getmetatable(L, -1);
    enableReadonlyTable(L, -1, false);
    lua.lua_getfield(L, lua.LUA_REGISTRYINDEX, to_luastring(registryName));
    lua.lua_setfield(L, -2, to_luastring('__index'));
    enableReadonlyTable(L, -1, true);
    lua.lua_pop(L, 2);
  }

  /**
   * luaEngineCreate: run a library's code (the shebang line already checked by the caller) so it
   * registers its functions; the functions, or Redis's error text.
   */
  loadLibrary(code: Uint8Array, timeoutMs: number, host: ScriptHost | null): { functions: RegisteredFunction[]; bytes: number } | string {
    const L = this.L;
    this.setGlobalsIndex('__LIBRARY_API__');
    const state = { functions: [] as RegisteredFunction[], deadline: timeoutMs > 0 ? Date.now() + timeoutMs : Infinity, names: new Set<string>() };
    let result: { functions: RegisteredFunction[]; bytes: number } | string;
    try {
      if (lauxlib.luaL_loadbufferx(L, code, code.length, to_luastring('@user_function'), to_luastring('t')) !== lua.LUA_OK) {
        const msg = lua.lua_tojsstring(L, -1);
        lua.lua_pop(L, 1);
        return `Error compiling function: ${lua51Message(msg)}`;
      }
      const bytes = chunkBytes(lua.lua_topointer(L, -1), null);
      this.loading = state;
      this.loadHost = host;
      setCurrentState(L);
      lua.lua_sethook(L, (l: LuaState) => this.loadHook(l), lua.LUA_MASKCOUNT, COUNT_HOOK_INSTRUCTIONS);
      if (lua.lua_pcall(L, 0, 0, 0) !== lua.LUA_OK) {
        const info = extractErrorInformation(L);
        lua.lua_pop(L, 1);
        for (const f of state.functions) lauxlib.luaL_unref(L, lua.LUA_REGISTRYINDEX, f.ref);
        result = `Error registering functions: ${info.msg ? new TextDecoder('latin1').decode(info.msg) : ''}`;
      } else if (state.functions.length === 0) {
        result = 'No functions registered';
      } else {
        result = { functions: state.functions, bytes };
      }
    } finally {
      this.setGlobalsIndex('__GLOBALS_API__');
      lua.lua_sethook(L, null, 0, 0);
      this.loading = null;
      this.loadHost = null;
      setCurrentState(null);
    }
    return result;
  }

  /** luaEngineLoadHook: FUNCTION LOAD timeout */
  private loadHook(L: LuaState): void {
    if (this.loading !== null && Date.now() > this.loading.deadline) {
      lua.lua_sethook(L, (l: LuaState) => this.loadHook(l), lua.LUA_MASKLINE, 0);
      luaPushError(L, 'FUNCTION LOAD timeout');
      raise(L);
    }
  }

  /** Drop a library's functions (FUNCTION DELETE, a replaced library). */
  release(functions: RegisteredFunction[]): void {
    for (const f of functions) lauxlib.luaL_unref(this.L, lua.LUA_REGISTRYINDEX, f.ref);
  }

  /** luaRegisterFunction */
  private registerFunction(L: LuaState): number {
    const loading = this.loading;
    if (loading === null) {
      luaPushError(L, 'redis.register_function can only be called on FUNCTION LOAD command');
      raise(L);
    }
    const argc = lua.lua_gettop(L);
    if (argc < 1 || argc > 2) {
      luaPushError(L, 'wrong number of arguments to redis.register_function');
      raise(L);
    }
    let name: string | null = null;
    let desc: string | null = null;
    let ref = -1;
    const flags: string[] = [];
    const fail = (msg: string): never => {
      if (ref >= 0) lauxlib.luaL_unref(L, lua.LUA_REGISTRYINDEX, ref);
      luaPushError(L, msg);
      return raise(L);
    };
    if (argc === 1) {
      if (!lua.lua_istable(L, 1)) fail('calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).');
      lua.lua_pushnil(L);
      while (lua.lua_next(L, -2) !== 0) {
        if (!lua.lua_isstring(L, -2)) fail('named argument key given to redis.register_function is not a string');
        const key = lua.lua_tojsstring(L, -2).toLowerCase();
        if (key === 'function_name') {
          if (!lua.lua_isstring(L, -1)) fail('function_name argument given to redis.register_function must be a string');
          name = latin1(lua.lua_tolstring(L, -1));
        } else if (key === 'description') {
          if (!lua.lua_isstring(L, -1)) fail('description argument given to redis.register_function must be a string');
          desc = latin1(lua.lua_tolstring(L, -1));
        } else if (key === 'callback') {
          if (!lua.lua_isfunction(L, -1)) fail('callback argument given to redis.register_function must be a function');
          ref = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
          continue;
        } else if (key === 'flags') {
          if (!lua.lua_istable(L, -1)) fail('flags argument to redis.register_function must be a table representing function flags');
          for (let j = 1; ; j++) {
            lua.lua_pushnumber(L, j);
            lua.lua_gettable(L, -2);
            if (lua.lua_type(L, -1) === lua.LUA_TNIL) {
              lua.lua_pop(L, 1);
              break;
            }
            if (!lua.lua_isstring(L, -1)) fail('unknown flag given');
            const flag = lua.lua_tojsstring(L, -1).toLowerCase();
            lua.lua_pop(L, 1);
            if (!FUNCTION_FLAGS.includes(flag)) fail('unknown flag given');
            if (!flags.includes(flag)) flags.push(flag);
          }
        } else {
          fail('unknown argument given to redis.register_function');
        }
        lua.lua_pop(L, 1);
      }
      if (name === null) fail('redis.register_function must get a function name argument');
      if (ref < 0) fail('redis.register_function must get a callback argument');
    } else {
      if (!lua.lua_isstring(L, 1)) fail('first argument to redis.register_function must be a string');
      name = latin1(lua.lua_tolstring(L, 1));
      if (!lua.lua_isfunction(L, 2)) fail('second argument to redis.register_function must be a function');
      ref = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
    }
    // functionLibCreateFunction: name rules and uniqueness within the library
    const fname = name as string;
    if (!/^[A-Za-z0-9_]+$/.test(fname)) fail('Library names can only contain letters, numbers, or underscores(_) and must be at least one character long');
    if (loading.names.has(fname)) fail('Function already exists in the library');
    loading.names.add(fname);
    loading.functions.push({ name: fname, description: desc, flags, ref });
    return 0;
  }

  /** luaEngineCall: run a registered function with its keys and args tables. */
  callRegistered(fn: RegisteredFunction, req: RunRequest, host: ScriptHost): RunResult | null {
    lua.lua_rawgeti(this.L, lua.LUA_REGISTRYINDEX, fn.ref);
    return this.startRun(req, host, false);
  }
}

function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]!);
  return s;
}
