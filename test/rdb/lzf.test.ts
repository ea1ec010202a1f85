import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { lzfCompress, lzfDecompress } from '../../src/rdb/lzf.js';
import { rng } from '../helpers/rng.js';

const CORPUS = fileURLToPath(new URL('../../../shared/rdb-corpus/generated/redis-7.0.15/', import.meta.url));

function randomBytes(rand: () => number, n: number, alphabet = 256): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (rand() * alphabet) | 0;
  return b;
}

function roundTrip(data: Uint8Array): Buffer | null {
  const comp = lzfCompress(data);
  if (comp === null) return null;
  assert.ok(comp.length < data.length, 'compressed output must be smaller');
  const out = new Uint8Array(data.length);
  assert.equal(lzfDecompress(comp, 0, comp.length, out), data.length);
  assert.ok(Buffer.from(out).equals(data), "round trip must restore the input");
  return comp;
}

test('lzf decodes hand-built streams (literal run, overlapping back-reference, long length byte)', () => {
  // literal "a", then back-ref len field 5 (7 bytes) at distance 1 -> "a" x 8
  const out = new Uint8Array(8);
  assert.equal(lzfDecompress(Uint8Array.from([0x00, 0x61, 0xa0, 0x00]), 0, 4, out), 8);
  assert.deepEqual(Buffer.from(out).toString(), 'aaaaaaaa');
  // literal "abc", then len 7 + 10 = 17 -> 19 bytes at distance 3
  const out2 = new Uint8Array(22);
  assert.equal(lzfDecompress(Uint8Array.from([0x02, 0x61, 0x62, 0x63, 0xe0, 10, 0x02]), 0, 7, out2), 22);
  assert.equal(Buffer.from(out2).toString(), 'abc'.repeat(8).slice(0, 22));
  // empty input decodes to nothing; a larger output buffer is fine
  assert.equal(lzfDecompress(new Uint8Array(0), 0, 0, new Uint8Array(4)), 0);
  assert.equal(lzfDecompress(Uint8Array.from([0x01, 0x78, 0x79]), 0, 3, new Uint8Array(100)), 2);
});

test('lzf round trip of repetitive and low-entropy data', () => {
  const rand = rng(3);
  const cases: Uint8Array[] = [
    new Uint8Array(10_000), // zeros: long overlapping runs
    Buffer.from('abc'.repeat(5000)),
    Buffer.from(JSON.stringify(Array.from({ length: 300 }, (_, i) => ({ id: i, name: `user${i}`, active: i % 2 === 0 })))),
    randomBytes(rand, 100_000, 4), // low entropy, matches at every distance
    new Uint8Array(5), // shortest input that shrinks: literal + back-reference (4 bytes)
  ];
  // Matches exactly at the maximum distance (8192) are used ...
  const block = randomBytes(rand, 9000);
  const near = new Uint8Array(8192 * 2);
  near.set(block.subarray(0, 8192), 0);
  near.set(block.subarray(0, 8192), 8192);
  cases.push(near);
  for (const data of cases) assert.notEqual(roundTrip(data), null, `length ${data.length} should compress`);
  // ... but repeats further back than that cannot be encoded.
  const far = new Uint8Array(9000 * 2);
  far.set(block, 0);
  far.set(block, 9000);
  assert.equal(lzfCompress(far), null);
});

test('lzf round trip of random mixtures; incompressible input returns null', () => {
  const rand = rng(4);
  let compressed = 0;
  for (let t = 0; t < 300; t++) {
    const parts: Uint8Array[] = [];
    const nparts = 1 + ((rand() * 8) | 0);
    for (let p = 0; p < nparts; p++) {
      const n = (rand() * 2000) | 0;
      const kind = rand();
      if (kind < 0.3) parts.push(randomBytes(rand, n));
      else if (kind < 0.6) parts.push(randomBytes(rand, n, 1 + ((rand() * 8) | 0)));
      else if (kind < 0.8) parts.push(new Uint8Array(n).fill((rand() * 256) | 0));
      else if (parts.length > 0) parts.push(parts[(rand() * parts.length) | 0]!); // repeat an earlier part
    }
    // roundTrip checks the decoded bytes whenever compression succeeds; null (not
    // smaller) is allowed for mostly random mixtures.
    if (roundTrip(Buffer.concat(parts)) !== null) compressed++;
  }
  assert.ok(compressed > 100, `only ${compressed} of 300 mixtures compressed`);
  assert.equal(lzfCompress(new Uint8Array(0)), null);
  assert.equal(lzfCompress(randomBytes(rand, 4096)), null);
  assert.equal(lzfCompress(Uint8Array.from([1, 2])), null);
  assert.equal(lzfCompress(new Uint8Array(4)), null); // 4 bytes -> 4 bytes is not smaller
});

