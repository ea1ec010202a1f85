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

const base = { type: 'string', encoding: 'raw', memory: 80, length: 10, maxElementLength: 10, expireAt: -1, idle: -1, freq: -1, offset: 0, file: 0 } as const;

test('narrow columns: values past their width round-trip through the side tables', () => {
  const ks = new Keyspace();
  const cases = [
    // memory > 4 GiB, length > 2^32, an expire time past 2^48 ms (year 10889), a 40-bit offset and past it
    { key: Buffer.from('big'), memory: 5 * 2 ** 30, length: 2 ** 32 + 7, maxElementLength: 2 ** 33, expireAt: 2 ** 50 + 3, offset: 2 ** 40 - 2 },
    { key: Buffer.from('edge'), memory: 0xfffffffe, length: 0xfffffffd, maxElementLength: 0, expireAt: 2 ** 48 - 2, offset: 2 ** 40 + 5 },
    { key: Buffer.from('max'), memory: Number.MAX_SAFE_INTEGER, length: 0, maxElementLength: 1, expireAt: 8.64e15, offset: 2 ** 52 },
    { key: Buffer.from('none'), memory: -1, length: 0, maxElementLength: 0, expireAt: -1, offset: -1 },
    { key: Buffer.from('frac'), memory: 12.5, length: 3, maxElementLength: 0, expireAt: 1_700_000_000_123, offset: 0 },
  ];
  for (const c of cases) ks.set({ ...base, ...c, idle: 2 ** 33, freq: 255 });
  ks.set({ ...base, key: Buffer.from('plain'), offset: 9, file: 3 });
  for (const c of cases) {
    const got = ks.get(c.key)!;
    assert.deepEqual(
      { memory: got.memory, length: got.length, maxElementLength: got.maxElementLength, expireAt: got.expireAt, offset: got.offset, idle: got.idle, freq: got.freq, file: got.file },
      { memory: c.memory, length: c.length, maxElementLength: c.maxElementLength, expireAt: c.expireAt, offset: c.offset, idle: 2 ** 33, freq: 255, file: 0 },
      c.key.toString(),
    );
  }
  const plain = ks.get(Buffer.from('plain'))!;
  assert.deepEqual([plain.expireAt, plain.idle, plain.freq, plain.offset, plain.file], [-1, -1, -1, 9, 3]);
  // overwriting a wide value with a narrow one (and back) leaves no stale side entry
  const id = ks.find(Buffer.from('big'));
  ks.setMemory(id, 100);
  ks.setExpire(id, -1);
  ks.setOffset(id, 2 ** 45);
  assert.deepEqual([ks.memoryOf(id), ks.expireOf(id), ks.offsetOf(id)], [100, -1, 2 ** 45]);
  ks.setOffset(id, 17);
  assert.equal(ks.offsetOf(id), 17);
  ks.compact();
  const after = ks.get(Buffer.from('edge'))!;
  assert.deepEqual([after.memory, after.length, after.expireAt, after.offset], [0xfffffffe, 0xfffffffd, 2 ** 48 - 2, 2 ** 40 + 5]);
  assert.equal(ks.get(Buffer.from('plain'))!.file, 3);
});

test('reserve: sized once from a hint, exactly; more keys than the hint still go in', () => {
  const ks = new Keyspace();
  ks.reserve(1000, 10);
  assert.equal(ks.capacity, 1000);
  for (let i = 0; i < 1500; i++) ks.set({ ...base, key: Buffer.from(`k:${i}`), offset: i, expireAt: i % 2 ? 1e12 + i : -1 });
  assert.equal(ks.size, 1500);
  for (let i = 0; i < 1500; i += 7) {
    const r = ks.get(Buffer.from(`k:${i}`))!;
    assert.equal(r.offset, i);
    assert.equal(r.expireAt, i % 2 ? 1e12 + i : -1);
  }
  // a lying hint is capped
  const lying = new Keyspace();
  lying.reserve(2 ** 40);
  assert.ok(lying.capacity <= 2 ** 28);
});

