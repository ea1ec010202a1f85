/**
 * Every damaged dump in ../shared/rdb-corpus/corrupt gives the outcome its JSON describes: an
 * RdbError of that kind at that byte offset, after exactly the keys completed before it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseRdbFile, RdbError, RdbParser } from '../../src/rdb/index.js';
import { manifest, corpusPath } from '../helpers/corpus.js';

const corrupt = manifest().filter((f) => f.kind === 'corrupt' && f.expected?.outcome === 'error');

test('the corrupt set is all there', () => {
  assert.equal(corrupt.length, 10);
});

for (const f of corrupt) {
  const exp = f.expected!;
  test(`${f.rdb}: ${exp.error_kind} at byte ${exp.at_offset}`, async () => {
    const keys: string[] = [];
    const err = await parseRdbFile(corpusPath(f.rdb), {
      onRecord: (r) => {
        if (r.kind === 'key') keys.push(r.key.toString('latin1'));
      },
    }).then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(err instanceof RdbError, `expected an RdbError, got ${String(err)}`);
    assert.equal(err.code, exp.error_kind);
    assert.equal(err.offset, exp.at_offset);
    assert.equal(err.file, corpusPath(f.rdb));
    assert.match(err.message, new RegExp(`at byte ${exp.at_offset}\\b`));
    assert.deepEqual(keys, exp.complete_keys_before_error);
  });

  // Without knowing the input size (a socket), lying lengths still end in a typed error and
  // nothing is allocated beyond what arrived.
  test(`${f.rdb}: streamed without a known size, 100-byte chunks`, () => {
    const bytes = readFileSync(corpusPath(f.rdb));
    const keys: string[] = [];
    const p = new RdbParser({ onRecord: (r) => r.kind === 'key' && keys.push(r.key.toString('latin1')) });
    const before = process.memoryUsage().arrayBuffers;
    let err: unknown = null;
    try {
      for (let i = 0; i < bytes.length; i += 100) p.write(bytes.subarray(i, i + 100));
      p.end();
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof RdbError, `expected an RdbError, got ${String(err)}`);
    assert.ok(process.memoryUsage().arrayBuffers - before < 64 << 20, 'no allocation sized by a lying length');
    assert.deepEqual(keys.slice(0, exp.complete_keys_before_error.length), exp.complete_keys_before_error);
  });
}