test('lzf corrupt inputs return -1', () => {
  const data = Buffer.from('hello hello hello hello, world world world! '.repeat(20));
  const comp = lzfCompress(data)!;
  assert.ok(comp);

  // Truncated: every proper prefix ends inside an op or decodes to fewer bytes than expected.
  for (let cut = 1; cut < comp.length; cut++) {
    const r = lzfDecompress(comp, 0, cut, new Uint8Array(data.length));
    assert.ok(r === -1 || r < data.length, `cut ${cut}: ${r}`);
  }
  // Cutting the last byte always leaves the final op incomplete.
  assert.equal(lzfDecompress(comp, 0, comp.length - 1, new Uint8Array(data.length)), -1);
  // The end bound is respected even when the rest of the stream follows in src.
  assert.equal(lzfDecompress(comp, 0, comp.length - 1, new Uint8Array(data.length * 2)), -1);

  // Output too small.
  assert.equal(lzfDecompress(comp, 0, comp.length, new Uint8Array(data.length - 1)), -1);
  assert.equal(lzfDecompress(comp, 0, comp.length, new Uint8Array(0)), -1);

  const out = new Uint8Array(64);
  // Back-reference at output position 0.
  assert.equal(lzfDecompress(Uint8Array.from([0x20, 0x00]), 0, 2, out), -1);
  // Back-reference one byte too far back (distance 2 with 1 byte written).
  assert.equal(lzfDecompress(Uint8Array.from([0x00, 0x61, 0x20, 0x01]), 0, 4, out), -1);
  // ... and the same at distance 1 is fine.
  assert.equal(lzfDecompress(Uint8Array.from([0x00, 0x61, 0x20, 0x00]), 0, 4, out), 4);
  // Distance from the high bits of ctrl (ctrl & 0x1f) << 8.
  assert.equal(lzfDecompress(Uint8Array.from([0x00, 0x61, 0x21, 0x00]), 0, 4, out), -1);
  // Input ends inside a back-reference (missing offset byte, missing length byte).
  assert.equal(lzfDecompress(Uint8Array.from([0x00, 0x61, 0x20]), 0, 3, out), -1);
  assert.equal(lzfDecompress(Uint8Array.from([0x00, 0x61, 0xe0]), 0, 3, out), -1);
  assert.equal(lzfDecompress(Uint8Array.from([0x00, 0x61, 0xe0, 0x05]), 0, 4, out), -1);
  // Input ends inside a literal run.
  assert.equal(lzfDecompress(Uint8Array.from([0x05, 0x61, 0x62]), 0, 3, out), -1);
  // Invalid ranges.
  assert.equal(lzfDecompress(comp, 0, comp.length + 1, out), -1);
  assert.equal(lzfDecompress(comp, -1, 3, out), -1);
  assert.equal(lzfDecompress(comp, 5, 4, out), -1);
  assert.equal(lzfDecompress(comp, 0.5, 4, out), -1);
});

test('lzf decodes a sub-range of src and never writes outside out', () => {
  const data = Buffer.from('abcdefgh'.repeat(100));
  const comp = lzfCompress(data)!;
  const src = Buffer.concat([Buffer.from([0xe0, 0xff, 0xff]), comp, Buffer.from([0xe0, 0xff])]);
  const backing = new Uint8Array(data.length + 16).fill(0xaa);
  const out = backing.subarray(8, 8 + data.length);
  assert.equal(lzfDecompress(src, 3, 3 + comp.length, out), data.length);
  assert.deepEqual(Buffer.from(out), data);
  assert.ok(backing.subarray(0, 8).every((b) => b === 0xaa));
  assert.ok(backing.subarray(8 + data.length).every((b) => b === 0xaa));
});

