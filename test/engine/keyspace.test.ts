/**
 * The keyspace holds one compact record per key: lookups, ordered iteration, SCAN cursors and
 * deletes, checked against the keys a real server reported for a corpus dump.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRdbFile } from '../../src/rdb/index.js';
import { Keyspace } from '../../src/engine/keyspace.js';
import { manifest, groundTruth, corpusPath } from '../helpers/corpus.js';

const file = manifest().find((f) => f.rdb === 'generated/redis-7.0.15/mixed-large.rdb')!;

async function load(): Promise<Map<number, Keyspace>> {
  const dbs = new Map<number, Keyspace>();
  await parseRdbFile(corpusPath(file.rdb), {
    onRecord: (r) => {
      if (r.kind !== 'key') return;
      let ks = dbs.get(r.db);
      if (!ks) dbs.set(r.db, (ks = new Keyspace()));
      ks.set({ key: r.key, type: r.type, encoding: r.encoding, memory: 0, length: r.length, maxElementLength: r.maxElementLength, expireAt: r.expireAt, idle: r.idle, freq: r.freq, offset: r.offset, file: 0 });
    },
  });
  return dbs;
}

test('every key the server reported is found with its type, length and expiry', async () => {
  const dbs = await load();
  const gt = groundTruth(file);
  const keys = gt.keys!;
  assert.equal([...dbs.values()].reduce((s, ks) => s + ks.size, 0), keys.length);
  for (const k of keys) {
    const info = dbs.get(k.db)?.get(Buffer.from(k.key_b64, 'base64'));
    assert.ok(info, `missing ${k.key}`);
    assert.equal(info.type, k.type);
    assert.equal(info.length, k.length);
    assert.equal(info.expireAt, k.pexpiretime);
  }
  assert.equal(dbs.get(0)!.get(Buffer.from('no-such-key')), null);
});

test('ordered iteration, SCAN covers every key once, deletes leave the rest intact', async () => {
  const ks = (await load()).get(0)!;
  const sorted = ks.sortedIds();
  assert.equal(sorted.length, ks.size);
  for (let i = 1; i < sorted.length; i++) assert.ok(Buffer.compare(ks.keyOf(sorted[i - 1]!), ks.keyOf(sorted[i]!)) < 0);

  const seen = new Set<string>();
  let cursor = 0;
  do {
    const { ids, next } = ks.scan(cursor, 100);
    for (const id of ids) {
      const k = ks.keyOf(id).toString('base64');
      assert.ok(!seen.has(k), 'a key returned twice');
      seen.add(k);
    }
    cursor = next;
  } while (cursor !== 0);
  assert.equal(seen.size, ks.size);

  const victims = [...sorted.slice(0, 1000)].map((id) => Buffer.from(ks.keyOf(id)));
  const before = ks.size;
  for (const v of victims) assert.equal(ks.delete(v), true);
  for (const v of victims) assert.equal(ks.has(v), false);
  assert.equal(ks.size, before - 1000);
  assert.equal(ks.delete(victims[0]!), false);
  const survivor = Buffer.from(ks.keyOf(sorted[2000]!));
  ks.compact();
  assert.equal(ks.size, before - 1000);
  assert.ok(ks.has(survivor));
  for (const v of victims.slice(0, 10)) assert.equal(ks.has(v), false);
});

test('heap per key stays far below 300 bytes', () => {
  const ks = new Keyspace();
  const n = 200_000;
  for (let i = 0; i < n; i++) {
    ks.set({ key: Buffer.from(`user:session:${i}`), type: 'string', encoding: 'embstr', memory: 80, length: 10, maxElementLength: 10, expireAt: -1, idle: -1, freq: -1, offset: i * 40, file: 0 });
  }
  const perKey = ks.heapBytes() / n;
  assert.ok(perKey < 150, `${perKey.toFixed(1)} bytes per key`);
  assert.equal(ks.get(Buffer.from('user:session:199999'))?.offset, 199999 * 40);
});
