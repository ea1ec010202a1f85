/**
 * MEMORY STATS estimates against the corpus: every (file, loader) pair with ground truth.
 * used_memory within 3%, the server's own field names in its order, db.N overheads exact
 * (except the two timing effects documented in docs/memory-stats.md), keys.count exact.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manifest, groundTruth, corpusPath } from '../helpers/corpus.js';
import { analyzeDump } from '../../src/memory/analyze.js';
import { memoryStats, estimateUsedMemory, statsField, loadedSlots } from '../../src/memory/stats.js';
import { keyHashSlot, crc16 } from '../../src/memory/cluster-slot.js';
import { profile, ProfileId } from '../../src/memory/profiles.js';
import { featuresOf } from '../../src/memory/sizes.js';

const LOADERS: Record<string, ProfileId> = {
  'redis-5.0.14': 'redis-5.0',
  'redis-6.2.16': 'redis-6.2',
  'redis-7.0.15': 'redis-7.0',
  'redis-7.2.6': 'redis-7.2',
  'redis-7.4.1': 'redis-7.4',
  'redis-8.0-m01': 'redis-8.0',
  'valkey-8.0.1': 'valkey-8.0',
};
const KVSTORE = new Set(['redis-7.4.1', 'redis-8.0-m01', 'valkey-8.0.1']);

interface Load {
  info_memory: Record<string, number>;
  memory_stats: Record<string, number | Record<string, number>>;
  dbsize: Record<string, { keys: number; expires: number }>;
}

function isPow2(n: number): boolean {
  return n >= 8 && (n & (n - 1)) === 0;
}

test('used_memory, field order and db.N overheads match every corpus load', async () => {
  const worst = new Map<string, { err: number; file: string }>();
  let pairs = 0;
  let dbFields = 0;
  let timing = 0;
  for (const f of manifest()) {
    if (f.kind === 'corrupt') continue;
    const gt = groundTruth(f) as unknown as Load & { loaded_by: string | null; other_loaders?: Record<string, Partial<Load>> };
    if (!gt.loaded_by) continue;
    const loads: [string, Load][] = [[gt.loaded_by, gt]];
    for (const [k, v] of Object.entries(gt.other_loaders ?? {})) if (v.info_memory) loads.push([k, v as Load]);
    for (const [loader, v] of loads) {
      pairs++;
      const a = await analyzeDump(corpusPath(f.rdb), { target: LOADERS[loader] });
      const where = `${f.rdb} on ${loader}`;
      const est = estimateUsedMemory(a);
      const real = v.info_memory.used_memory!;
      const err = (100 * (est - real)) / real;
      assert.ok(Math.abs(err) < 3, `${where}: used_memory ${est} vs ${real} (${err.toFixed(2)}%)`);
      const w = worst.get(loader);
      if (!w || Math.abs(err) > Math.abs(w.err)) worst.set(loader, { err, file: f.rdb });

      const st = memoryStats([a]);
      assert.deepEqual(
        st.fields.map(([n]) => n),
        Object.keys(v.memory_stats),
        `${where}: field names and order`,
      );
      assert.equal(statsField(st, 'keys.count'), v.memory_stats['keys.count'], `${where}: keys.count`);
      for (const [name, sub] of Object.entries(v.memory_stats)) {
        if (!name.startsWith('db.') || typeof sub !== 'object') continue;
        const db = v.dbsize[name.slice(3)]!;
        for (const [k, want] of Object.entries(sub)) {
          dbFields++;
          const got = statsField(st, `${name}.${k}`) as number;
          if (got === want) continue;
          // 7.4+/Valkey: a dict still rehashing when the stats were read (old table + its
          // rehashing list node), or a full table (used == size) doubled by the cron's
          // dictExpandIfNeeded after a later MEMORY USAGE pass
          const rehashing = v.memory_stats['overhead.db.hashtable.rehashing'] as number;
          const n = k.endsWith('main') ? db.keys : db.expires;
          const ok = KVSTORE.has(loader) && ((rehashing > 0 && want - got === rehashing + 24) || (isPow2(n) && want - got === n * 8));
          assert.ok(ok, `${where}: ${name}.${k} ${got} vs ${want}`);
          timing++;
        }
      }
      if (v.memory_stats['functions.caches'] !== undefined) {
        const fc = statsField(st, 'functions.caches') as number;
        assert.ok(Math.abs(fc - (v.memory_stats['functions.caches'] as number)) <= 64, `${where}: functions.caches ${fc}`);
      }
    }
  }
  assert.ok(pairs > 700, `${pairs} pairs`);
  assert.ok(timing <= 20, `${timing} db fields differ by timing`);
  assert.ok(dbFields > 1000);
  for (const [loader, w] of worst) console.log(`# worst used_memory error on ${loader}: ${w.err.toFixed(2)}% (${w.file})`);
});

test('the mixed-large dumps: used_memory within 1% on every loader', async () => {
  for (const f of manifest()) {
    if (!f.rdb.endsWith('mixed-large.rdb')) continue;
    const gt = groundTruth(f) as unknown as Load & { loaded_by: string; other_loaders: Record<string, Load> };
    for (const [loader, v] of [[gt.loaded_by, gt] as const, ...Object.entries(gt.other_loaders)]) {
      const a = await analyzeDump(corpusPath(f.rdb), { target: LOADERS[loader] });
      const est = estimateUsedMemory(a);
      const real = v.info_memory.used_memory!;
      assert.ok(Math.abs(est - real) / real < 0.01, `${f.rdb} on ${loader}: ${est} vs ${real}`);
      const st = memoryStats([a]);
      // dataset.bytes = total - overhead, and the by-type split adds up to it
      const sum = Object.values(st.datasetByType).reduce((s, x) => s + x, 0);
      assert.equal(sum, statsField(st, 'dataset.bytes'));
      assert.ok(st.datasetByType.stream! > 0 && st.datasetByType.hash! > 0);
    }
  }
});

test('estimated fields are listed; exact ones are not', async () => {
  const a = await analyzeDump(corpusPath('generated/redis-7.4.1/multi-db.rdb'), { target: 'redis-7.4' });
  const st = memoryStats([a]);
  for (const n of ['total.allocated', 'fragmentation', 'clients.normal', 'dataset.bytes', 'allocator.muzzy']) assert.ok(st.estimated.includes(n), n);
  for (const n of ['keys.count', 'db.0', 'overhead.db.hashtable.lut']) assert.ok(!st.estimated.includes(n), n);
  // two shards: sums, per db
  const two = memoryStats([a, a]);
  assert.equal(statsField(two, 'keys.count'), 2 * (statsField(st, 'keys.count') as number));
  assert.equal(statsField(two, 'db.0.overhead.hashtable.main'), 2 * (statsField(st, 'db.0.overhead.hashtable.main') as number));
  assert.equal(statsField(two, 'startup.allocated'), 2 * (statsField(st, 'startup.allocated') as number));
});

test('loadedSlots: RESIZEDB pre-sizing, growth and an empty hinted dict', () => {
  const f = featuresOf(profile('redis-7.0'));
  assert.equal(loadedSlots(11, 11, f), 16);
  assert.equal(loadedSlots(0, 0, f), 4); // dictExpand(0) still makes a 4-bucket table
  assert.equal(loadedSlots(0, null, f), 0);
  assert.equal(loadedSlots(6, 13, f), 16); // hint counted keys that expired before loading
  assert.equal(loadedSlots(50009, 50009, f), 65536);
  assert.equal(loadedSlots(100, 10, f), 128); // a hint below the real count: growth
});

test('cluster hash slots', () => {
  // values from CLUSTER KEYSLOT
  assert.equal(crc16(Buffer.from('123456789')), 0x31c3);
  assert.equal(keyHashSlot(Buffer.from('foo')), 12182);
  assert.equal(keyHashSlot(Buffer.from('{user1000}.following')), keyHashSlot(Buffer.from('user1000')));
  assert.equal(keyHashSlot(Buffer.from('foo{}{bar}')), keyHashSlot(Buffer.from('foo{}{bar}')));
  assert.equal(keyHashSlot(Buffer.from('{}x')), crc16(Buffer.from('{}x')) & 16383);
});
