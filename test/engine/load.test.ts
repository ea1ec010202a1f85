/**
 * Loading dumps into the engine: every key the server held is there with a size close to its
 * MEMORY USAGE, and its value reads back from the dump by offset.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadKeyspaces } from '../../src/engine/load.js';
import { readKeyAt } from '../../src/rdb/index.js';
import { manifest, groundTruth, corpusPath } from '../helpers/corpus.js';

test('a 7.0 dump loads with every key, its size near MEMORY USAGE, its value by offset', async () => {
  const f = manifest().find((m) => m.rdb === 'generated/redis-7.0.15/hashes.rdb')!;
  const gt = groundTruth(f);
  const loaded = await loadKeyspaces([corpusPath(f.rdb)]);
  assert.equal(loaded.analyses[0]!.profile.id, 'redis-7.0');
  for (const k of gt.keys!) {
    const key = Buffer.from(k.key_b64, 'base64');
    const info = loaded.dbs.get(k.db)!.get(key);
    assert.ok(info, `${k.key} missing`);
    const mu = Array.isArray(k.memory_usage) ? k.memory_usage[0]! : k.memory_usage!;
    assert.ok(Math.abs(info.memory - mu) <= mu * 0.02, `${k.key}: ${info.memory} vs MEMORY USAGE ${mu}`);
    assert.equal(info.encoding, k.encoding);
    const rec = await readKeyAt(corpusPath(f.rdb), info.offset, k.db);
    assert.equal(rec.key.toString('hex'), key.toString('hex'));
    assert.equal(rec.length, k.length);
  }
});

test('several files: keys from every file, each tagged with its file', async () => {
  const files = ['generated/redis-7.2.6/multi-db.rdb', 'generated/redis-7.2.6/hashes.rdb'].map(corpusPath);
  const loaded = await loadKeyspaces(files);
  const gts = ['generated/redis-7.2.6/multi-db.rdb', 'generated/redis-7.2.6/hashes.rdb'].map((rel) => groundTruth(manifest().find((m) => m.rdb === rel)!));
  const total = [...loaded.dbs.values()].reduce((s, ks) => s + ks.size, 0);
  assert.equal(total, gts[0]!.keys!.length + gts[1]!.keys!.length);
  const k = gts[1]!.keys![0]!;
  assert.equal(loaded.dbs.get(k.db)!.get(Buffer.from(k.key_b64, 'base64'))!.file, 1);
});
