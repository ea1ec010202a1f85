/**
 * The same seeded random command sequence goes to a private Debian redis-server 7.0.15 and to
 * rdblens serve (modelling redis-7.0 on that build); replies must be identical for data
 * commands, and MEMORY USAGE (SAMPLES 0) within 2% (skiplist zsets: within 4%, the spread of
 * zslRandomLevel). OBJECT ENCODING must match, so every encoding conversion is exercised.
 *
 * A hash table's incremental rehash ends after a number of steps that depends on how its keys
 * hashed, i.e. on redis-server's random hash seed; the model takes the expected count. While
 * one side is still rehashing and the other is not, they differ by exactly one table's buckets
 * (8 bytes each): such a difference is accepted when DEBUG HTSTATS-KEY shows a table of that
 * size (the old, current or target table).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startRedis, type RespReply } from '../helpers/redis-server.js';
import { serve } from './helpers.js';
import { memoryAgrees } from '../helpers/memory-agrees.js';
import { Rng, nextCommand } from './diff-gen.js';

function norm(cmd: string[], reply: RespReply, encoding: RespReply): unknown {
  const c = cmd[0]!;
  const unordered = (c === 'HGETALL' && encoding instanceof Buffer && encoding.toString() === 'hashtable') || c === 'SMEMBERS' || c === 'SPOP';
  const show = (x: RespReply): unknown =>
    x instanceof Error ? `ERR:${x.message}` : Buffer.isBuffer(x) ? x.toString('latin1') : Array.isArray(x) ? x.map(show) : x;
  let v = show(reply);
  if (unordered && Array.isArray(v)) {
    if (c === 'HGETALL') {
      const pairs: string[] = [];
      for (let i = 0; i < v.length; i += 2) pairs.push(`${v[i]}=${v[i + 1]}`);
      v = pairs.sort();
    } else v = [...v].sort();
  }
  if (c === 'TTL' || c === 'PTTL') {
    // both count down on their own clocks: compare the bucket
    if (typeof v === 'number' && v > 0) v = c === 'TTL' ? Math.round(v / 100) : Math.round(v / 100000);
  }
  return v;
}

const COUNT = Number(process.env.DIFF_COMMANDS ?? 4000);

test(`differential: ${COUNT} seeded commands, replies and MEMORY USAGE vs redis-server 7.0`, { timeout: 300_000 }, async () => {
  const redis = await startRedis({ args: ['--enable-debug-command', 'yes'] });
  const ours = await serve([], { target: 'redis-7.0' });
  try {
    const r = new Rng(Number(process.env.DIFF_SEED ?? 20240607));
    const ids = new Map<string, number>();
    let memChecks = 0;
    let maxDiff = 0;
    const failures: string[] = [];
    /** per command: how many ran, how many answered an error (coverage of the generator) */
    const tally = new Map<string, [number, number]>();
    const worst: [number, string][] = [];
    for (let i = 0; i < COUNT; i++) {
      const cmd = nextCommand(r, ids);
      const [a, b] = await Promise.all([redis.command(...cmd), ours.command(...cmd)]);
      const t = tally.get(cmd[0]!) ?? [0, 0];
      t[0]++;
      if (a instanceof Error) t[1]++;
      tally.set(cmd[0]!, t);
      if (cmd[0] === 'MEMORY') {
        if (a === null || b === null || a instanceof Error) {
          assert.deepEqual(b, a, `#${i} ${cmd.join(' ')}`);
          continue;
        }
        const enc = String(await redis.command('OBJECT', 'ENCODING', cmd[2]!));
        const d = Math.abs((b as number) - (a as number)) / (a as number);
        memChecks++;
        maxDiff = Math.max(maxDiff, d);
        if (process.env.DIFF_VERBOSE) worst.push([d, `#${i} ${cmd[2]} ${enc} redis ${String(a)} ours ${String(b)}`]);
        if (!(await memoryAgrees(redis, cmd[2]!, enc, a as number, b as number))) failures.push(`#${i} ${cmd.join(' ')} (${String(enc)}): redis ${a}, ours ${b}`);
        continue;
      }
      const enc = cmd[0] === 'HGETALL' ? await redis.command('OBJECT', 'ENCODING', cmd[1]!) : null;
      const want = norm(cmd, a, enc);
      const got = norm(cmd, b, enc);
      if (JSON.stringify(want) !== JSON.stringify(got)) {
        failures.push(`#${i} ${cmd.slice(0, 6).join(' ').slice(0, 120)}: redis ${JSON.stringify(want).slice(0, 300)} ours ${JSON.stringify(got).slice(0, 300)}`);
      }
      if (failures.length > 20) break;
    }
    // every key's final MEMORY USAGE
    const keys = ((await redis.command('KEYS', '*')) as Buffer[]).map((k) => k.toString());
    for (const k of keys) {
      const [a, b, enc] = await Promise.all([redis.command('MEMORY', 'USAGE', k, 'SAMPLES', '0'), ours.command('MEMORY', 'USAGE', k, 'SAMPLES', '0'), redis.command('OBJECT', 'ENCODING', k)]);
      const d = Math.abs((b as number) - (a as number)) / (a as number);
      maxDiff = Math.max(maxDiff, d);
      memChecks++;
      if (!(await memoryAgrees(redis, k, String(enc), a as number, b as number))) failures.push(`final ${k} (${String(enc)}): redis ${String(a)}, ours ${String(b)}`);
    }
    if (process.env.DIFF_VERBOSE) {
      console.log([...tally].sort().map(([k, [n, e]]) => `${k} ${n} (${e} errors)`).join('\n'));
      console.log(worst.sort((x, y) => y[0] - x[0]).slice(0, 15).map(([d, s]) => `${(d * 100).toFixed(2)}% ${s}`).join('\n'));
    }
    assert.ok(memChecks > COUNT / 40, `only ${memChecks} MEMORY USAGE checks`);
    assert.deepEqual(failures, [], `${failures.length} mismatches (max memory diff ${(maxDiff * 100).toFixed(2)}%)`);
  } finally {
    await ours.stop();
    await redis.stop();
  }
});
