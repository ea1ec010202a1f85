/**
 * Random access: the key record at a byte offset reads back with the same value as a full pass.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readAllRecords, readKeyAt, RdbError } from '../../src/rdb/index.js';
import type { KeyRecord } from '../../src/rdb/index.js';
import { corpusPath } from '../helpers/corpus.js';

for (const rel of ['generated/redis-7.2.6/multi-db.rdb', 'generated/redis-7.4.1/hashes-ttl.rdb', 'generated/redis-7.0.15/streams.rdb', 'generated/redis-6.2.16/lists.rdb']) {
  test(`${rel}: readKeyAt(offset) returns each key with its value`, async () => {
    const path = corpusPath(rel);
    const keys = (await readAllRecords(path, { values: true })).filter((r): r is KeyRecord => r.kind === 'key');
    assert.ok(keys.length > 0);
    for (const k of keys) {
      const again = await readKeyAt(path, k.offset, k.db);
      assert.equal(again.key.toString('hex'), k.key.toString('hex'));
      assert.equal(again.db, k.db);
      assert.equal(again.expireAt, k.expireAt);
      assert.equal(again.end, k.end);
      assert.deepEqual(again.value, k.value);
    }
  });
}

test('readKeyAt at an offset that is not a key record fails with a typed error', async () => {
  const path = corpusPath('generated/redis-7.2.6/multi-db.rdb');
  await assert.rejects(readKeyAt(path, 1 << 30), RdbError);
  await assert.rejects(readKeyAt(path, 9), RdbError); // an AUX opcode, not a key
});
