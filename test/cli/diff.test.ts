/**
 * `rdblens diff` on pairs of corpus dumps: keys added and removed equal the differences of the
 * two ground-truth key lists; growth by type and the key changes add up to the totals.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corpusPath, groundTruth, keyId, manifest } from '../helpers/corpus.js';
import { DiffBuilder, OldKeySizes } from '../../src/report/diff.js';
import type { KeyRow } from '../../src/memory/analyze.js';
import { csvKey, parseCsv, rdblens } from './cli-helpers.js';

const idsOf = (rdb: string): Set<string> => {
  const f = manifest().find((m) => m.rdb === rdb)!;
  const gt = groundTruth(f);
  // the dumps used here hold exactly the keys the server holds
  assert.equal(gt.redis_check_rdb!.counts.keys_read, gt.keys!.length, rdb);
  return new Set(gt.keys!.map((k) => keyId(k.db, Buffer.from(k.key_b64, 'base64'))));
};

interface DiffDoc {
  old: { keys: number; bytes: number };
  new: { keys: number; bytes: number };
  keys_added: number;
  keys_removed: number;
  keys_changed: number;
  keys_unchanged: number;
  bytes_added: number;
  bytes_removed: number;
  bytes_changed: number;
  bytes_delta: number;
  types: Array<{ type: string; keys_old: number; keys_new: number; bytes_delta: number }>;
  prefixes: Array<{ prefix: string; bytes_delta: number }>;
  growing: Array<{ key: string; db: number; status: string; bytes_old: number | null; bytes_new: number | null; bytes_delta: number }>;
  shrinking: Array<{ key: string; db: number; status: string; bytes_delta: number }>;
}

async function diff(a: string, b: string, extra: string[] = []): Promise<DiffDoc> {
  const r = await rdblens(['diff', '-q', '--json', '--escape', 'base64', ...extra, corpusPath(a), corpusPath(b)]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as DiffDoc;
}

const PAIRS: Array<[string, string]> = [
  ['generated/redis-7.2.6/mixed-large.rdb', 'generated/redis-7.4.1/mixed-large.rdb'],
  ['generated/redis-7.0.15/hashes.rdb', 'generated/redis-7.2.6/hashes.rdb'],
  ['generated/redis-7.2.6/strings.rdb', 'generated/redis-8.0-m01/strings.rdb'],
  ['generated/redis-7.2.6/sets.rdb', 'generated/redis-7.2.6/zsets.rdb'],
];

test('keys added and removed: the differences of the ground-truth key lists', { timeout: 300_000 }, async () => {
  for (const [a, b] of PAIRS) {
    const A = idsOf(a);
    const B = idsOf(b);
    const added = [...B].filter((k) => !A.has(k)).length;
    const removed = [...A].filter((k) => !B.has(k)).length;
    const doc = await diff(a, b, ['--target', '7.4']);
    assert.equal(doc.keys_added, added, `${a} -> ${b}`);
    assert.equal(doc.keys_removed, removed, `${a} -> ${b}`);
    assert.equal(doc.keys_changed + doc.keys_unchanged, B.size - added, `${a} -> ${b}`);
    assert.equal(doc.old.keys, A.size);
    assert.equal(doc.new.keys, B.size);
    // the parts of the change add up
    assert.equal(doc.bytes_added - doc.bytes_removed + doc.bytes_changed, doc.bytes_delta);
    assert.equal(doc.bytes_delta, doc.new.bytes - doc.old.bytes);
    assert.equal(
      doc.types.reduce((s, t) => s + t.bytes_delta, 0),
      doc.bytes_delta,
    );
  }
});

test('the top growing keys are the largest size increases (from two CSV exports)', { timeout: 300_000 }, async () => {
  const [a, b] = PAIRS[0]!;
  const sizes = async (rdb: string): Promise<Map<string, number>> => {
    const rows = parseCsv((await rdblens(['csv', '-q', '--escape', 'base64', '--target', '7.4', corpusPath(rdb)])).stdout).slice(1);
    return new Map(rows.map((r) => [keyId(Number(r[0]), csvKey(r[2]!, 'base64')), Number(r[3])]));
  };
  const A = await sizes(a);
  const B = await sizes(b);
  const deltas: number[] = [];
  for (const [k, nb] of B) deltas.push(nb - (A.get(k) ?? 0));
  for (const [k, ob] of A) if (!B.has(k)) deltas.push(-ob);
  const doc = await diff(a, b, ['--target', '7.4', '-n', '8']);
  assert.deepEqual(
    doc.growing.map((g) => g.bytes_delta),
    deltas
      .filter((d) => d > 0)
      .sort((x, y) => y - x)
      .slice(0, 8),
  );
  assert.deepEqual(
    doc.shrinking.map((g) => g.bytes_delta),
    deltas
      .filter((d) => d < 0)
      .sort((x, y) => x - y)
      .slice(0, 8),
  );
  for (const g of doc.growing) {
    const id = keyId(g.db, Buffer.from(g.key, 'base64'));
    assert.equal(g.status, A.has(id) ? 'changed' : 'added');
  }
});

test('filters apply to both dumps', async () => {
  const [a, b] = PAIRS[0]!;
  const doc = await diff(a, b, ['--type', 'hash']);
  assert.deepEqual(
    doc.types.map((t) => t.type),
    ['hash'],
  );
  const text = await rdblens(['diff', '-q', corpusPath(a), corpusPath(b)]);
  assert.match(text.stdout, /Growth by type/);
  assert.match(text.stdout, /Keys that grew most/);
});

function row(db: number, key: string, bytes: number): KeyRow {
  return { file: 0, db, key: Buffer.from(key), type: 'string', encoding: 'raw', bytes, length: 1, maxElementLength: 1, expireAt: -1, idle: -1, freq: -1, offset: 0, breakdown: { key: 0, object: 0, entryOverhead: 0, payload: 0 } };
}

test('OldKeySizes: (db, key) lookups through growth; DiffBuilder counts', () => {
  const idx = new OldKeySizes();
  for (let i = 0; i < 50_000; i++) idx.set(i % 3, Buffer.from(`k:${i}`), i, 'string');
  assert.equal(idx.size, 50_000);
  for (let i = 0; i < 50_000; i += 7) {
    const id = idx.find(i % 3, Buffer.from(`k:${i}`));
    assert.ok(id >= 0);
    assert.equal(idx.bytesOf(id), i);
  }
  assert.equal(idx.find(1, Buffer.from('k:0')), -1, 'same key, other db');
  assert.ok(idx.heapBytes() < 50_000 * 60, `${idx.heapBytes()} bytes for 50k keys`);
  const d = new DiffBuilder(3);
  d.addOld(row(0, 'a', 10));
  d.addOld(row(0, 'b', 20));
  d.addOld(row(1, 'a', 30));
  d.addNew(row(0, 'a', 10));
  d.addNew(row(0, 'b', 25));
  d.addNew(row(0, 'c', 5));
  d.finish();
  assert.deepEqual(d.counts, { added: 1, removed: 1, changed: 1, unchanged: 1, addedBytes: 5, removedBytes: 30, changedDelta: 5 });
  assert.deepEqual(
    d.topGrowing().map((c) => [c.key.toString(), c.status]),
    [
      ['b', 'changed'],
      ['c', 'added'],
    ],
    'ties in the new file order',
  );
  assert.deepEqual(
    d.topShrinking().map((c) => [c.db, c.key.toString(), c.status]),
    [[1, 'a', 'removed']],
  );
});
