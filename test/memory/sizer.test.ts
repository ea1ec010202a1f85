/**
 * The per-key sizer (src/memory/sizer.ts: `csv`, `json` and the full analysis) against the RDB
 * corpus ground truth: with no --target it picks the profile of the server that wrote the dump;
 * its rows are the keys the server kept after loading (plus the ones a load drops), with the
 * server's OBJECT ENCODING and, per file, MEMORY USAGE within the accuracy gates of
 * test/memory/accuracy.test.ts; a filter keeps exactly the rows it describes; a damaged dump
 * delivers the keys before the damage and says where it stopped.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sizeKeys, type KeyRow, type SizerOptions } from '../../src/memory/sizer.js';
import { corpusPath, groundTruth, keyId, manifest, type ManifestFile } from '../helpers/corpus.js';
import { LOADER_PROFILE } from './corpus-accuracy.js';

const MEDIAN_MAX = 0.5;
const TOTAL_MAX = 0.5;

const GENERATED = manifest().filter((f) => f.kind === 'generated' && !f.rdb.includes('mixed-large'));
const LARGE = manifest().filter((f) => f.rdb === 'generated/redis-7.2.6/mixed-large.rdb');

async function rowsOf(f: ManifestFile, opts: SizerOptions): Promise<{ rows: KeyRow[]; pass: Awaited<ReturnType<typeof sizeKeys>> }> {
  const rows: KeyRow[] = [];
  const pass = await sizeKeys(corpusPath(f.rdb), opts, (r) => rows.push({ ...r, key: Buffer.from(r.key) }));
  return { rows, pass };
}

for (const f of [...GENERATED, ...LARGE]) {
  test(`sizer rows = ground truth: ${f.rdb}`, async () => {
    const gt = groundTruth(f);
    const producer = gt.produced_by as string;
    const expected = LOADER_PROFILE[producer];
    assert.ok(expected, `${f.rdb}: producer ${producer} has a profile`);
    const { rows, pass } = await rowsOf(f, { fileIndex: 2 });
    assert.equal(pass.error, null);
    assert.equal(pass.profile, expected, `${f.rdb}: profile chosen from the AUX fields`);
    assert.equal(pass.keysInFile, gt.redis_check_rdb?.counts.keys_read ?? pass.keysInFile);
    assert.equal(pass.keys, rows.length);
    assert.equal(pass.keys, pass.keysInFile, 'no filter: every key');
    const byId = new Map(rows.map((r) => [keyId(r.db, r.key), r]));
    assert.ok(rows.every((r) => r.file === 2));
    if (gt.loaded_by !== producer) return;
    const errs: number[] = [];
    let predicted = 0;
    let actual = 0;
    for (const k of gt.keys ?? []) {
      const id = keyId(k.db, Buffer.from(k.key_b64, 'base64'));
      const row = byId.get(id);
      assert.ok(row, `${f.rdb}: ${k.key ?? k.key_b64} is a row`);
      assert.equal(row.type, k.type, `${f.rdb}: ${k.key} type`);
      assert.equal(row.encoding, k.encoding, `${f.rdb}: ${k.key} OBJECT ENCODING`);
      assert.equal(row.length, k.length, `${f.rdb}: ${k.key} length`);
      assert.equal(row.breakdown.key + row.breakdown.object + row.breakdown.entryOverhead + row.breakdown.payload, row.bytes);
      if (k.memory_usage === undefined) continue;
      const values = Array.isArray(k.memory_usage) ? k.memory_usage : [k.memory_usage];
      const lo = Math.min(...values);
      const hi = Math.max(...values);
      const nearest = row.bytes < lo ? lo : row.bytes > hi ? hi : row.bytes;
      errs.push(Math.abs((row.bytes - nearest) / nearest) * 100);
      predicted += row.bytes;
      actual += nearest;
    }
    if (errs.length === 0) return;
    errs.sort((a, b) => a - b);
    const median = errs[Math.floor(errs.length / 2)]!;
    assert.ok(median <= MEDIAN_MAX, `${f.rdb}: median |error| ${median.toFixed(3)} %`);
    const total = (Math.abs(predicted - actual) / actual) * 100;
    assert.ok(total <= TOTAL_MAX, `${f.rdb}: total error ${total.toFixed(3)} %`);
  });
}

test('sizer: --target and a filter keep exactly the rows the filter describes', async () => {
  const f = LARGE[0]!;
  const all = (await rowsOf(f, { target: 'valkey-8.0' })).rows;
  assert.ok(all.length > 10_000);
  const spec = { types: ['hash', 'zset'] as ('hash' | 'zset')[], minBytes: 200, dbs: [0] };
  const { rows, pass } = await rowsOf(f, { target: 'valkey-8.0', filter: spec });
  const want = all.filter((r) => r.db === 0 && (r.type === 'hash' || r.type === 'zset') && r.bytes >= 200);
  assert.ok(want.length > 100 && want.length < all.length);
  assert.deepStrictEqual(rows, want);
  assert.equal(pass.keysInFile, all.length);
  assert.equal(pass.keys, want.length);
  assert.equal(pass.profile, 'valkey-8.0');
  // the target changes the sizes: Valkey 8.0 embeds the key in the dict entry
  const native = (await rowsOf(f, {})).rows;
  assert.equal(native.length, all.length);
  assert.ok(native.reduce((s, r) => s + r.bytes, 0) > all.reduce((s, r) => s + r.bytes, 0));
});

test('sizer: a truncated dump delivers the complete keys before the damage', async () => {
  const f = manifest().find((m) => m.rdb === 'corrupt/truncated-mid-value.rdb')!;
  const { rows, pass } = await rowsOf(f, {});
  assert.ok(pass.error, 'error reported');
  assert.equal(pass.error.code, f.expected!.error_kind);
  assert.deepStrictEqual(
    rows.map((r) => r.key.toString('utf8')),
    f.expected!.complete_keys_before_error,
  );
});
