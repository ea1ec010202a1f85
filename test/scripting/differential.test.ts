/**
 * EVAL, EVALSHA, SCRIPT, FUNCTION and FCALL against a live redis-server 7.0.15: every case runs
 * on both from an empty state and the replies must be equal (errors by their text), in RESP2 and
 * RESP3; then the scripting memory figures of INFO memory and MEMORY STATS after loading the
 * same scripts and libraries.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startRedis, type RedisHandle, type RespReply } from '../helpers/redis-server.js';
import { serve, type Served } from '../resp/helpers.js';

let redis: RedisHandle;
let ours: Served;

before(async () => {
  redis = await startRedis();
  ours = await serve();
});

after(async () => {
  await ours?.stop();
  await redis?.stop();
});

type Cmd = (string | Buffer)[];

function norm(r: RespReply): unknown {
  if (r instanceof Error) return { error: r.message };
  if (Buffer.isBuffer(r)) return r.toString('latin1');
  if (Array.isArray(r)) return r.map(norm);
  if (r !== null && typeof r === 'object' && 'resp3' in r) return { ...r, ...(r.items ? { items: r.items.map(norm) } : {}) };
  return r;
}

async function both(cmds: Cmd[]): Promise<{ theirs: unknown[]; mine: unknown[] }> {
  const theirs: unknown[] = [];
  const mine: unknown[] = [];
  for (const c of cmds) {
    theirs.push(norm(await redis.command(...c)));
    mine.push(norm(await ours.command(...c)));
  }
  return { theirs, mine };
}

/** FUNCTION LIST with libraries, and each library's functions, in name order */
function sortedList(r: unknown): unknown {
  if (!Array.isArray(r)) return r;
  const name = (x: unknown) => String((x as unknown[])[1]);
  return r
    .map((lib) => {
      const l = [...(lib as unknown[])];
      const at = l.indexOf('functions');
      if (at >= 0 && Array.isArray(l[at + 1])) l[at + 1] = [...(l[at + 1] as unknown[])].sort((a, b) => name(a).localeCompare(name(b)));
      return l;
    })
    .sort((a, b) => name(a).localeCompare(name(b)));
}

async function reset(): Promise<void> {
  for (const c of [['HELLO', '2'], ['FLUSHALL'], ['SCRIPT', 'FLUSH'], ['FUNCTION', 'FLUSH']]) {
    await redis.command(...c);
    await ours.command(...c);
  }
}

const E = (body: string, ...rest: string[]): Cmd => ['EVAL', body, ...(rest.length ? rest : ['0'])];