test('key bytes: a key longer than an arena chunk, and trim, keep every key readable', () => {
  const ks = new Keyspace();
  const long = Buffer.alloc((1 << 24) + 10, 0x61);
  ks.set({ ...base, key: Buffer.from('a') });
  ks.set({ ...base, key: long });
  ks.set({ ...base, key: Buffer.from('b') });
  ks.trim();
  ks.set({ ...base, key: Buffer.from('c') });
  assert.ok(ks.has(long));
  assert.equal(ks.keyOf(ks.find(long)).length, long.length);
  for (const k of ['a', 'b', 'c']) assert.equal(ks.keyOf(ks.find(Buffer.from(k))).toString(), k);
});

test('heap per key, sized from a hint: under 48 bytes beside the key name', () => {
  const ks = new Keyspace();
  const n = 200_000;
  ks.reserve(n, n);
  let names = 0;
  for (let i = 0; i < n; i++) {
    const key = Buffer.from(`user:session:${i}`);
    names += key.length;
    ks.set({ ...base, key, offset: i * 40, expireAt: 1.8e12 + i });
  }
  ks.trim();
  const perKey = (ks.heapBytes() - names) / n;
  assert.ok(perKey < 48, `${perKey.toFixed(1)} bytes per key beside the name`);
});

/** A loaded key's record with the fields a test varies. */
function loaded(key: string, offset: number, file = 0, memory = 10): Parameters<Keyspace['append']>[0] {
  return { key: Buffer.from(key), type: 'string', encoding: 'embstr', memory, length: 1, maxElementLength: 1, expireAt: -1, idle: -1, freq: -1, offset, file };
}

test('append: indexed in batches; of a key added twice the same copy stays, whatever order they come in', () => {
  const ks = new Keyspace();
  // the tail's copy of 'a' (offset 900) before the head's (offsets 500, 100): out of order
  ks.append(loaded('a', 900, 0, 3));
  ks.append(loaded('b', 200));
  ks.append(loaded('a', 500, 0, 2));
  ks.append(loaded('a', 100, 0, 1));
  // a later file beats any offset of an earlier one
  ks.append(loaded('c', 5000, 0, 1));
  ks.append(loaded('c', 10, 1, 4));
  assert.equal(ks.size, 6, 'not yet indexed: every add counts');
  ks.indexPending();
  assert.equal(ks.size, 3);
  // one dump: its first copy, as its load-time check keeps; two dumps: the later dump's
  assert.equal(ks.get(Buffer.from('a'))!.memory, 1);
  assert.equal(ks.get(Buffer.from('a'))!.offset, 100);
  assert.equal(ks.get(Buffer.from('c'))!.file, 1);
  assert.deepEqual(
    [...ks.ids()].map((id) => ks.keyOf(id).toString()),
    ['b', 'a', 'c'],
  );
  // the same offset twice (a live source's repeated SCAN): the later add stays
  ks.append(loaded('b', 200, 0, 7));
  // a lookup indexes what is pending first
  assert.equal(ks.get(Buffer.from('b'))!.memory, 7);
  assert.equal(ks.size, 3);
  // set() after append keeps working on the same index
  ks.set(loaded('d', -1));
  assert.ok(ks.has(Buffer.from('d')));
  assert.equal(ks.size, 4);
});

test('append: more keys than one index batch, duplicates across batches, without a hint', () => {
  const ks = new Keyspace();
  const n = (1 << 20) + 5000;
  for (let i = 0; i < n; i++) ks.append(loaded(`k:${i % (n - 1000)}`, i));
  ks.indexPending();
  assert.equal(ks.size, n - 1000);
  for (const i of [0, 1, 999, 1000, 500_000, n - 1001]) {
    const info = ks.get(Buffer.from(`k:${i}`))!;
    assert.ok(info, `k:${i}`);
    assert.equal(info.offset, i, `k:${i}: the first of its copies`);
  }
  assert.equal(ks.get(Buffer.from(`k:${n}`)), null);
  let live = 0;
  for (const _ of ks.ids()) live++;
  assert.equal(live, n - 1000);
});
