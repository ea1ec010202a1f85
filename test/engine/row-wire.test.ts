/**
 * Key rows as bytes between threads (src/engine/row-wire.ts): every field back as it went in,
 * numbers past a u32 and -1 included, encodings named once per stream, RESIZEDB hints in order,
 * and a key longer than a batch.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeyRowDecoder, KeyRowEncoder } from '../../src/engine/row-wire.js';
import type { KeyRow } from '../../src/memory/sizer.js';

function row(key: Buffer, over: Partial<KeyRow> = {}): KeyRow {
  return {
    file: 0,
    db: 0,
    key,
    type: 'hash',
    encoding: 'listpack',
    bytes: 120,
    length: 3,
    maxElementLength: 7,
    expireAt: -1,
    idle: -1,
    freq: -1,
    offset: 42,
    breakdown: { key: 0, object: 0, entryOverhead: 0, payload: 0 },
    ...over,
  };
}

test('rows and hints come back whole and in order', () => {
  const enc = new KeyRowEncoder();
  const rows = [
    row(Buffer.from('user:1')),
    row(Buffer.from([0, 255, 10, 13]), { db: 15, type: 'zset', encoding: 'skiplist', bytes: 2 ** 40 + 3, length: 2 ** 32, maxElementLength: 0, expireAt: 1_767_225_600_123, idle: 4_000_000_000, freq: 255, offset: 6 * 2 ** 30 }),
    row(Buffer.alloc(0), { db: 70000, encoding: 'listpack', bytes: -1, length: 0, expireAt: 0, idle: 0, freq: 0, offset: 0 }),
    row(Buffer.from('x'), { type: 'string', encoding: 'int', bytes: 0.5 }),
  ];
  const buf = Buffer.alloc(4096);
  let off = enc.hint(0, 3, 1, buf, 0);
  for (const r of rows) off = enc.encode(r, buf, off);
  off = enc.hint(16, 2 ** 33, 0, buf, off);
  const got: unknown[] = [];
  new KeyRowDecoder(2).decode(buf.subarray(0, off), {
    key: (db, info, src, o, len) => got.push({ db, ...info, key: Buffer.from(src.subarray(o, o + len)) }),
    hint: (db, size, expires) => got.push({ hint: [db, size, expires] }),
  });
  const want = [
    { hint: [0, 3, 1] },
    ...rows.map((r) => ({ db: r.db, type: r.type, encoding: r.encoding, memory: r.bytes, length: r.length, maxElementLength: r.maxElementLength, expireAt: r.expireAt, idle: r.idle, freq: r.freq, offset: r.offset, file: 2, key: r.key })),
    { hint: [16, 2 ** 33, 0] },
  ];
  assert.deepEqual(got, want);
});

test('no room: -2 and nothing written; a key longer than a batch fits a buffer of maxBytes', () => {
  const enc = new KeyRowEncoder();
  const small = Buffer.alloc(64, 0xaa);
  assert.equal(enc.encode(row(Buffer.alloc(100)), small, 0), -2);
  assert.ok(small.every((b) => b === 0xaa));
  const big = row(Buffer.alloc(1 << 20, 7));
  const buf = Buffer.alloc(KeyRowEncoder.maxBytes(big));
  const end = enc.encode(big, buf, 0);
  assert.ok(end > 1 << 20);
  let len = -1;
  new KeyRowDecoder(0).decode(buf.subarray(0, end), { key: (_db, _info, _src, _o, l) => (len = l), hint: () => assert.fail('no hint') });
  assert.equal(len, 1 << 20);
});

test('a record the decoder does not know, or an encoding never named, is an error with its offset', () => {
  assert.throws(() => new KeyRowDecoder(0).decode(Buffer.from([9]), { key: () => {}, hint: () => {} }), /unknown record kind 9 at byte 0/);
  const buf = Buffer.alloc(256);
  const end = new KeyRowEncoder().encode(row(Buffer.from('k')), buf, 0);
  // drop the encoding record in front of the key (3 + 'listpack')
  assert.throws(() => new KeyRowDecoder(0).decode(buf.subarray(3 + 8, end), { key: () => {}, hint: () => {} }), /encoding code 0 was never defined/);
});
