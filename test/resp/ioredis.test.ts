/**
 * A real client library against rdblens serve: ioredis 6 (RESP3 by default: HELLO 3 on
 * connect, then its ready check with INFO), pipelines, RESP2, auth and read-only mode.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { Redis } from 'ioredis';
import { serve } from './helpers.js';

const DEMO = path.resolve('samples/demo.rdb');

test('ioredis over RESP3: reads from the dump, writes, maps and doubles', async () => {
  const s = await serve([DEMO], { target: 'redis-7.0' });
  const r = new Redis({ port: s.port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, protocol: 3, replyMapping: 'resp3' } as never);
  try {
    await r.connect();
    assert.equal(await r.ping(), 'PONG');
    const hello = (await r.call('HELLO', '3')) as Record<string, unknown>;
    assert.equal(hello.proto, 3);
    assert.ok((await r.dbsize()) > 5000);
    const user = (await r.call('HGETALL', 'user:100507')) as Record<string, string>;
    assert.equal(Object.keys(user).length, 388);
    await r.set('io:k', 'v', 'EX', 100);
    assert.equal(await r.get('io:k'), 'v');
    await r.zadd('io:z', 1.5, 'a', 2, 'b');
    assert.equal(await r.call('ZSCORE', 'io:z', 'a'), 1.5);
    const mem = await r.call('MEMORY', 'USAGE', 'io:z');
    assert.equal(typeof mem, 'number');
    const stats = (await r.call('MEMORY', 'STATS')) as Record<string, unknown>;
    assert.ok((stats['total.allocated'] as number) > 0);
  } finally {
    r.disconnect();
    await s.stop();
  }
});

test('ioredis pipelines (RESP2): 10 000 commands in one batch, replies in order', async () => {
  const s = await serve([], { target: 'redis-7.0' });
  const r = new Redis({ port: s.port, host: '127.0.0.1', lazyConnect: true, protocol: 2 } as never);
  try {
    await r.connect();
    const p = r.pipeline();
    for (let i = 0; i < 10_000; i++) p.rpush('io:list', String(i));
    p.llen('io:list');
    p.lrange('io:list', 0, 2);
    p.incr('io:list');
    const res = (await p.exec())!;
    assert.equal(res.length, 10_003);
    assert.deepEqual(res[9_999], [null, 10_000]);
    assert.deepEqual(res[10_000], [null, 10_000]);
    assert.deepEqual(res[10_001], [null, ['0', '1', '2']]);
    assert.match(String(res[10_002]![0]), /WRONGTYPE/);
    const hs: Record<string, string> = {};
    for (let i = 0; i < 600; i++) hs[`f${i}`] = String(i);
    await r.hset('io:h', hs);
    assert.equal(await r.call('OBJECT', 'ENCODING', 'io:h'), 'hashtable');
  } finally {
    r.disconnect();
    await s.stop();
  }
});

test('ioredis with a password, and read-only mode', async () => {
  const s = await serve([DEMO], { target: 'redis-7.0', requirepass: 's3cret', readOnly: true });
  const bad = new Redis({ port: s.port, host: '127.0.0.1', lazyConnect: true, password: 'nope', maxRetriesPerRequest: 0, retryStrategy: () => null } as never);
  const good = new Redis({ port: s.port, host: '127.0.0.1', lazyConnect: true, password: 's3cret' } as never);
  try {
    const errors: string[] = [];
    bad.on('error', (e: Error) => errors.push(e.message));
    await bad.connect().catch(() => {});
    assert.ok(errors.some((m) => /WRONGPASS/.test(m)), errors.join('; '));
    await good.connect();
    assert.ok((await good.dbsize()) > 0);
    await assert.rejects(good.set('k', 'v'), /READONLY You can't write against a read only replica\./);
    assert.equal(await good.call('TYPE', 'leaderboard:global'), 'zset');
  } finally {
    bad.disconnect();
    good.disconnect();
    await s.stop();
  }
  const raw = await serve([], { requirepass: 'pw' });
  try {
    assert.match(String(await raw.command('GET', 'x')), /NOAUTH Authentication required\./);
    assert.match(String(await raw.command('AUTH', 'wrong')), /WRONGPASS/);
    assert.equal(await raw.command('AUTH', 'pw'), 'OK');
    assert.equal(await raw.command('SET', 'x', '1'), 'OK');
  } finally {
    await raw.stop();
  }
});
