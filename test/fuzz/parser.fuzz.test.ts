/**
 * Fuzz: mutated corpus dumps end in success or a typed RdbError, never another exception, a
 * hang or a runaway allocation. Bounded: FUZZ_CASES per file (default 120), seeded, with a
 * per-case timeout enforced from outside the worker.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { corpusPath } from '../helpers/corpus.js';

const CASES = Number(process.env.FUZZ_CASES ?? 120);
const SEED = Number(process.env.FUZZ_SEED ?? 20261124);
const CASE_TIMEOUT_MS = 5000;

const FILES = [
  'corrupt/corrupt-base.rdb',
  'generated/redis-7.2.6/streams.rdb',
  'generated/redis-7.0.15/lists-compressed.rdb',
  'generated/redis-7.4.1/hashes-ttl.rdb',
  'generated/redis-5.0.14/zsets.rdb',
  'generated/redis-8.0-m01/sets.rdb',
  'generated/redis-7.2.6/hashes.rdb',
  'public/redis-rdb-tools/redis_40_with_module.rdb',
  'public/redis-tests-assets/encodings.rdb',
  'public/redis-rdb-tools/zipmap_that_doesnt_compress.rdb',
];

interface CaseResult {
  seed: number;
  what?: string;
  ok?: true;
  code?: string;
  crash?: string;
  started?: true;
  done?: true;
}

function runFile(file: string, seeds: number[]): Promise<CaseResult[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./fuzz-worker.mjs', import.meta.url), { resourceLimits: { maxOldGenerationSizeMb: 512 } });
    const results: CaseResult[] = [];
    let timer: NodeJS.Timeout | undefined;
    let current = -1;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        void worker.terminate();
        reject(new Error(`${file}: fuzz case seed ${current} ran longer than ${CASE_TIMEOUT_MS} ms (hang)`));
      }, CASE_TIMEOUT_MS);
    };
    worker.on('message', (m: CaseResult) => {
      if (m.done) {
        clearTimeout(timer);
        void worker.terminate();
        resolve(results);
      } else if (m.started) {
        current = m.seed;
        arm();
      } else results.push(m);
    });
    worker.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`${file}: worker died at seed ${current}: ${e.message}`));
    });
    worker.postMessage({ file, seeds });
  });
}

for (const [i, rel] of FILES.entries()) {
  test(`fuzz ${rel}: ${CASES} mutations end in success or a typed error`, async () => {
    const seeds = Array.from({ length: CASES }, (_, k) => SEED + i * 100003 + k);
    const results = await runFile(corpusPath(rel), seeds);
    assert.equal(results.length, CASES);
    const crashes = results.filter((r) => r.crash);
    assert.deepEqual(crashes.map((c) => `seed ${c.seed} (${c.what}): ${c.crash}`), []);
    // the mutations do reach the error paths
    assert.ok(results.some((r) => r.code), 'some mutation must be rejected');
  });
}
