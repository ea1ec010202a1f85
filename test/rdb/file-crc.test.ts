/**
 * Big files get their CRC-64 checked by a worker thread: a good trailer reads 'verified', a
 * damaged byte is a checksum_mismatch at the trailer, after every key was delivered.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseRdbFile, RdbError } from '../../src/rdb/index.js';
import type { RdbRecord } from '../../src/rdb/index.js';
import { crc64 } from '../../src/rdb/crc64.js';

/** An RDB 10 file of `n` 4 KB string keys (> 16 MB for n = 5000), with a correct trailer. */
function bigDump(n: number): Buffer {
  const parts: Buffer[] = [Buffer.from('REDIS0010', 'latin1'), Buffer.from([0xfe, 0x00])];
  const value = Buffer.alloc(4096, 0x78);
  for (let i = 0; i < n; i++) {
    const key = Buffer.from(`key:${i}`, 'latin1');
    parts.push(Buffer.from([0x00, key.length]), key, Buffer.from([0x50, 0x00]), value); // 14-bit length 4096
  }
  parts.push(Buffer.from([0xff]));
  const body = Buffer.concat(parts);
  const trailer = Buffer.alloc(8);
  trailer.writeBigUInt64LE(crc64(body));
  return Buffer.concat([body, trailer]);
}

test('a >16 MB dump is checksummed in parallel: verified, and a flipped byte is caught', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rdblens-crc-'));
  try {
    const good = bigDump(5000);
    assert.ok(good.length > 16 << 20);
    const file = path.join(dir, 'good.rdb');
    writeFileSync(file, good);
    const recs: RdbRecord[] = [];
    const res = await parseRdbFile(file, { onRecord: (r) => recs.push(r) });
    assert.equal(res.keys, 5000);
    const eof = recs[recs.length - 1]!;
    assert.ok(eof.kind === 'eof');
    assert.equal(eof.checksum, 'verified');

    const bad = Buffer.from(good);
    bad[good.length - 100] ^= 0x01; // inside the last value
    const badFile = path.join(dir, 'bad.rdb');
    writeFileSync(badFile, bad);
    let keys = 0;
    const err = await parseRdbFile(badFile, { onRecord: (r) => void (r.kind === 'key' && keys++) }).then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(err instanceof RdbError);
    assert.equal(err.code, 'checksum_mismatch');
    assert.equal(err.offset, good.length - 8);
    assert.equal(keys, 5000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
