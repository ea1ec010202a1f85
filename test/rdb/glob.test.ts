/**
 * Glob matching agrees with a real redis-server's KEYS on the same keys and patterns.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { globMatch, compileGlob } from '../../src/rdb/glob.js';
import { startRedis, type RedisHandle } from '../helpers/redis-server.js';

const KEYS = ['user:1', 'user:12', 'user:abc', 'User:1', 'session:x', 'a*b', 'a?b', 'a[b', 'abc', 'ab', 'a', '', 'x\\y', 'cache:page:/index', 'hello', 'hallo', 'hxllo', 'hllo', 'heeeello', 'k\xff\x00'];
const PATTERNS = ['*', 'user:*', 'user:?', 'user:[0-9]*', 'user:[^0-9]*', '[uU]ser:*', 'h?llo', 'h*llo', 'h[ae]llo', 'h[^e]llo', 'h[a-b]llo', 'a\\*b', 'a\\?b', 'a[\\[]b', '*:*:*', 'ab*', '*c', '?', '', 'x\\\\y', '[z-a]*', 'user:[1', '*\xff*'];

let redis: RedisHandle;
before(async () => {
  redis = await startRedis();
  for (const k of KEYS) await redis.command('SET', Buffer.from(k, 'latin1'), '1');
});
after(async () => {
  await redis?.stop();
});

test('globMatch equals redis-server KEYS for every pattern', async () => {
  for (const pat of PATTERNS) {
    const reply = (await redis.command('KEYS', Buffer.from(pat, 'latin1'))) as Buffer[];
    const theirs = reply.map((b) => b.toString('latin1')).sort();
    const p = Buffer.from(pat, 'latin1');
    const ours = KEYS.filter((k) => globMatch(p, Buffer.from(k, 'latin1'))).sort();
    assert.deepEqual(ours, theirs, `pattern ${JSON.stringify(pat)}`);
    const compiled = compileGlob(p);
    assert.deepEqual(KEYS.filter((k) => compiled(Buffer.from(k, 'latin1'))).sort(), theirs, `compiled ${JSON.stringify(pat)}`);
  }
});
