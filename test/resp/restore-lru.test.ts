/**
 * RESTORE ... IDLETIME / FREQ set the restored key's lru field (objectSetLRUOrLFU) and TYPE,
 * EXISTS, TTL leave it (LOOKUP_NOTOUCH): OBJECT IDLETIME / FREQ as a live redis-server 7.0.15
 * answers, under an LRU and an LFU maxmemory-policy.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startRedis } from '../helpers/redis-server.js';
import { serve } from './helpers.js';

test('RESTORE IDLETIME / FREQ and the LOOKUP_NOTOUCH readers: OBJECT IDLETIME / FREQ as redis-server', async () => {
  const redis = await startRedis();
  const ours = await serve([], { target: 'redis-7.0' });
  try {
    const run = async (s: { command(...a: string[]): Promise<unknown> }): Promise<unknown[]> => {
      const out: unknown[] = [];
      await s.command('SET', 'foo', 'bar');
      const payload = (await s.command('DUMP', 'foo')) as Buffer;
      await s.command('DEL', 'foo');
      await s.command('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru');
      await (s.command as (...a: (string | Buffer)[]) => Promise<unknown>)('RESTORE', 'foo', '0', payload, 'IDLETIME', '1000');
      await s.command('TYPE', 'foo');
      await s.command('EXISTS', 'foo');
      await s.command('TTL', 'foo');
      const idle = (await s.command('OBJECT', 'IDLETIME', 'foo')) as number;
      out.push(idle >= 1000 && idle <= 1002);
      await s.command('GET', 'foo');
      out.push(await s.command('OBJECT', 'IDLETIME', 'foo'));
      await s.command('DEL', 'foo');
      await s.command('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu');
      await (s.command as (...a: (string | Buffer)[]) => Promise<unknown>)('RESTORE', 'foo', '0', payload, 'FREQ', '100');
      out.push(await s.command('OBJECT', 'FREQ', 'foo'));
      await s.command('CONFIG', 'SET', 'maxmemory-policy', 'noeviction');
      return out;
    };
    const want = await run(redis);
    assert.deepEqual(want, [true, 0, 100]);
    assert.deepEqual(await run(ours), want);
  } finally {
    await ours.stop();
    await redis.stop();
  }
});
