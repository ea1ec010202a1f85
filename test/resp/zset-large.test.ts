/**
 * A large skiplist zset written in bulk (the order of its members is rebuilt lazily past 2048
 * members, see ZsetValue): ZRANGE, ZRANK and ZPOPMIN/ZPOPMAX after thousands of ZADD, score
 * updates and ZREM must equal redis-server's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startRedis } from '../helpers/redis-server.js';
import { serve } from './helpers.js';

test('large zset: order, ranks and pops equal redis-server after bulk writes', { timeout: 60_000 }, async () => {
  const redis = await startRedis();
  const ours = await serve();
  try {
    let seed = 12345;
    const rand = (): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
    const cmds: string[][] = [];
    for (let i = 0; i < 6000; i++) {
      const m = `m${Math.floor(rand() * 5000)}`;
      const r = rand();
      if (r < 0.7) cmds.push(['ZADD', 'z', String(Math.floor(rand() * 1000) / 10), m]);
      else if (r < 0.85) cmds.push(['ZINCRBY', 'z', '1.5', m]);
      else cmds.push(['ZREM', 'z', m]);
      if (i % 1000 === 999) cmds.push(['ZRANK', 'z', m], ['ZRANGE', 'z', '100', '110', 'WITHSCORES'], ['ZPOPMIN', 'z'], ['ZPOPMAX', 'z', '2']);
    }
    cmds.push(['ZRANGE', 'z', '0', '-1', 'WITHSCORES'], ['ZCARD', 'z'], ['ZRANK', 'z', 'm42'], ['ZRANGE', 'z', '(10', '50', 'BYSCORE']);
    const show = (x: unknown): unknown => (Buffer.isBuffer(x) ? x.toString('latin1') : Array.isArray(x) ? x.map(show) : x instanceof Error ? `ERR ${x.message}` : x);
    const a = await Promise.all(cmds.map((c) => redis.command(...c)));
    const b = await Promise.all(cmds.map((c) => ours.command(...c)));
    const diffs = cmds.map((c, i) => [c.join(' '), show(a[i]), show(b[i])] as const).filter(([, x, y]) => JSON.stringify(x) !== JSON.stringify(y));
    assert.deepEqual(diffs.slice(0, 5), []);
    const card = a[a.length - 3] as number;
    assert.ok(card > 2048, `${card} members: past the splice limit`);
  } finally {
    await ours.stop();
    await redis.stop();
  }
});
