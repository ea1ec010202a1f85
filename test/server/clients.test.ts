/**
 * Real clients' transactions, pub/sub and blocking pops against rdblens serve: ioredis 6
 * multi().exec() and watch(), node-redis multi().exec() / WATCH abort / subscribe / blPop, and
 * redis-py's default pipeline() (a MULTI/EXEC transaction; Debian's python3-redis run by
 * /usr/bin/python3). Each checks values a real server gives for the same calls.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
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

test('ioredis: multi().exec() applies nothing before EXEC; a queueing error aborts; WATCH aborts', async () => {
  const r = new Redis({ port: ours.port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 1 });
  const o = new Redis({ port: ours.port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 1 });
  await r.connect();
  await o.connect();
  try {
    await r.del('io:t', 'io:n');
    const res = await r.multi().set('io:t', 'v').incr('io:n').incr('io:n').get('io:t').exec();
    assert.deepEqual(res, [[null, 'OK'], [null, 1], [null, 2], [null, 'v']]);
    // an error at run time stays in place
    const mixed = await r.multi().set('io:s', 'x').lpush('io:s', 'y').get('io:s').exec();
    assert.equal(mixed![0]![1], 'OK');
    assert.match(String(mixed![1]![0]), /WRONGTYPE/);
    assert.equal(mixed![2]![1], 'x');
    // a queueing error (wrong arity) discards the whole transaction
    await assert.rejects(r.multi().set('io:q', '1').call('GET').exec(), /EXECABORT/);
    assert.equal(await r.exists('io:q'), 0);
    // WATCH: another client's write makes EXEC answer null
    await r.watch('io:w');
    await o.set('io:w', 'changed');
    assert.equal(await r.multi().set('io:w', 'mine').exec(), null);
    assert.equal(await r.get('io:w'), 'changed');
  } finally {
    r.disconnect();
    o.disconnect();
  }
});

test('ioredis: subscribe / psubscribe messages, and a blocking BLPOP served by another client', async () => {
  const sub = new Redis({ port: ours.port, host: '127.0.0.1', lazyConnect: true });
  const pub = new Redis({ port: ours.port, host: '127.0.0.1', lazyConnect: true });
  await sub.connect();
  await pub.connect();
  try {
    const got: string[] = [];
    sub.on('message', (ch: string, m: string) => got.push(`${ch}:${m}`));
    sub.on('pmessage', (p: string, ch: string, m: string) => got.push(`${p}|${ch}:${m}`));
    assert.equal(await sub.subscribe('news'), 1);
    assert.equal(await sub.psubscribe('n*'), 2);
    assert.equal(await pub.publish('news', 'hello'), 2);
    for (let i = 0; i < 50 && got.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(got.sort(), ['n*|news:hello', 'news:hello']);
    const waiter = new Redis({ port: ours.port, host: '127.0.0.1', lazyConnect: true });
    await waiter.connect();
    const popped = waiter.blpop('io:queue', 5);
    await new Promise((r) => setTimeout(r, 50));
    await pub.rpush('io:queue', 'job1');
    assert.deepEqual(await popped, ['io:queue', 'job1']);
    waiter.disconnect();
  } finally {
    sub.disconnect();
    pub.disconnect();
  }
});

test('node-redis: multi().exec(), WATCH abort, subscribe, blPop', async () => {
  const url = `redis://127.0.0.1:${ours.port}`;
  const c = createClient({ url });
  const o = createClient({ url });
  await c.connect();
  await o.connect();
  try {
    await c.del(['nr:a', 'nr:n']);
    const res = await c.multi().set('nr:a', '1').incrBy('nr:n', 5).get('nr:a').exec();
    assert.deepEqual(res, ['OK', 5, '1']);
    await c.watch('nr:w');
    await o.set('nr:w', 'x');
    await assert.rejects(c.multi().set('nr:w', 'y').exec(), /WATCH|Watch|watch/);
    assert.equal(await c.get('nr:w'), 'x');
    const sub = c.duplicate();
    await sub.connect();
    const msgs: string[] = [];
    await sub.subscribe('nr:ch', (m: string) => msgs.push(m));
    assert.equal(await o.publish('nr:ch', 'hi'), 1);
    for (let i = 0; i < 50 && msgs.length < 1; i++) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(msgs, ['hi']);
    await sub.unsubscribe('nr:ch');
    await sub.quit();
    const pop = c.blPop('nr:q', 5);
    await new Promise((r) => setTimeout(r, 50));
    await o.lPush('nr:q', 'v');
    assert.deepEqual(await pop, { key: 'nr:q', element: 'v' });
  } finally {
    await c.quit();
    await o.quit();
  }
});

test("redis-py: the default pipeline() is a MULTI/EXEC transaction; WatchError on a touched key", async (t) => {
  const PYTHON = redisPy();
  if (!PYTHON) return t.skip('python3-redis is not installed');
  const script = `
import redis, sys
r = redis.Redis(host='127.0.0.1', port=int(sys.argv[1]))
r.delete('py:a', 'py:n')
p = r.pipeline()
p.set('py:a', 'v').incr('py:n').incr('py:n').get('py:a')
print(p.execute())
with r.pipeline() as p:
    p.watch('py:w')
    redis.Redis(host='127.0.0.1', port=int(sys.argv[1])).set('py:w', 'other')
    p.multi()
    p.set('py:w', 'mine')
    try:
        p.execute()
        print('no WatchError')
    except redis.WatchError:
        print('WatchError')
print(r.get('py:w'))
`;
  const { stdout } = await run(PYTHON, ['-c', script, String(ours.port)]);
  assert.equal(stdout, "[True, 1, 2, b'v']\nWatchError\nb'other'\n");
});
