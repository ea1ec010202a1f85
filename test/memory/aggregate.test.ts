/**
 * Aggregates: totals, prefix tree (with its cap), TTL buckets, histograms and top-N, checked
 * against the ground truth's key list of a corpus dump (sizes from its MEMORY USAGE).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DumpAggregate, ttlBucket } from '../../src/memory/aggregate.js';
import { PrefixTree } from '../../src/memory/prefix-tree.js';
import { TopN } from '../../src/memory/top-n.js';
import type { ValueType } from '../../src/rdb/index.js';
import { manifest, groundTruth } from '../helpers/corpus.js';

const f = manifest().find((m) => m.rdb === 'generated/redis-7.0.15/mixed-large.rdb')!;
const keys = groundTruth(f).keys!;
const mem = (k: (typeof keys)[number]) => (Array.isArray(k.memory_usage) ? k.memory_usage[0]! : k.memory_usage!);

test('totals, by type and by db equal sums over the server-reported keys', () => {
  const now = Date.UTC(2027, 0, 1);
  const agg = new DumpAggregate({ now, topN: 10 });
  for (const k of keys) agg.add(k.db, Buffer.from(k.key_b64, 'base64'), k.type as ValueType, k.encoding, mem(k), k.length, k.pexpiretime);
  assert.equal(agg.total.keys, keys.length);
  assert.equal(agg.total.bytes, keys.reduce((s, k) => s + mem(k), 0));
  for (const t of ['string', 'hash', 'list', 'set', 'zset']) {
    const ks = keys.filter((k) => k.type === t);
    assert.equal(agg.byType.get(t as ValueType)?.keys ?? 0, ks.length, t);
    assert.equal(agg.byType.get(t as ValueType)?.bytes ?? 0, ks.reduce((s, k) => s + mem(k), 0), t);
  }
  const noTtl = keys.filter((k) => k.pexpiretime < 0);
  assert.equal(agg.ttl.get('none')!.keys, noTtl.length);
  assert.equal([...agg.ttl.values()].reduce((s, t) => s + t.keys, 0), keys.length);
  assert.equal(agg.sizeHistogram.reduce((s, t) => s + t.keys, 0), keys.length);
  // top-N is the real top 10 by MEMORY USAGE
  const top = [...keys].sort((a, b) => mem(b) - mem(a)).slice(0, 10).map(mem);
  assert.deepEqual(agg.topByMemory.sorted().map((x) => x.score), top);
  // prefixes: the first-level prefixes' keys sum to the keys that have a separator
  const withSep = keys.filter((k) => Buffer.from(k.key_b64, 'base64').includes(0x3a)).length;
  assert.equal([...agg.prefixes.root.children.values()].reduce((s, c) => s + c.keys, 0) + agg.prefixes.root.other.keys, withSep);
});

test('prefix tree: depth, separators, the node cap folds new children into "other"', () => {
  const t = new PrefixTree({ separators: ':/', depth: 2, maxNodes: 3 });
  t.add(Buffer.from('a:b:c'), 10, false);
  t.add(Buffer.from('a/x'), 5, true);
  t.add(Buffer.from('z:1'), 7, false); // the tree is full (root, a:, a:b:): counted in root.other
  const a = t.root.children.get('a:')!;
  assert.equal(a.keys, 1);
  assert.equal(a.children.get('b:')!.bytes, 10);
  assert.equal(t.root.children.get('a/'), undefined);
  assert.equal(t.root.other.keys, 2);
  assert.equal(t.root.other.bytesNoTtl, 7);
  assert.equal(t.root.keys, 3);
});

test('TTL buckets and TopN', () => {
  const now = 1_000_000_000;
  assert.equal(ttlBucket(-1, now), 'none');
  assert.equal(ttlBucket(now - 1, now), 'expired');
  assert.equal(ttlBucket(now + 1000, now), '< 1h');
  assert.equal(ttlBucket(now + 2 * 3_600_000, now), '< 1d');
  assert.equal(ttlBucket(now + 40 * 86_400_000, now), 'later');
  const top = new TopN<number>(3);
  for (const [i, v] of [5, 1, 9, 3, 7, 2].entries()) top.add(v, v, i);
  assert.deepEqual(top.sorted().map((x) => x.item), [9, 7, 5]);
});

test('TopN keeps the N first by (score, then ordinal) whatever the order they come in, and merges to that', () => {
  // scores with many ties; items are their ordinals
  const scores = [4, 7, 4, 7, 1, 4, 9, 4, 7, 4, 1, 9];
  const want = scores
    .map((s, i) => ({ s, i }))
    .sort((a, b) => b.s - a.s || a.i - b.i)
    .slice(0, 5)
    .map((x) => x.i);
  const inOrder = new TopN<number>(5);
  scores.forEach((s, i) => inOrder.add(s, i, i));
  assert.deepEqual(inOrder.sorted().map((x) => x.item), want);
  const reversed = new TopN<number>(5);
  [...scores.entries()].reverse().forEach(([i, s]) => reversed.add(s, i, i));
  assert.deepEqual(reversed.sorted().map((x) => x.item), want);
  // two halves, merged either way round
  for (const cut of [3, 6, 9]) {
    const a = new TopN<number>(5);
    const b = new TopN<number>(5);
    scores.forEach((s, i) => (i < cut ? a : b).add(s, i, i));
    const ab = TopN.of(a.data());
    ab.merge(b.data());
    assert.deepEqual(ab.sorted().map((x) => x.item), want, `cut ${cut}`);
    b.merge(a.data());
    assert.deepEqual(b.sorted().map((x) => x.item), want, `cut ${cut}, reversed`);
  }
});