const CASES: Record<string, Cmd[]> = {
  'replies of every Lua type (RESP2)': [
    E('return 1'),
    E('return 3.99'),
    E('return -3.99'),
    E("return 'x'"),
    E('return true'),
    E('return false'),
    E('return nil'),
    E("return {1,2,3,'ciao',{1,2}}"),
    E("return {1,2,3,nil,4}"),
    E("return {err='My Error'}"),
    E("return {ok='fine'}"),
    E("return redis.error_reply('My Error')"),
    E("return redis.error_reply('-MYCODE x')"),
    E("return redis.status_reply('OK')"),
    E('return {double=3.14}'),
    E("return {map={a=1}}"),
    E("return {set={a=true}}"),
    E("return {big_number='123'}"),
    E("return {verbatim_string={format='txt', string='hi'}}"),
    E('return 2^53 + 0.5'),
    E('return 1e300 * 1e300'),
  ],
  'replies of every Lua type (RESP3 caller)': [
    ['HELLO', '3'],
    E('return true'),
    E('return false'),
    E('return nil'),
    E('return {double=3.14}'),
    E('return {double=1/0}'),
    E("return {map={a=1}}"),
    E("return {set={a=true}}"),
    E("return {big_number='123'}"),
    E("return {verbatim_string={format='txt', string='hi'}}"),
    E("redis.setresp(3) return redis.call('hgetall', 'nokey')"),
    E('redis.setresp(3) return true'),
    E('redis.setresp(3) return false'),
    ['HELLO', '2'],
  ],
  'redis.call replies into Lua': [
    ['SET', 'foo', 'bar'],
    ['RPUSH', 'l', 'a', 'b', 'c'],
    E("return redis.call('get', KEYS[1])", '1', 'foo'),
    E("return type(redis.call('get', 'nokey'))"),
    E("return redis.call('lrange', 'l', 0, -1)"),
    E("local t = redis.call('set', 'x', 'y') return t['ok']"),
    E("return redis.call('incr', 'counter') + 0.5"),
    E("return redis.pcall('incr', 'foo')"),
    E("local e = redis.pcall('incr', 'foo') return e['err']"),
    E("return redis.call('incr', 'foo')"),
    E("return redis.call('nosuchcommand')"),
    E("return redis.call('get')"),
    E('return redis.call()'),
    E("return redis.call('get', {})"),
    E("return redis.call('eval', 'return 1', 0)"),
    E("return redis.call('set', 'n', 3.5)"),
    E("return redis.call('get', 'n')"),
    E("redis.call('set', 'n', 10 / 3) return redis.call('get', 'n')"),
    E("redis.setresp(3) return redis.call('hgetall', 'nokey')"),
    E("return redis.setresp(4)"),
  ],
  'compile and runtime errors': [
    E('return +'),
    E('return nil + 1'),
    E("error('boom')"),
    E("error({err='CODE custom'})"),
    E('local function f() return 1 + f() end return f()'),
    E("return 'unterminated"),
    ['EVAL', 'return 1', '2', 'a'],
    ['EVAL', 'return 1', '-1'],
    ['EVAL', 'return 1', 'x'],
    ['EVALSHA', 'ffffffffffffffffffffffffffffffffffffffff', '0'],
    ['EVALSHA', 'short', '0'],
  ],
  'sandbox and globals': [
    E('a = 5'),
    E('return undefined_var'),
    E('print(1)'),
    E('return os'),
    E('return io'),
    E('return loadfile'),
    E('return dofile'),
    E("return type(require)"),
    E("redis.call = function() return 1 end"),
    E("string.len = function() return 1 end"),
    E('setmetatable(_G, {})'),
    E("return rawset(_G, 'x', 1)"),
    E('return _VERSION'),
    E("return type(cjson) .. type(cmsgpack) .. type(struct) .. type(bit)"),
    E("return type(debug)"),
    E('return KEYS[1] .. ARGV[1]', '1', 'k', 'v'),
    E('return #KEYS .. #ARGV', '2', 'a', 'b', 'c'),
  ],
  'Lua 5.1 dialect': [
    E("return tostring(10/2) .. ' ' .. tostring(3/2) .. ' ' .. tostring(2^53) .. ' ' .. tostring(1e15) .. ' ' .. tostring(0.1)"),
    E("return 7 .. ' ' .. 7.0 .. ' ' .. (2^63)"),
    E("return string.format('%d %5.2f %g %s %x %q', 3.7, 1.23456, 1e20, 'x', 255, 'a\\nb')"),
    E('return unpack({1, 2, 3})'),
    E('return table.getn({1, 2, 3})'),
    E("return loadstring('return 42')()"),
    E("return math.floor(3.7) .. ' ' .. math.max(1, 5, 3) .. ' ' .. math.fmod(7, 3)"),
    E("return string.rep('ab', 3) .. string.sub('hello', 2, 4) .. string.upper('x')"),
    E("local t = {} for w in string.gmatch('a b c', '%a') do t[#t+1] = w end return t"),
    E('return bit.band(0xff, 0x0f) .. bit.bor(1, 2) .. bit.bxor(3, 1) .. bit.lshift(1, 4)'),
    E("return bit.tohex(255) .. ' ' .. bit.tohex(-1, 4) .. ' ' .. bit.tobit(0xffffffff)"),
    E('return redis.sha1hex("")'),
    E("return redis.sha1hex('Pizza & Mandolino')"),
    E('return redis.REDIS_VERSION'),
    E('return redis.REDIS_VERSION_NUM'),
    E("return pcall(function() error('x') end)"),
    E("local ok, e = pcall(function() error({err='E x'}) end) return e"),
    E("local ok, e = pcall(redis.call, 'nosuch') return e"),
    E("return select('#', 1, 2, 3)"),
    E("return tonumber('0x10') + tonumber('  12  ')"),
  ],
  'cjson, cmsgpack, struct, bit': [
    E('return cjson.encode({1, 2, 3, "x", {a = 1}})'),
    E('return cjson.encode({})'),
    E('return cjson.encode({[1] = 1, [3] = 3})'),
    E('return cjson.encode({[1] = 1, [30] = 3})'),
    E(String.raw`return cjson.encode("a\"b\\c/d\n\1\127")`),
    E("return cjson.encode(0.1) .. cjson.encode(1e300) .. cjson.encode(-0.0) .. cjson.encode(123456789012345)"),
    E('return cjson.encode(1/0)'),
    E('return cjson.encode({[true] = 1})'),
    E('return cjson.encode(function() end)'),
    E('return cjson.encode(cjson.null)'),
    E("return table.concat(cjson.decode('[0.0, -5e3, -1, 0.3e-3, 1023.2, 0e10]'), ' ')"),
    E(String.raw`local t = cjson.decode('{"a": [1, true, false, null, "s\\u00e9\\ud83d\\ude00"]}') return {t.a[1], tostring(t.a[2]), tostring(t.a[3]), tostring(t.a[4] == cjson.null), t.a[5]}`),
    E("return cjson.decode('[1, 2')"),
    E(String.raw`return cjson.decode('{"a" 1}')`),
    E("return cjson.decode('[01]')"),
    E("return cjson.decode('[nan]')"),
    E(String.raw`return cjson.decode('"\\x"')`),
    E(String.raw`return cjson.decode('"abc')`),
    E("return cjson.decode('[1] x')"),
    E("return cjson.decode('')"),
    E("cjson.decode_max_depth(2) local ok, e = pcall(cjson.decode, '[[[1]]]') cjson.decode_max_depth(1000) return e"),
    E("cjson.encode_max_depth(2) local ok, e = pcall(cjson.encode, {{{1}}}) cjson.encode_max_depth(1000) return e"),
    E('local e = cmsgpack.pack(0.1) local h = "" for i = 1, #e do h = h .. string.format("%02x", string.byte(e, i)) end return h'),
    E('local e = cmsgpack.pack(-1099511627776, 1, -1, 200, -200, 70000, 2^40, 1.5, "x", true, false, nil) local h = "" for i = 1, #e do h = h .. string.format("%02x", string.byte(e, i)) end return h'),
    E('local e = cmsgpack.pack({1, 2, {3, "a"}}, {x = 1}) local h = "" for i = 1, #e do h = h .. string.format("%02x", string.byte(e, i)) end return h'),
    E('local s = string.rep("x", 40) local e = cmsgpack.pack(s, string.rep("y", 300)) return #e'),
    E('local a, b, c = cmsgpack.unpack(cmsgpack.pack(1, "two", {3})) return {a, b, c[1]}'),
    E('local off, v = cmsgpack.unpack_one(cmsgpack.pack(7, 8), 0) return {off, v}'),
    E('local off, v = cmsgpack.unpack_limit(cmsgpack.pack(7, 8), 1, 1) return {off, v}'),
    E(String.raw`return cmsgpack.unpack("\205")`),
    E(String.raw`return cmsgpack.unpack("\193")`),
    E('local a = {} a[1] = a local e = cmsgpack.pack(a) return #e'),
    E("return struct.pack('>HI2b', 258, 513, -1)"),
    E("return {struct.unpack('<Hi4', struct.pack('<Hi4', 65535, -2))}"),
    E("return struct.size('!4bi4d')"),
    E("return {struct.unpack('s', 'abc\\0rest')}"),
    E("return {struct.unpack('Bc0', struct.pack('Bc0', 3, 'xyz'))}"),
    E("return struct.pack('q', 1)"),
    E("return struct.unpack('i4', 'ab')"),
    E('return bit.rol(1, 33) .. " " .. bit.ror(1, 1) .. " " .. bit.arshift(-256, 4) .. " " .. bit.rshift(-256, 4) .. " " .. bit.bswap(0x12345678) .. " " .. bit.bnot(0)'),
  ],
  'shebang flags and read-only runs': [
    E("#!lua flags=no-writes\nreturn redis.call('set', 'a', 'b')"),
    E("#!lua flags=no-writes\nreturn redis.call('get', 'a')"),
    E('#!lua flags=allow-oom,no-cluster\nreturn 1'),
    E('#!lua flags=bad-flag\nreturn 1'),
    E('#!lua badopt=1\nreturn 1'),
    E('#!python\nreturn 1'),
    E('#!lua'),
    E('#!lua\nreturn 2'),
    ['EVAL_RO', "return redis.call('set', 'a', 'b')", '0'],
    ['EVAL_RO', "return redis.call('get', 'a')", '0'],
    ['EVAL_RO', '#!lua\nreturn 1', '0'],
    ['EVAL_RO', '#!lua flags=no-writes\nreturn 1', '0'],
  ],
  'SCRIPT subcommands': [
    ['SCRIPT', 'LOAD', 'return 1'],
    ['SCRIPT', 'LOAD', 'return +'],
    ['SCRIPT', 'EXISTS', 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db', 'ffffffffffffffffffffffffffffffffffffffff'],
    ['EVALSHA', 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db', '0'],
    ['EVALSHA', 'E0E1F9FABFC9D4800C877A703B823AC0578FF8DB', '0'],
    ['EVALSHA_RO', 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db', '0'],
    ['SCRIPT', 'FLUSH', 'BAD'],
    ['SCRIPT', 'FLUSH', 'ASYNC'],
    ['SCRIPT', 'EXISTS', 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db'],
    ['SCRIPT', 'KILL'],
    ['SCRIPT', 'HELP'],
    ['SCRIPT', 'NOSUCH'],
    ['SCRIPT', 'DEBUG', 'NO'],
    ['SCRIPT', 'DEBUG', 'MAYBE'],
  ],
  'FUNCTION and FCALL': [
    ['FUNCTION', 'LOAD', "#!lua name=lib1\nredis.register_function('f1', function(keys, args) return {keys[1], args[1]} end)"],
    ['FCALL', 'f1', '1', 'k', 'a'],
    ['FCALL', 'nosuch', '0'],
    ['FCALL', 'f1', 'x'],
    ['FCALL', 'f1', '5'],
    ['FUNCTION', 'LOAD', "#!lua name=lib1\nredis.register_function('f1', function() return 1 end)"],
    ['FUNCTION', 'LOAD', 'REPLACE', "#!lua name=lib1\nredis.register_function('f1', function() return 2 end)"],
    ['FCALL', 'f1', '0'],
    [
      'FUNCTION',
      'LOAD',
      "#!lua name=lib2\nredis.register_function{function_name='ro', callback=function(keys) return redis.call('get', keys[1]) end, flags={'no-writes'}, description='reads'}\nredis.register_function{function_name='w', callback=function(keys) return redis.call('set', keys[1], 'v') end}",
    ],
    ['FCALL_RO', 'ro', '1', 'k'],
    ['FCALL_RO', 'w', '1', 'k'],
    ['FCALL', 'w', '1', 'k'],
    ['FCALL_RO', 'ro', '1', 'k'],
    ['FUNCTION', 'LIST'],
    ['FUNCTION', 'LIST', 'LIBRARYNAME', 'lib2'],
    ['FUNCTION', 'LIST', 'WITHCODE', 'LIBRARYNAME', 'lib1'],
    ['FUNCTION', 'LIST', 'LIBRARYNAME'],
    ['FUNCTION', 'LIST', 'BOGUS'],
    ['FUNCTION', 'LOAD', "#!lua name=lib3\nredis.register_function('f1', function() return 3 end)"],
    ['FUNCTION', 'LOAD', "#!lua name=lib3\nreturn 1"],
    ['FUNCTION', 'LOAD', "#!lua name=lib3\nredis.call('ping')"],
    ['FUNCTION', 'LOAD', "#!lua name=lib3\nlocal x = string.len('a')"],
    ['FUNCTION', 'LOAD', "#!lua name=lib3\nredis.register_function('bad name', function() end)"],
    ['FUNCTION', 'LOAD', "#!lua name=lib3\nredis.register_function('f', function() end) redis.register_function('f', function() end)"],
    ['FUNCTION', 'LOAD', "#!lua name=lib3\nredis.register_function{function_name='f', callback=function() end, flags={'bogus'}}"],
    ['FUNCTION', 'LOAD', "#!lua name=lib3\nredis.register_function{callback=function() end}"],
    ['FUNCTION', 'LOAD', "#!lua name=lib3\nredis.register_function('f')"],
    ['FUNCTION', 'LOAD', "#!lua name=lib3\n+"],
    ['FUNCTION', 'LOAD', '#!lua\nredis.register_function("f", function() end)'],
    ['FUNCTION', 'LOAD', '#!js name=x\nfoo'],
    ['FUNCTION', 'LOAD', 'no shebang'],
    ['FUNCTION', 'LOAD', '#!lua name=bad-name\nx'],
    ['FUNCTION', 'LOAD', '#!lua name=a name=b\nx'],
    ['FUNCTION', 'LOAD', '#!lua name=x foo=bar\nx'],
    ['FUNCTION', 'LOAD', 'BADOPT', '#!lua name=x\nx'],
    ['FUNCTION', 'LOAD'],
    ['FUNCTION', 'DELETE', 'nosuch'],
    ['FUNCTION', 'DELETE', 'lib1'],
    ['FCALL', 'f1', '0'],
    ['FUNCTION', 'STATS'],
    ['FUNCTION', 'KILL'],
    ['FUNCTION', 'FLUSH', 'BAD'],
    ['FUNCTION', 'RESTORE', 'garbage'],
    ['FUNCTION', 'HELP'],
  ],
  'deny-oom over maxmemory, and the error stats of script errors': [
    ['CONFIG', 'RESETSTAT'],
    ['SET', 'x', '123'],
    ['CONFIG', 'SET', 'maxmemory', '1'],
    E("return redis.call('set','x','y')", '1', 'x'),
    E("local t = redis.pcall('set','x','y') return t['err']", '1', 'x'),
    E("return redis.pcall('set','x','y')", '1', 'x'),
    E("return redis.call('get','x')", '1', 'x'),
    E('#!lua flags=\nreturn 1'),
    E('#!lua flags=no-writes\nreturn redis.call("get","x")', '1', 'x'),
    E('#!lua flags=allow-oom\nreturn redis.call("set","x","1")', '1', 'x'),
    ['CONFIG', 'SET', 'maxmemory', '0'],
    E("return redis.error_reply('MY_ERR custom')"),
    E("return redis.call('select', 99)"),
    E("error('boom')"),
    E("return redis.call('nosuch')"),
    ['INFO', 'errorstats'],
  ],
};

for (const [name, cmds] of Object.entries(CASES)) {
  test(`scripting as redis-server 7.0.15: ${name}`, async () => {
    await reset();
    const { theirs, mine } = await both(cmds);
    for (let i = 0; i < cmds.length; i++) {
      // HELLO's reply has the connection's id; it only switches the protocol here
      if (String(cmds[i]![0]) === 'HELLO') continue;
      // FUNCTION LIST follows Redis's dict order (its hash seed is random): compare sorted by name
      if (String(cmds[i]![0]) === 'FUNCTION' && String(cmds[i]![1]) === 'LIST') {
        assert.deepStrictEqual(sortedList(mine[i]), sortedList(theirs[i]), `${JSON.stringify(cmds[i])}`);
        continue;
      }
      assert.deepStrictEqual(mine[i], theirs[i], `${JSON.stringify(cmds[i])}`);
    }
  });
}

test('FUNCTION DUMP of rdblens restores on redis-server, and the reverse', async () => {
  await reset();
  const lib = "#!lua name=dumped\nredis.register_function('d1', function(keys, args) return 'd1:' .. (args[1] or '') end)";
  await ours.command('FUNCTION', 'LOAD', lib);
  const ourDump = (await ours.command('FUNCTION', 'DUMP')) as Buffer;
  assert.equal(norm(await redis.command('FUNCTION', 'RESTORE', ourDump)), 'OK');
  assert.equal(norm(await redis.command('FCALL', 'd1', '0', 'x')), 'd1:x');
  // redis-server's payload (LZF-compressed past 20 bytes) into rdblens
  await redis.command('FUNCTION', 'LOAD', `#!lua name=big\n${"redis.register_function('b1', function() return 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' end)\n".repeat(1)}${'-- padding padding padding padding padding\n'.repeat(20)}`);
  const theirDump = (await redis.command('FUNCTION', 'DUMP')) as Buffer;
  await ours.command('FUNCTION', 'FLUSH');
  assert.equal(norm(await ours.command('FUNCTION', 'RESTORE', theirDump)), 'OK');
  assert.equal(norm(await ours.command('FCALL', 'b1', '0')), 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');
  assert.equal(norm(await ours.command('FCALL', 'd1', '0', 'y')), 'd1:y');
  // policies
  // APPEND onto existing libraries: both refuse (which library they name follows their dict order)
  const append = [norm(await ours.command('FUNCTION', 'RESTORE', theirDump)), norm(await redis.command('FUNCTION', 'RESTORE', theirDump))];
  for (const r of append) assert.match((r as { error: string }).error, /^ERR Library (big|dumped) already exists$/);
  assert.deepEqual(norm(await ours.command('FUNCTION', 'RESTORE', theirDump, 'REPLACE')), norm(await redis.command('FUNCTION', 'RESTORE', theirDump, 'REPLACE')));
  assert.deepEqual(norm(await ours.command('FUNCTION', 'RESTORE', theirDump, 'BOGUS')), norm(await redis.command('FUNCTION', 'RESTORE', theirDump, 'BOGUS')));
  const bad = Buffer.from(theirDump);
  bad[bad.length - 1] ^= 0xff;
  assert.deepEqual(norm(await ours.command('FUNCTION', 'RESTORE', bad)), norm(await redis.command('FUNCTION', 'RESTORE', bad)));
  assert.deepEqual(norm(await ours.command('FUNCTION', 'LIST')), norm(await redis.command('FUNCTION', 'LIST')));
});

function infoFields(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) m.set(line.slice(0, i), line.slice(i + 1));
  }
  return m;
}

test('scripting memory figures move as redis-server 7.0.15 does', async () => {
  await reset();
  // the Lua heaps keep the garbage of earlier cases until a GC cycle: compare what this case adds
  const before = {
    theirs: infoFields(String(norm(await redis.command('INFO', 'memory')))),
    mine: infoFields(String(norm(await ours.command('INFO', 'memory')))),
  };
  const scripts = [
    'return 1',
    "return 'a much longer script body than forty four bytes, so not an embstr'",
    "local a = redis.call('get', KEYS[1]) if a then return a else return redis.call('set', KEYS[1], ARGV[1]) end",
    ...Array.from({ length: 30 }, (_, i) => `return ${i} + redis.call('incr', 'c${i}')`),
  ];
  for (const s of scripts) {
    await redis.command('SCRIPT', 'LOAD', s);
    await ours.command('SCRIPT', 'LOAD', s);
  }
  const libs = [
    "#!lua name=m1\nredis.register_function('m1a', function() return 1 end)",
    "#!lua name=m2\nredis.register_function{function_name='m2a', callback=function() return 2 end, description='a described function'}\nredis.register_function('m2b', function(k, a) return redis.call('get', k[1]) end)",
  ];
  for (const l of libs) {
    await redis.command('FUNCTION', 'LOAD', l);
    await ours.command('FUNCTION', 'LOAD', l);
  }
  const theirs = infoFields(String(norm(await redis.command('INFO', 'memory'))));
  const mine = infoFields(String(norm(await ours.command('INFO', 'memory'))));
  for (const f of ['used_memory_scripts_eval', 'number_of_cached_scripts', 'used_memory_functions', 'used_memory_scripts', 'number_of_functions', 'number_of_libraries']) {
    assert.equal(mine.get(f), theirs.get(f), f);
  }
  // the Lua heaps are modelled (src/scripting/lua-memory.ts): within 15% of what the scripts added
  for (const f of ['used_memory_vm_eval', 'used_memory_vm_functions']) {
    const t = Number(theirs.get(f)) - Number(before.theirs.get(f));
    const m = Number(mine.get(f)) - Number(before.mine.get(f));
    assert.ok(t > 0, `${f} grew on redis-server`);
    assert.ok(Math.abs(m - t) <= Math.max(2048, t * 0.15), `${f}: rdblens +${m}, redis-server +${t}`);
  }
  const stats = async (s: { command(...a: string[]): Promise<RespReply> }) => {
    const r = norm(await s.command('MEMORY', 'STATS')) as unknown[];
    const m = new Map<string, unknown>();
    for (let i = 0; i < r.length; i += 2) m.set(String(r[i]), r[i + 1]);
    return m;
  };
  const ts = await stats(redis);
  const ms = await stats(ours);
  assert.equal(ms.get('lua.caches'), ts.get('lua.caches'));
  assert.equal(ms.get('functions.caches'), ts.get('functions.caches'));
  // SCRIPT FLUSH and FUNCTION FLUSH bring both back
  for (const c of [['SCRIPT', 'FLUSH'], ['FUNCTION', 'FLUSH']]) {
    await redis.command(...c);
    await ours.command(...c);
  }
  const t2 = infoFields(String(norm(await redis.command('INFO', 'memory'))));
  const m2 = infoFields(String(norm(await ours.command('INFO', 'memory'))));
  for (const f of ['used_memory_scripts_eval', 'number_of_cached_scripts', 'used_memory_functions', 'number_of_functions']) {
    assert.equal(m2.get(f), t2.get(f), `${f} after FLUSH`);
  }
});

test("MEMORY DOCTOR's many-scripts tip past 1000 cached scripts, as redis-server", async () => {
  await reset();
  const big = Buffer.alloc(6 << 20, 0x61);
  await redis.command('SET', 'big', big);
  await ours.command('SET', 'big', big);
  const doctor = async (s: { command(...a: string[]): Promise<RespReply> }) => String(norm(await s.command('MEMORY', 'DOCTOR')));
  assert.doesNotMatch(await doctor(ours), /Many scripts/);
  assert.doesNotMatch(await doctor(redis), /Many scripts/);
  for (let i = 0; i <= 1000; i++) {
    await redis.command('SCRIPT', 'LOAD', `return ${i}`);
    await ours.command('SCRIPT', 'LOAD', `return ${i}`);
  }
  const tip = (t: string) => t.split('\n\n').find((p) => p.includes('Many scripts'));
  const theirs = tip(await doctor(redis));
  assert.ok(theirs, 'redis-server reports many scripts');
  assert.equal(tip(await doctor(ours)), theirs);
  await redis.command('DEL', 'big');
  await ours.command('DEL', 'big');
});
