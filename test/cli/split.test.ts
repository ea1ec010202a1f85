/**
 * One dump read by two threads (cli/analysis.ts runSplit, ParserOptions.split) gives what one
 * pass gives: report, csv, stats and doctor output compared byte for byte with --jobs 1, on the
 * demo dump and corpus dumps of every type, with a duplicated key and truncated copies. The split
 * is forced on these small files with RDBLENS_SPLIT_MIN=0 (it is for files of 64 MiB or more).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RdbParser, type KeyRecord } from '../../src/rdb/index.js';
import { corpusPath } from '../helpers/corpus.js';
import { zeroTrailer } from '../helpers/load-check.js';
import { ROOT, rdblens } from './cli-helpers.js';
import { readDumpHeader, splitShare } from '../../cli/analysis.js';

const NOW = '2026-01-01T00:00:00Z';

async function both(args: string[]): Promise<{ one: Awaited<ReturnType<typeof rdblens>>; split: Awaited<ReturnType<typeof rdblens>> }> {
  // both as for a big dump (its duplicate-key check deferred whole); --jobs 1 reads it whole
  process.env.RDBLENS_SPLIT_MIN = '0';
  try {
    const one = await rdblens([...args, '--jobs', '1']);
    const split = await rdblens([...args, '--jobs', '2']);
    return { one, split };
  } finally {
    delete process.env.RDBLENS_SPLIT_MIN;
  }
}

async function sameOutput(args: string[], what: string): Promise<string> {
  const { one, split } = await both(args);
  assert.equal(split.code, one.code, `${what}: exit code (${split.stderr})`);
  assert.equal(split.stdout, one.stdout, `${what}: stdout`);
  assert.equal(split.stderr, one.stderr, `${what}: stderr`);
  return one.stdout;
}

const DUMPS = [
  path.join(ROOT, 'samples/demo.rdb'),
  corpusPath('generated/redis-7.0.15/mixed-large.rdb'),
  corpusPath('generated/redis-7.0.15/streams.rdb'),
  corpusPath('generated/redis-7.0.15/lists-compressed.rdb'),
  corpusPath('generated/redis-5.0.14/mixed-large.rdb'),
  corpusPath('generated/valkey-8.0.1/mixed-large.rdb'),
  corpusPath('generated/redis-8.0-m01/mixed-large.rdb'),
];

test('report, csv, stats and doctor: the same with the dump split between two threads as in one pass', { timeout: 600_000 }, async () => {
  for (const dump of DUMPS) {
    const name = path.relative(ROOT, dump);
    const json = await sameOutput(['report', '-q', '--json', '--now', NOW, dump], `${name} report --json`);
    assert.ok((JSON.parse(json) as { total: { keys: number } }).total.keys > 0, name);
    await sameOutput(['report', '-q', '--color', 'never', '--now', NOW, dump], `${name} report`);
    const csv = await sameOutput(['csv', '-q', dump], `${name} csv`);
    assert.ok(csv.split('\n').length > 2, name);
    await sameOutput(['stats', '-q', '--now', NOW, dump], `${name} stats`);
    await sameOutput(['doctor', '-q', '--now', NOW, dump], `${name} doctor`);
  }
});

function keysOf(bytes: Buffer): KeyRecord[] {
  const keys: KeyRecord[] = [];
  const p = new RdbParser({ totalSize: bytes.length, onRecord: (r) => void (r.kind === 'key' && keys.push(r)) });
  p.write(bytes);
  p.end();
  return keys;
}

test('a split dump with a key duplicated across the parts, and truncated in either part: the same findings, errors and key counts', { timeout: 300_000 }, async () => {
  const demo = zeroTrailer(await readFile(path.join(ROOT, 'samples/demo.rdb')));
  const keys = keysOf(demo);
  const db0 = keys.filter((k) => k.db === 0);
  const first = db0[0]!;
  const last = db0[db0.length - 1]!;
  assert.ok(first.offset < demo.length * 0.5 && last.end > demo.length * 0.7, 'the copies fall in the head and the tail');
  // db 0's first key again after its last one: a duplicate in the tail of one in the head
  const dup = Buffer.concat([demo.subarray(0, last.end), demo.subarray(first.offset, first.end), demo.subarray(last.end)]);
  const dir = await mkdtemp(path.join(tmpdir(), 'rdblens-split-'));
  try {
    const dupFile = path.join(dir, 'dup.rdb');
    await writeFile(dupFile, dup);
    const report = JSON.parse(await sameOutput(['report', '-q', '--json', '--now', NOW, dupFile], 'dup report')) as {
      files: Array<{ load_check: { duplicate_keys: number; findings: Array<{ key: string; offset: number }> } }>;
    };
    assert.equal(report.files[0]!.load_check.duplicate_keys, 1);
    assert.equal(report.files[0]!.load_check.findings[0]!.key, first.key.toString('latin1'));
    assert.equal(report.files[0]!.load_check.findings[0]!.offset, last.end);
    await sameOutput(['csv', '-q', dupFile], 'dup csv');
    // cut in the head's part (30 %) and in the tail's (80 %)
    for (const share of [0.3, 0.8]) {
      const cut = path.join(dir, `cut-${share}.rdb`);
      await writeFile(cut, demo.subarray(0, Math.floor(demo.length * share)));
      const out = JSON.parse(await sameOutput(['report', '-q', '--json', '--now', NOW, cut], `cut at ${share} report`)) as {
        files: Array<{ error: { code: string; keys_read: number } | null }>;
      };
      assert.equal(out.files[0]!.error?.code, 'unexpected_eof', `cut at ${share}`);
      await sameOutput(['csv', '-q', cut], `cut at ${share} csv`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the head\'s share goes with the bytes a key, from the first RESIZEDB: 0.6 at 219, 0.75 at 32, within 0.5..0.8', async () => {
  assert.equal(splitShare(1e9, undefined), 0.6);
  assert.equal(splitShare(1e9, 0), 0.6);
  assert.ok(Math.abs(splitShare(219e6, 1e6) - 0.6) < 0.01);
  assert.ok(Math.abs(splitShare(32e6, 1e6) - 0.75) < 0.01);
  assert.equal(splitShare(1e6, 1e6), 0.8);
  assert.ok(splitShare(1e12, 1e6) >= 0.5 && splitShare(1e12, 1e6) < 0.51);
  const h = await readDumpHeader(path.join(ROOT, 'samples/demo.rdb'));
  assert.ok(h.firstDbKeys !== undefined && h.firstDbKeys > 1000, `demo.rdb's RESIZEDB: ${h.firstDbKeys}`);
});
