/**
 * Exit codes and messages: a missing, unreadable or non-RDB file is one line on stderr and exit 1
 * with nothing on stdout; a corrupt or truncated dump is reported as far as it was read, marked
 * incomplete, exit 1 (the corpus's corrupt/ files and their expected outcomes); bad flags print
 * the usage and exit 2; a closed stdout is exit 0.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { corpusPath, manifest } from '../helpers/corpus.js';
import { parseCsv, rdblens, rdblensProcess, ROOT } from './cli-helpers.js';

const GOOD = corpusPath('generated/redis-7.2.6/hashes.rdb');
const COMMANDS: string[][] = [['report'], ['csv'], ['prefixes'], ['top'], ['stats'], ['doctor'], ['json'], ['diff', GOOD]];

function oneLine(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l.length > 0);
  assert.equal(lines.length, 1, `one line on stderr, got:\n${stderr}`);
  return lines[0]!;
}

test('missing file, directory, non-RDB file, empty file: one line, exit 1, no output', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rdblens-err-'));
  try {
    const text = path.join(dir, 'notes.txt');
    writeFileSync(text, 'hello, this is not a dump\n');
    const empty = path.join(dir, 'empty.rdb');
    writeFileSync(empty, '');
    const cases: Array<[string, RegExp]> = [
      [path.join(dir, 'nope.rdb'), /^rdblens: .*nope\.rdb: no such file or directory$/],
      [dir, /^rdblens: .*: is a directory$/],
      [text, /^rdblens: .*notes\.txt: bad_magic at byte 0: .*not an RDB file/],
      [empty, /^rdblens: .*empty\.rdb: empty file \(0 bytes\), not an RDB dump$/],
      [corpusPath('corrupt/unsupported-version.rdb'), /unsupported_version at byte 5/],
    ];
    for (const cmd of COMMANDS) {
      for (const [file, re] of cases) {
        const r = await rdblens([...cmd, '-q', file]);
        assert.equal(r.code, 1, `${cmd[0]} ${file}`);
        assert.match(oneLine(r.stderr), re, `${cmd[0]} ${file}`);
        assert.equal(r.stdout, '', `${cmd[0]} ${file}: nothing on stdout`);
      }
    }
    // the second of several files missing: still nothing printed
    const r = await rdblens(['csv', '-q', GOOD, path.join(dir, 'nope.rdb')]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an unreadable file: one line, exit 1', { skip: process.getuid?.() === 0 ? 'root reads every file' : false }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rdblens-err-'));
  try {
    const f = path.join(dir, 'secret.rdb');
    writeFileSync(f, 'REDIS0011');
    chmodSync(f, 0o000);
    const r = await rdblens(['report', f]);
    assert.equal(r.code, 1);
    assert.match(oneLine(r.stderr), /permission denied/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const CORRUPT = manifest().filter((f) => f.kind === 'corrupt' && f.expected?.outcome === 'error');

test('corrupt and truncated dumps: what was read is reported, marked incomplete, exit 1', { timeout: 300_000 }, async () => {
  assert.ok(CORRUPT.length >= 9);
  for (const f of CORRUPT) {
    const exp = f.expected!;
    const file = corpusPath(f.rdb);
    const fatal = exp.error_kind === 'bad_magic' || exp.error_kind === 'unsupported_version' || f.size_bytes === 0;
    const csv = await rdblens(['csv', '-q', '--escape', 'print', file]);
    assert.equal(csv.code, 1, f.rdb);
    const line = oneLine(csv.stderr);
    if (f.size_bytes > 0) assert.match(line, new RegExp(`${exp.error_kind} at byte ${exp.at_offset}\\b`), f.rdb);
    if (fatal) {
      assert.equal(csv.stdout, '', f.rdb);
      continue;
    }
    // CSV: the rows of the keys before the error
    const rows = parseCsv(csv.stdout).slice(1);
    assert.deepEqual(
      rows.map((r) => r[2]),
      exp.complete_keys_before_error,
      f.rdb,
    );
    // text: the report, with the error in it
    const text = await rdblens(['report', '-q', file]);
    assert.equal(text.code, 1);
    assert.match(text.stdout, /INCOMPLETE: .*at byte/);
    // csv says how many rows it wrote before the error; the report the error alone
    const written = ` (${rows.length} key${rows.length === 1 ? '' : 's'} written before it)`;
    assert.ok(line.endsWith(written), `${f.rdb}: ${line}`);
    assert.equal(oneLine(text.stderr), line.slice(0, -written.length));
    // JSON: complete false, the error with its offset
    const json = await rdblens(['report', '-q', '--json', file]);
    assert.equal(json.code, 1);
    const doc = JSON.parse(json.stdout) as { complete: boolean; files: Array<{ error: { code: string; offset: number } | null }>; total: { keys: number } };
    assert.equal(doc.complete, false);
    assert.equal(doc.files[0]!.error!.code, exp.error_kind);
    assert.equal(doc.files[0]!.error!.offset, exp.at_offset);
    assert.equal(doc.total.keys, exp.complete_keys_before_error.length);
  }
});

test('a corrupt dump among several: the others are complete, exit 1', async () => {
  const r = await rdblens(['report', '-q', '--json', GOOD, corpusPath('corrupt/truncated-mid-value.rdb')]);
  assert.equal(r.code, 1);
  const doc = JSON.parse(r.stdout) as { complete: boolean; files: Array<{ error: unknown; keys: number }> };
  assert.equal(doc.complete, false);
  assert.equal(doc.files[0]!.error, null);
  assert.notEqual(doc.files[1]!.error, null);
});

test('bad flags: usage on stderr, exit 2', async () => {
  const cases = [
    ['report', '--db', 'x', GOOD],
    ['csv', '--type', 'tree', GOOD],
    ['top', '--target', '99x', GOOD],
    ['prefixes', '--config', 'nope=1', GOOD],
    ['report', '--config', 'hash-max-listpack-entries=many', GOOD],
    ['csv', '--expiry', 'soon', GOOD],
    ['csv', '--min-bytes', '10q', GOOD],
    ['csv', '--regex', '(', GOOD],
    ['top', '--by', 'name', GOOD],
    ['top', '-n', '0', GOOD],
    ['report', '--frobnicate', GOOD],
    ['report'],
    ['diff', GOOD],
    ['prefixes', '--json', '--csv', GOOD],
  ];
  for (const args of cases) {
    const r = await rdblens(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, /error: /, args.join(' '));
    assert.match(r.stderr, /usage|--help/, args.join(' '));
    assert.equal(r.stdout, '', args.join(' '));
  }
});

test('as a process: exit codes; a reader that goes away is not an error', { timeout: 120_000 }, async () => {
  const missing = await rdblensProcess(['report', 'no/such.rdb']);
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr, 'rdblens: no/such.rdb: no such file or directory\n');
  const usage = await rdblensProcess(['csv', '--db', 'x', GOOD]);
  assert.equal(usage.code, 2);
  // `rdblens csv big.rdb | head -1`
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'cli/rdblens.ts', 'csv', corpusPath('generated/redis-7.2.6/mixed-large.rdb')], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    child.on('error', reject);
    child.on('close', (c) => {
      assert.equal(err, '');
      resolve(c);
    });
  });
  assert.equal(code, 0);
});
