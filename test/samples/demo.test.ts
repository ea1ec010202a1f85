/**
 * samples/demo.rdb reads completely (the same key count redis-check-rdb finds) and holds the mix
 * the generator promises; the generator, run again with the same seed, makes the same keys.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readAllRecords } from '../../src/rdb/index.js';
import type { KeyRecord } from '../../src/rdb/index.js';
import { REPO_ROOT } from '../helpers/corpus.js';

const DEMO = path.join(REPO_ROOT, 'samples/demo.rdb');

async function keysOf(file: string): Promise<KeyRecord[]> {
  return (await readAllRecords(file)).filter((r): r is KeyRecord => r.kind === 'key');
}

test('demo.rdb: every key redis-check-rdb counts, all six types, several dbs', async () => {
  const keys = await keysOf(DEMO);
  const out = execFileSync('redis-check-rdb', [DEMO], { encoding: 'utf8' });
  const m = /\[info\] (\d+) keys read/.exec(out);
  assert.ok(m, out);
  assert.equal(keys.length, Number(m[1]));
  assert.deepEqual(new Set(keys.map((k) => k.type)), new Set(['string', 'list', 'set', 'zset', 'hash', 'stream']));
  assert.ok(new Set(keys.map((k) => k.db)).size >= 3);
  assert.ok(keys.some((k) => k.expireAt > 0));
  assert.ok(keys.some((k) => k.encoding === 'intset'));
  assert.ok(keys.some((k) => k.facts.nodes?.some((n) => n.container === 1)), 'a plain quicklist node');
});

test('the generator is deterministic: the same seed makes the same keys', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rdblens-gen-'));
  try {
    const out = path.join(dir, 'again.rdb');
    execFileSync(process.execPath, ['--import', 'tsx', 'samples/generate.ts', '--scale', '1', '--seed', '42', '--out', out], { cwd: REPO_ROOT, stdio: 'pipe' });
    const id = (k: KeyRecord) => `${k.db}:${k.key.toString('hex')}:${k.type}:${k.length}:${k.expireAt}`;
    const a = (await keysOf(DEMO)).map(id).sort();
    const b = (await keysOf(out)).map(id).sort();
    assert.deepEqual(b, a);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
