import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Crc64, crc64 } from '../../src/rdb/crc64.js';
import { rng } from '../helpers/rng.js';

const CORPUS = fileURLToPath(new URL('../../../shared/rdb-corpus/generated/redis-7.0.15/', import.meta.url));

function randomBytes(rand: () => number, n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (rand() * 256) | 0;
  return b;
}

/** Bit-at-a-time reference: reflected CRC-64/Jones, init 0, no final xor. */
function crc64Reference(buf: Uint8Array): bigint {
  const POLY_REV = 0x95ac9329ac4bc9b5n; // bit-reversed 0xad93d23594c935a9
  let crc = 0n;
  for (const byte of buf) {
    crc ^= BigInt(byte);
    for (let k = 0; k < 8; k++) crc = crc & 1n ? (crc >> 1n) ^ POLY_REV : crc >> 1n;
  }
  return crc;
}

test('crc64 check value of "123456789" is 0xe9c6d914c4b8d9ca', () => {
  const data = new TextEncoder().encode('123456789');
  assert.equal(crc64(data), 0xe9c6d914c4b8d9can);
  const c = new Crc64();
  c.update(data, 0, data.length);
  assert.equal(c.hex(), 'e9c6d914c4b8d9ca');
  assert.equal(c.value(), 0xe9c6d914c4b8d9can);
});

test('crc64 of empty input is 0; hex() is always 16 digits', () => {
  assert.equal(crc64(new Uint8Array(0)), 0n);
  const c = new Crc64();
  assert.equal(c.hex(), '0000000000000000');
  c.update(new Uint8Array([1, 2, 3]), 1, 1); // empty range
  assert.equal(c.value(), 0n);
});

test('crc64 matches a bit-at-a-time reference for lengths 0..100 and a large buffer', () => {
  const rand = rng(1);
  for (let n = 0; n <= 100; n++) {
    const b = randomBytes(rand, n);
    assert.equal(crc64(b), crc64Reference(b), `length ${n}`);
  }
  const big = randomBytes(rand, 10_007);
  assert.equal(crc64(big), crc64Reference(big));
});

test('crc64 incremental updates over random splits equal one-shot', () => {
  const rand = rng(2);
  const data = randomBytes(rand, 50_000);
  const expected = crc64(data);
  for (let trial = 0; trial < 200; trial++) {
    const c = new Crc64();
    let pos = 0;
    while (pos < data.length) {
      // Mix tiny chunks (exercise the byte tail) with larger ones (the sliced loop).
      const max = rand() < 0.5 ? 20 : 5000;
      const next = Math.min(data.length, pos + ((rand() * max) | 0));
      c.update(data, pos, next);
      pos = next;
    }
    assert.equal(c.value(), expected, `trial ${trial}`);
  }
  // Views with a non-zero byteOffset work too.
  const backing = new Uint8Array(data.length + 3);
  backing.set(data, 3);
  const view = backing.subarray(3);
  const c = new Crc64();
  c.update(view, 0, 12_345);
  c.update(view, 12_345, view.length);
  assert.equal(c.value(), expected);
});

test('Crc64 reset, matchesLE and range checks', () => {
  const data = new TextEncoder().encode('123456789');
  const c = new Crc64();
  c.update(data, 0, 4);
  c.reset();
  c.update(data, 0, data.length);
  assert.equal(c.value(), 0xe9c6d914c4b8d9can);

  const trailer = Buffer.alloc(10);
  trailer.writeBigUInt64LE(0xe9c6d914c4b8d9can, 2);
  assert.equal(c.matchesLE(trailer, 2), true);
  assert.equal(c.matchesLE(trailer, 1), false);
  assert.equal(c.matchesLE(trailer, 3), false); // would run past the end
  assert.equal(c.matchesLE(trailer, -1), false);
  trailer[9] ^= 1;
  assert.equal(c.matchesLE(trailer, 2), false);

  assert.throws(() => c.update(data, 0, data.length + 1), RangeError);
  assert.throws(() => c.update(data, 5, 4), RangeError);
  assert.throws(() => c.update(data, -1, 2), RangeError);
});

test('crc64 of real RDB files equals their little-endian trailer (redis-7.0.15 corpus)', { skip: !existsSync(CORPUS) && `corpus not found at ${CORPUS}` }, () => {
  const files = readdirSync(CORPUS).filter((f) => f.endsWith('.rdb')).sort();
  assert.ok(files.length >= 10, `expected the corpus RDB files, found ${files.length}`);
  let checked = 0;
  for (const f of files) {
    const buf = readFileSync(CORPUS + f);
    const body = buf.length - 8;
    if (f === 'rdbchecksum-no.rdb') {
      // Written with rdbchecksum no: the trailer is 8 zero bytes, not a CRC.
      assert.equal(buf.readBigUInt64LE(body), 0n, f);
      continue;
    }
    const stored = buf.readBigUInt64LE(body);
    assert.equal(crc64(buf.subarray(0, body)), stored, f);

    // Same through the streaming API in 64 KiB chunks, and matchesLE.
    const c = new Crc64();
    for (let o = 0; o < body; o += 65_536) c.update(buf, o, Math.min(body, o + 65_536));
    assert.equal(c.matchesLE(buf, body), true, f);
    assert.equal(c.hex(), stored.toString(16).padStart(16, '0'), f);
    checked++;
  }
  assert.equal(checked, files.length - 1);
});

test('crc64 reads words at any alignment: views at byte offsets 0..7 of every length 250..330 match the reference', () => {
  const rand = rng(3);
  const backing = randomBytes(rand, 400);
  for (let at = 0; at < 8; at++) {
    for (let n = 250; n <= 330; n++) {
      const view = backing.subarray(at, at + n);
      const c = new Crc64();
      // and from an unaligned start inside the view
      c.update(view, 0, 3);
      c.update(view, 3, n);
      assert.equal(c.value(), crc64Reference(view), `offset ${at}, length ${n}`);
    }
  }
});
