/**
 * --largest: the bounded heap keeps exactly the N best by (bytes desc, file, key order), the
 * same set a full sort picks, ties included; merging per-file selections gives the global one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LargestKeys, mergeLargest, positionCompare, rankCompare, type Ranked } from '../../src/report/largest.js';
import { rng } from '../helpers/rng.js';

test('keeps the same set as a full sort, many ties', () => {
  const r = rng(5);
  for (let round = 0; round < 50; round++) {
    const files = 1 + Math.floor(r() * 4);
    const items: Ranked[] = [];
    for (let f = 0; f < files; f++) {
      const n = Math.floor(r() * 300);
      for (let i = 0; i < n; i++) items.push({ file: f, ordinal: i, bytes: r() < 0.05 ? -1 : Math.floor(r() * 20) });
    }
    const limit = 1 + Math.floor(r() * 60);
    const want = [...items].sort(rankCompare).slice(0, limit).sort(positionCompare);
    const all = new LargestKeys<Ranked>(limit);
    for (const it of items) all.add(it);
    assert.deepEqual(all.inPositionOrder(), want);
    // per file, then merged (what the workers and the main thread do)
    const perFile = Array.from({ length: files }, (_, f) => {
      const h = new LargestKeys<Ranked>(limit);
      for (const it of items) if (it.file === f) h.add(it);
      return h.inPositionOrder();
    });
    assert.deepEqual(mergeLargest(perFile, limit), want);
  }
});

test('wants() says no before an item is built', () => {
  const h = new LargestKeys<Ranked>(2);
  h.add({ file: 0, ordinal: 0, bytes: 10 });
  h.add({ file: 0, ordinal: 1, bytes: 5 });
  assert.equal(h.wants({ file: 0, ordinal: 2, bytes: 5 }), false, 'a later tie loses');
  assert.equal(h.wants({ file: 0, ordinal: 2, bytes: 6 }), true);
  assert.equal(new LargestKeys<Ranked>(0).wants({ file: 0, ordinal: 0, bytes: 1 }), false);
});
