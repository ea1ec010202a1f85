/**
 * Function libraries beyond one server's life: a dump's libraries are loaded and listed by
 * `rdblens serve`, and a follower applies what a 7.0 primary propagates for scripts and
 * functions (FUNCTION LOAD/DELETE/FLUSH, and the effects of EVAL and FCALL) with no stale key.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startRedis, type RespReply } from '../helpers/redis-server.js';
import { serve } from '../resp/helpers.js';
import { follow, caughtUp, waitFor } from '../replica/helpers.js';

function norm(r: RespReply): unknown {
  if (r instanceof Error) return { error: r.message };
  if (Buffer.isBuffer(r)) return r.toString('latin1');
  if (Array.isArray(r)) return r.map(norm);
  return r;
}

/** FUNCTION LIST WITHCODE sorted by library name (Redis lists in its dict's order) */
function libs(r: RespReply): unknown {
  const list = norm(r) as unknown[][];
  return [...list].sort((a, b) => String(a[1]).localeCompare(String(b[1])));
}

function infoField(info: RespReply, name: string): string | undefined {
  return String(norm(info))
    .split('\r\n')
    .find((l) => l.startsWith(`${name}:`))
    ?.slice(name.length + 1);
}

const LIB_A = "#!lua name=liba\nredis.register_function('fa', function(keys, args) return redis.call('incrby', keys[1], args[1]) end)";
const LIB_B =
  "#!lua name=libb\nredis.register_function{function_name='fb', callback=function(keys) return redis.call('get', keys[1]) end, flags={'no-writes'}, description='reads a key'}";

test("a dump's function libraries are loaded, listed and callable", async () => {
  const redis = await startRedis();
  try {
    await redis.command('FUNCTION', 'LOAD', LIB_A);
    await redis.command('FUNCTION', 'LOAD', LIB_B);
    await redis.command('SET', 'k', '5');
    const dump = await redis.save();
    const ours = await serve([dump]);
    try {
      assert.deepEqual(libs(await ours.command('FUNCTION', 'LIST', 'WITHCODE')), libs(await redis.command('FUNCTION', 'LIST', 'WITHCODE')));
      assert.equal(norm(await ours.command('FCALL', 'fa', '1', 'k', '2')), 7);
      assert.equal(norm(await ours.command('FCALL_RO', 'fb', '1', 'k')), '7');
      const mine = await ours.command('INFO', 'memory');
      const theirs = await redis.command('INFO', 'memory');
      for (const f of ['number_of_functions', 'number_of_libraries', 'used_memory_functions']) {
        assert.equal(infoField(mine, f), infoField(theirs, f), f);
      }
    } finally {
      await ours.stop();
    }
  } finally {
    await redis.stop();
  }
});

test('a follower applies FUNCTION LOAD/DELETE and the effects of EVAL and FCALL, with no stale key', async () => {
  const primary = await startRedis();
  try {
    await primary.command('FUNCTION', 'LOAD', LIB_A);
    const f = await follow(primary.port);
    try {
      await waitFor('the first sync', () => f.follower.link.state === 'connected');
      await primary.command('FUNCTION', 'LOAD', LIB_B);
      await primary.command('FCALL', 'fa', '1', 'counter', '3');
      await primary.command('EVAL', "redis.call('set', KEYS[1], ARGV[1]) return redis.call('rpush', KEYS[2], ARGV[1])", '2', 'sk', 'lk', 'v');
      await primary.command('FUNCTION', 'DELETE', 'liba');
      await caughtUp(primary, f);
      assert.deepEqual(libs(await f.command('FUNCTION', 'LIST', 'WITHCODE')), libs(await primary.command('FUNCTION', 'LIST', 'WITHCODE')));
      assert.equal(norm(await f.command('GET', 'counter')), '3');
      assert.equal(norm(await f.command('GET', 'sk')), 'v');
      assert.deepEqual(norm(await f.command('LRANGE', 'lk', '0', '-1')), ['v']);
      assert.equal(norm(await f.command('FCALL_RO', 'fb', '1', 'sk')), 'v');
      const info = await f.command('INFO', 'replication');
      assert.equal(infoField(info, 'rdblens_unsupported_commands'), '0');
      assert.equal(infoField(info, 'rdblens_stale_keys'), '0');
    } finally {
      await f.stop();
    }
  } finally {
    await primary.stop();
  }
});