test('lzf fuzz: random and mutated streams never throw and never write outside out', () => {
  const rand = rng(5);
  const valid = [
    lzfCompress(Buffer.from('The quick brown fox jumps over the lazy dog. '.repeat(40)))!,
    lzfCompress(randomBytes(rand, 3000, 3))!,
  ];
  for (let t = 0; t < 5000; t++) {
    let src: Uint8Array;
    if (t % 2 === 0) {
      src = randomBytes(rand, (rand() * 300) | 0);
      // Bias toward literal/short control bytes so more inputs get past the first op.
      if (src.length > 0 && rand() < 0.5) src[0] = (rand() * 32) | 0;
    } else {
      src = Uint8Array.from(valid[t % 4 === 1 ? 0 : 1]!);
      const flips = 1 + ((rand() * 4) | 0);
      for (let k = 0; k < flips; k++) src[(rand() * src.length) | 0] = (rand() * 256) | 0;
    }
    const outLen = (rand() * 3000) | 0;
    const backing = new Uint8Array(outLen + 8).fill(0x5a);
    const out = backing.subarray(4, 4 + outLen);
    const start = rand() < 0.2 ? (rand() * src.length) | 0 : 0;
    const r = lzfDecompress(src, start, src.length, out);
    assert.ok(r === -1 || (Number.isInteger(r) && r >= 0 && r <= outLen), `trial ${t}: ${r}`);
    for (const i of [0, 1, 2, 3, outLen + 4, outLen + 5, outLen + 6, outLen + 7]) assert.equal(backing[i], 0x5a);
  }
});

test('lzf decodes LZF strings written by Redis 7.0.15 to their ground-truth values', { skip: !existsSync(CORPUS) && `corpus not found at ${CORPUS}` }, () => {
  const rdb = readFileSync(CORPUS + 'strings.rdb');
  const truth = JSON.parse(readFileSync(CORPUS + 'strings.json', 'utf8')) as {
    keys: Array<{ key: string; value?: { b64?: string } }>;
  };
  // RDB length encoding (6-bit, 14-bit, 32-bit big-endian).
  const readLen = (p: number): [number, number] | null => {
    const b = rdb[p]!;
    if (b >> 6 === 0) return [b & 0x3f, p + 1];
    if (b >> 6 === 1) return [((b & 0x3f) << 8) | rdb[p + 1]!, p + 2];
    if (b === 0x80) return [rdb.readUInt32BE(p + 1), p + 5];
    return null;
  };
  // Scan for RDB_ENC_LZF string headers (0xc3, clen, len) and keep the blobs that decode
  // to exactly their declared length. (A stray 0xc3 byte essentially never does.)
  const decoded = new Set<string>();
  for (let i = 0; i + 3 < rdb.length; i++) {
    if (rdb[i] !== 0xc3) continue;
    const c = readLen(i + 1);
    const u = c && readLen(c[1]);
    if (!c || !u || u[0] === 0 || u[0] > 1 << 24 || u[1] + c[0] > rdb.length) continue;
    const out = Buffer.alloc(u[0]);
    if (lzfDecompress(rdb, u[1], u[1] + c[0], out) === u[0]) decoded.add(out.toString('hex'));
  }
  const expectLzf = ['lzf:21bytes', 'lzf:10k', 'lzf:json', 'setrange:zeros', 'append:grown'];
  for (const name of expectLzf) {
    const k = truth.keys.find((x) => x.key === name);
    assert.ok(k?.value?.b64 !== undefined, `ground truth for ${name}`);
    const hex = Buffer.from(k.value.b64, 'base64').toString('hex');
    assert.ok(decoded.has(hex), `${name} decoded from the RDB`);
    // Our compressor's output decodes back too.
    roundTrip(Buffer.from(hex, 'hex'));
  }
});
