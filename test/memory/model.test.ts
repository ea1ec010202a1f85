/**
 * The building blocks of the memory model, each against the Redis rule it mirrors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mallocSize, mallocSizeQuantum8 } from '../../src/memory/jemalloc.js';
import { sdsHdrSize, sdsSize, hfieldSize } from '../../src/memory/sds.js';
import { featuresOf } from '../../src/memory/sizes.js';
import { profile, profileForRedisVersion, DEFAULT_CONFIG } from '../../src/memory/profiles.js';
import { parseConfigOverrides, ConfigError } from '../../src/memory/config.js';
import { Dict, dictNextPower, probUnfinished } from '../../src/memory/dict.js';
import { scoreEntry, printfG17Length, fpconvLength } from '../../src/memory/d2string.js';
import { expectedNodeSize, headerNodeSize } from '../../src/memory/skiplist.js';
import { pushAll } from '../../src/memory/quicklist.js';
import { ElementStats, INT_CLASS } from '../../src/rdb/facts.js';

test('jemalloc size classes: 16-byte quantum (system jemalloc) and 8-byte (Redis bundled)', () => {
  const q16 = [1, 8, 9, 16, 17, 24, 25, 40, 41, 64, 65, 129, 160, 161, 4097, 8193, 16385];
  assert.deepEqual(q16.map(mallocSize), [8, 8, 16, 16, 32, 32, 32, 48, 48, 64, 80, 160, 160, 192, 5120, 10240, 20480]);
  assert.deepEqual(q16.map(mallocSizeQuantum8), [8, 8, 16, 16, 24, 24, 32, 40, 48, 64, 80, 160, 160, 192, 5120, 10240, 20480]);
});

test('sds headers: type 5 below 32 bytes (never when empty), 7.2+ keeps smaller types when they fit', () => {
  assert.equal(sdsHdrSize(0, false), 3);
  assert.equal(sdsHdrSize(31, false), 1);
  assert.equal(sdsHdrSize(32, false), 3);
  assert.equal(sdsHdrSize(255, false), 3);
  assert.equal(sdsHdrSize(255, true), 5); // 3 + 255 + 1 > 2^8
  assert.equal(sdsHdrSize(252, true), 3);
  assert.equal(sdsHdrSize(65535, false), 5);
  assert.equal(sdsHdrSize(65535, true), 9);
  assert.equal(sdsHdrSize(70000, false), 9);
  // 5.0 counts sdsAllocSize, later versions the allocator's size
  assert.equal(sdsSize(10, featuresOf(profile('redis-5.0'))), 12);
  assert.equal(sdsSize(10, featuresOf(profile('redis-6.2'))), 16);
  assert.equal(sdsSize(20, featuresOf(profile('redis-6.2'))), 24);
  assert.equal(sdsSize(20, featuresOf(profile('redis-7.0'))), 32);
  // 7.4 hash fields: mstr, plus mstrFlags + ExpireMeta with a TTL
  const f74 = featuresOf(profile('redis-7.4'));
  assert.equal(hfieldSize(5, false, f74), 8);
  assert.equal(hfieldSize(5, true, f74), 32);
  assert.equal(hfieldSize(300, false, f74), mallocSizeQuantum8(3 + 300 + 1));
});

test('profiles: defaults, builds, and the profile for a dump header', () => {
  assert.equal(DEFAULT_CONFIG['hash-max-listpack-entries'], 512);
  assert.equal(profile('redis-7.0').build.jemallocQuantum, 16);
  assert.equal(profile('redis-7.2').build.jemallocQuantum, 8);
  assert.equal(profile('redis-7.0', {}, { jemallocQuantum: 8 }).build.jemallocQuantum, 8);
  const cases: [string, string | undefined, number | undefined, string][] = [
    ['5.0.14', undefined, 9, 'redis-5.0'],
    ['4.0.9', undefined, 8, 'redis-5.0'],
    ['6.0.5', undefined, 9, 'redis-6.2'],
    ['6.2.16', undefined, 9, 'redis-6.2'],
    ['7.0.15', undefined, 10, 'redis-7.0'],
    ['7.2.6', undefined, 11, 'redis-7.2'],
    ['7.4.1', undefined, 12, 'redis-7.4'],
    ['7.9.224', undefined, 12, 'redis-8.0'],
    ['8.2.0', undefined, 12, 'redis-8.0'],
    ['', '8.0.1', 11, 'valkey-8.0'],
    ['', '7.2.5', 11, 'redis-7.2'],
    ['', undefined, 6, 'redis-5.0'],
    ['', undefined, 11, 'redis-7.2'],
  ];
  for (const [r, v, rdb, want] of cases) assert.equal(profileForRedisVersion(r, v, rdb), want, `${r}/${v}/${rdb}`);
});

test('config overrides: redis.conf names, the old *-ziplist-* aliases, validation', () => {
  assert.deepEqual(parseConfigOverrides(['hash-max-listpack-entries=1024', 'zset-max-ziplist-value=128', 'list-max-ziplist-size=-3', 'cluster-enabled=yes']), {
    'hash-max-listpack-entries': 1024,
    'zset-max-listpack-value': 128,
    'list-max-listpack-size': -3,
    'cluster-enabled': true,
  });
  assert.throws(() => parseConfigOverrides(['maxmemory=1']), ConfigError);
  assert.throws(() => parseConfigOverrides(['hash-max-listpack-entries=many']), ConfigError);
  assert.throws(() => parseConfigOverrides(['set-max-intset-entries=-1']), ConfigError);
  assert.throws(() => parseConfigOverrides(['cluster-enabled=1']), ConfigError);
});

test('dict: power-of-two tables, growth on insert, pre-sizing, rehash in progress', () => {
  assert.deepEqual([0, 1, 4, 5, 8, 9, 1000, 2 ** 20 + 1].map(dictNextPower), [4, 4, 4, 8, 8, 16, 1024, 2 ** 21]);
  const f = featuresOf(profile('redis-7.0'));
  // pre-sized: no growth, no rehash
  const a = new Dict().reset(f);
  a.expand(1000);
  a.addMany(1000);
  assert.equal(a.expectedSlots(), 1024);
  // grown one insert at a time: 4, 8, 16, ... with the last rehash long finished
  const b = new Dict().reset(f);
  b.addMany(120);
  assert.ok(Math.abs(b.expectedSlots() - 128) < 1e-3);
  // 100 inserts: the 64 -> 128 rehash started at insert 65 needs ~40 steps, 35 were done
  const b2 = new Dict().reset(f);
  b2.addMany(100);
  assert.ok(b2.expectedSlots() > 128 + 32 && b2.expectedSlots() < 192);
  // a rehash that just started: both tables count (4 keys in 4 buckets, 0 steps)
  const c = new Dict().reset(f);
  c.addMany(5);
  assert.equal(c.expectedSlots(), 12);
  // occupancy: 4 keys in 4 buckets are in 1 or 2 buckets with probability 88/256
  assert.ok(Math.abs(probUnfinished(4, 4, 2) - (1 - 88 / 256)) < 1e-12);
  assert.equal(probUnfinished(16, 0, 1), 0);
  // 7.4+ never shrinks through dictExpand
  const d = new Dict().reset(featuresOf(profile('redis-7.4')));
  d.expand(100);
  assert.equal(d.expand(10), false);
  const e = new Dict().reset(f);
  e.expand(100);
  assert.equal(e.expand(10), true);
});

test('zset scores as listpack/ziplist entries: %.17g up to 7.0, integers and fpconv from 7.2', () => {
  const cases: [number, number, number][] = [
    // score, 7.0 text length (0: integer entry), 7.2 text length (0: integer entry)
    [1, 0, 0],
    [-5, 0, 0],
    [1.5, 3, 3],
    [0.1, 19, 3],
    [1 / 7, 19, 19],
    [1e-7, 22, 4],
    [1e300, 23, 6],
    [2 ** 52, 0, 0],
    [1e17, 5, 0],
    [-0, 2, 0],
    [Infinity, 3, 3],
    [-Infinity, 4, 4],
    [123456.789, 10, 10],
    [2.5e-5, 22, 8],
  ];
  for (const [score, old, fp] of cases) {
    const a = scoreEntry(score, false);
    assert.equal(a.cls === 0 ? a.len : 0, old, `7.0 ${score}`);
    const b = scoreEntry(score, true);
    assert.equal(b.cls === 0 ? b.len : 0, fp, `7.2 ${score}`);
  }
  // checked against C's printf("%.17g") (Python's '%.17g' % x) and fpconv's emit_digits
  assert.equal(printfG17Length(0.5), 3);
  assert.equal(printfG17Length(-1234.5), 7);
  assert.equal(fpconvLength(-2.5e-5), 9); // "-0.000025"
  assert.equal(fpconvLength(1.5e21), 7); // "1.5e+21": the exponent is past ndigits + 7
  assert.equal(fpconvLength(1.5e8), 9); // "150000000": plain integer layout
});

test('skiplist nodes: expected size over P=0.25 levels; the header has every level', () => {
  const f50 = featuresOf(profile('redis-5.0'));
  const f70 = featuresOf(profile('redis-7.0'));
  const f72 = featuresOf(profile('redis-7.2'));
  assert.equal(headerNodeSize(f50), mallocSizeQuantum8(24 + 16 * 64));
  assert.equal(headerNodeSize(f70), mallocSize(24 + 16 * 32));
  // level 1 (3/4 of nodes) is 40 bytes: 40 with an 8-byte quantum, 48 with 16
  assert.ok(expectedNodeSize(f72) > 40 && expectedNodeSize(f72) < 56);
  assert.ok(expectedNodeSize(f70) > expectedNodeSize(f72));
});

test('quicklist pushes: node boundaries at list-max-listpack-size, plain nodes for large elements on 7.4+', () => {
  const el = new ElementStats();
  for (let i = 0; i < 3; i++) el.add(8000, INT_CLASS.STRING);
  // 7.0: each 8000-byte element fits a node alone, the next does not fit beside it
  const q70 = pushAll(el, featuresOf(profile('redis-7.0')), -2);
  assert.equal(q70.nodes, 3);
  // many small elements: about 8 KB per node
  const small = new ElementStats();
  for (let i = 0; i < 2000; i++) small.add(10, INT_CLASS.STRING);
  const q = pushAll(small, featuresOf(profile('redis-7.2')), -2);
  assert.equal(q.nodes, Math.ceil(2000 / Math.floor((8192 - 7 - 8 + 2) / 12)));
  // 7.4: an element above the 8 KB node limit is a plain node
  const big = new ElementStats();
  big.add(9000, INT_CLASS.STRING);
  big.add(10, INT_CLASS.STRING);
  const q74 = pushAll(big, featuresOf(profile('redis-7.4')), -2);
  assert.equal(q74.nodes, 2);
  const q72 = pushAll(big, featuresOf(profile('redis-7.2')), -2);
  assert.equal(q72.nodes, 2);
});

test('memoryUsage: the breakdown adds up; module values are flagged unknown, never a silent 0', async () => {
  const { parseRdbFile } = await import('../../src/rdb/index.js');
  const { memoryUsage } = await import('../../src/memory/usage.js');
  const { corpusPath } = await import('../helpers/corpus.js');
  const { PROFILE_IDS } = await import('../../src/memory/profiles.js');
  let keys = 0;
  await parseRdbFile(corpusPath('generated/redis-7.0.15/mixed-large.rdb'), {
    onRecord: (r) => {
      if (r.kind !== 'key' || keys++ > 2000) return;
      for (const id of PROFILE_IDS) {
        const m = memoryUsage(r, profile(id));
        const b = m.breakdown;
        assert.equal(b.key + b.object + b.entryOverhead + b.payload, m.bytes);
        assert.ok(Number.isInteger(m.bytes) && m.bytes > 0);
        assert.equal(m.unknown, false);
      }
    },
  });
  const modules: boolean[] = [];
  await parseRdbFile(corpusPath('public/redis-rdb-tools/redis_40_with_module.rdb'), {
    onRecord: (r) => {
      if (r.kind !== 'key' || r.type !== 'module') return;
      const m = memoryUsage(r, profile('redis-5.0'));
      modules.push(m.unknown);
      assert.ok(m.bytes > 0, 'the known part (key, robj, entry) is still reported');
    },
  });
  assert.ok(modules.length > 0 && modules.every((u) => u));
});
