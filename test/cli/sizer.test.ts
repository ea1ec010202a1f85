/**
 * The keys-only pass (cli/sizer.ts, used by `csv` and `json`) gives exactly the rows analyzeDump
 * hands to onKey, filters and --target included.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDump, type AnalyzeOptions, type KeyRow } from '../../src/memory/analyze.js';
import { sizeKeys } from '../../cli/sizer.js';
import { corpusPath, manifest } from '../helpers/corpus.js';

const DUMPS = manifest()
  .filter((f) => f.kind === 'generated' && !f.rdb.includes('mixed-large'))
  .map((f) => f.rdb)
  .concat(['generated/redis-7.2.6/mixed-large.rdb', 'public/redis-rdb-tools/redis_40_with_module.rdb', 'corrupt/truncated-mid-value.rdb']);

const OPTIONS: AnalyzeOptions[] = [
  {},
  { target: 'valkey-8.0', config: { 'hash-max-listpack-entries': 1024 } },
  { filter: { types: ['hash', 'zset'], minBytes: 200, dbs: [0] } },
  { filter: { match: Buffer.from('*:1*'), expiry: { kind: 'none' } }, fileIndex: 3 },
];

test('sizeKeys rows = analyzeDump onKey rows', { timeout: 300_000 }, async () => {
  for (const rdb of DUMPS) {
    for (const opts of OPTIONS) {
      const a: KeyRow[] = [];
      const analysis = await analyzeDump(corpusPath(rdb), { ...opts, onKey: (r) => a.push(r) });
      const b: KeyRow[] = [];
      const pass = await sizeKeys(corpusPath(rdb), opts, (r) => b.push(r));
      assert.deepStrictEqual(b, a, `${rdb} ${JSON.stringify(opts)}`);
      assert.equal(pass.keysInFile, analysis.keysInFile);
      assert.equal(pass.profile, analysis.profile.id);
      assert.equal(pass.error?.message, analysis.error?.message);
    }
  }
});
