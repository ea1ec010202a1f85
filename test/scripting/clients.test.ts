/**
 * Real clients' script features against rdblens serve: ioredis defineCommand (EVALSHA with the
 * NOSCRIPT fallback to EVAL) and redis-py's Lock (acquire, extend, release through its Lua
 * scripts: Debian's python3-redis, run by /usr/bin/python3).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { serve, type Served } from '../resp/helpers.js';
import { redisPy } from '../helpers/programs.js';

const run = promisify(execFile);
let ours: Served;

before(async () => {
  ours = await serve();
});

after(async () => {
  await ours?.stop();
});

test('ioredis defineCommand: EVALSHA, NOSCRIPT, then EVAL, and its replies', async () => {
  const r = new Redis({ port: ours.port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 1 });
  await r.connect();
  try {
    r.defineCommand('incrCap', {
      numberOfKeys: 1,
      lua: "local v = redis.call('incr', KEYS[1]) if v > tonumber(ARGV[1]) then redis.call('set', KEYS[1], ARGV[1]) return tonumber(ARGV[1]) end return v",
    });
    const incrCap = (r as unknown as { incrCap(k: string, cap: number): Promise<number> }).incrCap.bind(r);
    assert.equal(await incrCap('counter', 2), 1);
    assert.equal(await incrCap('counter', 2), 2);
    assert.equal(await incrCap('counter', 2), 2);
    assert.equal(await r.get('counter'), '2');
    // after SCRIPT FLUSH ioredis gets NOSCRIPT and falls back to EVAL
    await r.script('FLUSH');
    assert.equal(await incrCap('counter2', 5), 1);
    assert.deepEqual(await r.script('EXISTS', '0000000000000000000000000000000000000000'), [0]);
    r.defineCommand('echoAll', { numberOfKeys: 0, lua: 'return ARGV' });
    assert.deepEqual(await (r as unknown as { echoAll(...a: string[]): Promise<string[]> }).echoAll('a', 'b', 'c'), ['a', 'b', 'c']);
  } finally {
    r.disconnect();
  }
});

test("redis-py Lock: acquire, blocking contender, extend, release (its Lua scripts)", async (t) => {
  const PYTHON = redisPy();
  if (!PYTHON) return t.skip('python3-redis is not installed');
  const script = `
import redis, sys
r = redis.Redis(host='127.0.0.1', port=int(sys.argv[1]))
a = r.lock('resource', timeout=10)
b = r.lock('resource', timeout=10)
assert a.acquire(blocking=False)
assert not b.acquire(blocking=False)
assert a.owned()
assert a.extend(5)
ttl = r.pttl('resource')
assert 10000 < ttl <= 15000, ttl
a.release()
assert not a.owned()
assert b.acquire(blocking=True, blocking_timeout=1)
c = r.lock('resource', timeout=10)
c.local.token = b'not-the-owner'
try:
    c.release()
    print('released a lock it does not own')
    sys.exit(1)
except redis.exceptions.LockNotOwnedError:
    pass
assert not c.owned()
b.release()
assert r.exists('resource') == 0
print('ok')
`;
  const { stdout } = await run(PYTHON, ['-c', script, String(ours.port)]);
  assert.equal(stdout.trim(), 'ok');
});
