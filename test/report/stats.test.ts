/**
 * MEMORY STATS as redis-cli prints it: numbering, nested db.N arrays, doubles in %.17g; and the
 * JSON shape of the corpus ground truth's memory_stats.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatG17, memoryStatsJson, memoryStatsLines } from '../../src/report/stats.js';
import type { MemoryStats } from '../../src/memory/stats.js';

test('%.17g', () => {
  // values printf("%.17g") gives (glibc)
  assert.equal(formatG17(1), '1');
  assert.equal(formatG17(100), '100');
  assert.equal(formatG17(0.1), '0.10000000000000001');
  assert.equal(formatG17(91.64884820609552), '91.648848206095522');
  assert.equal(formatG17(1.5), '1.5');
  assert.equal(formatG17(1e21), '1e+21');
  assert.equal(formatG17(1.25e-7), '1.2499999999999999e-07');
  assert.equal(formatG17(0), '0');
});

const STATS: MemoryStats = {
  fields: [
    ['peak.allocated', 1000],
    ['db.0', [['overhead.hashtable.main', 72], ['overhead.hashtable.expires', 0]]],
    ['dataset.percentage', 12.5],
    ['fragmentation', 1],
    ['keys.count', 3],
  ],
  estimated: [],
  datasetByType: {},
};

test('redis-cli layout', () => {
  assert.deepEqual(memoryStatsLines(STATS), [
    ' 1) "peak.allocated"',
    ' 2) (integer) 1000',
    ' 3) "db.0"',
    ' 4) 1) "overhead.hashtable.main"',
    '    2) (integer) 72',
    '    3) "overhead.hashtable.expires"',
    '    4) (integer) 0',
    ' 5) "dataset.percentage"',
    ' 6) "12.5"',
    ' 7) "fragmentation"',
    ' 8) "1"',
    ' 9) "keys.count"',
    '10) (integer) 3',
  ]);
});

test('JSON: db.N nested, numbers as numbers', () => {
  assert.deepEqual(memoryStatsJson(STATS), {
    'peak.allocated': 1000,
    'db.0': { 'overhead.hashtable.main': 72, 'overhead.hashtable.expires': 0 },
    'dataset.percentage': 12.5,
    fragmentation: 1,
    'keys.count': 3,
  });
});
