/**
 * LINSERT into the middle of a full quicklist node splits it (_quicklistSplitNode) and then
 * merges around it (_quicklistMergeNodes). 7.0's _quicklistNodeAllowMerge estimates the merged
 * size as a->sz + b->sz - 11, so two halves whose real merge (sz_a + sz_b - 7) is up to 4 bytes
 * over list-max-listpack-size's limit still merge into one listpack of a larger size class.
 * The sweep inserts elements of every length around that edge, at every split point of a node,
 * on a live redis-server 7.0.15 and on rdblens serve; MEMORY USAGE must be the same bytes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startRedis } from '../helpers/redis-server.js';
import { serve } from './helpers.js';

test('LINSERT split and merge of quicklist nodes: MEMORY USAGE equals redis-server 7.0.15', { timeout: 120_000 }, async () => {
  const redis = await startRedis();
  const ours = await serve([], { target: 'redis-7.0' });
  try {
    const mismatches: string[] = [];
    let merged = 0;
    // 9-byte elements take 10 listpack bytes: a node holds 818 of them (8187 bytes)
    const elems = Array.from({ length: 900 }, (_, i) => `e${String(i).padStart(8, '0')}`);
    for (const pivot of [100, 400, 700]) {
      for (let len = 1; len <= 24; len++) {
        const key = `l:${pivot}:${len}`;
        const cmds: string[][] = [['RPUSH', key, ...elems], ['LINSERT', key, 'AFTER', elems[pivot]!, 'x'.repeat(len)], ['LINSERT', key, 'BEFORE', elems[pivot + 50]!, 'y'.repeat(len)]];
        for (const c of cmds) {
          const [a, b] = await Promise.all([redis.command(...c), ours.command(...c)]);
          assert.deepEqual(b, a, c.slice(0, 4).join(' '));
          const [ma, mb] = await Promise.all([redis.command('MEMORY', 'USAGE', key, 'SAMPLES', '0'), ours.command('MEMORY', 'USAGE', key, 'SAMPLES', '0')]);
          if (ma !== mb) mismatches.push(`${c[0]} ${c[2] ?? ''} on ${key}: redis ${String(ma)} ours ${String(mb)}`);
          if (typeof ma === 'number' && ma > 12_000) merged++;
        }
      }
    }
    assert.deepEqual(mismatches, []);
    // the sweep reaches the case where the estimate lets an over-limit merge through
    assert.ok(merged > 0, 'no insert produced a merged node over the size limit');
  } finally {
    await ours.stop();
    await redis.stop();
  }
});
