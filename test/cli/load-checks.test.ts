/**
 * The load-time checks from the command line: warnings on stderr (byte offset, key, what
 * redis-server would do), the LOAD CHECK of the report, --strict; how many keys csv and json
 * wrote before a truncation; `serve` refusing what redis-server refuses. References:
 * redis-server 7.0.15 on the same crafted dumps, the corpus's truncated dump.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { RdbParser, type KeyRecord } from '../../src/rdb/index.js';
import { baseDump, serverLoad, zeroTrailer } from '../helpers/load-check.js';
import { corpusPath } from '../helpers/corpus.js';
import { RespClient } from '../helpers/redis-server.js';
import { startServeProcess } from '../helpers/serve-process.js';
import { parseCsv, rdblens, rdblensProcess } from './cli-helpers.js';

let dir = '';
test.before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rdblens-cli-load-checks-'));
});
test.after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

function keysOf(bytes: Buffer): KeyRecord[] {
  const keys: KeyRecord[] = [];
  const p = new RdbParser({ loadChecks: false, onRecord: (r) => r.kind === 'key' && keys.push(r) });
  p.write(bytes);
  p.end();
  return keys;
}

/** The base dump with key "a" written twice, and an empty set "e" before the EOF opcode. */
async function craft(): Promise<{ dup: Buffer; empty: Buffer; dupAt: number; emptyAt: number; keys: number; beforeDup: number }> {
  const base = zeroTrailer(await baseDump());
  const a = keysOf(base).find((k) => k.key.toString() === 'a')!;
  const eof = base.length - 9; // the EOF opcode, then the 8-byte trailer
  const emptySet = Buffer.from([0x02, 0x01, 0x65, 0x00]); // RDB_TYPE_SET, key "e", 0 members
  const empty = Buffer.concat([base.subarray(0, eof), emptySet, base.subarray(eof)]);
  const dup = Buffer.concat([empty.subarray(0, a.end), empty.subarray(a.offset, a.end), empty.subarray(a.end)]);
  const keys = keysOf(base);
  return { dup, empty, dupAt: a.end, emptyAt: eof, keys: keys.length, beforeDup: keys.findIndex((k) => k.key.toString() === 'a') + 1 };
}

test('csv, report and json warn about what redis-server refuses or skips; --strict makes it an error', { timeout: 120_000 }, async () => {
  const c = await craft();
  const dupFile = path.join(dir, 'dup.rdb');
  const emptyFile = path.join(dir, 'empty.rdb');
  await writeFile(dupFile, c.dup);
  await writeFile(emptyFile, c.empty);

  // the references: redis-server panics on the duplicate, skips the empty set
  const srvDup = await serverLoad(c.dup);
  assert.equal(srvDup.loaded, false);
  assert.match(srvDup.log, /Duplicated key found in RDB file/);
  const srvEmpty = await serverLoad(c.empty);
  assert.equal(srvEmpty.loaded, true);
  assert.equal(srvEmpty.emptySkipped, 1);
  assert.equal(srvEmpty.keys, c.keys);

  // csv: every key once, the empty one left out, as the server would hold them
  const csv = await rdblens(['csv', '-q', emptyFile]);
  assert.equal(csv.code, 0, csv.stderr);
  const rows = parseCsv(csv.stdout).slice(1);
  assert.equal(rows.length, srvEmpty.keys);
  assert.ok(!rows.some((r) => r[2] === 'e'));
  assert.match(csv.stderr, new RegExp(`warning: ${emptyFile}: empty_key at byte ${c.emptyAt} \\(db 0, key "e"\\): .*redis-server would skip the key`));
  assert.match(csv.stderr, /redis-server 7\.0 would skip 1 empty key \("empty keys skipped: 1"\)/);

  const dupCsv = await rdblens(['csv', '-q', dupFile]);
  assert.equal(dupCsv.code, 0, dupCsv.stderr);
  const dupRows = parseCsv(dupCsv.stdout).slice(1);
  assert.equal(dupRows.filter((r) => r[2] === 'a').length, 1);
  assert.equal(dupRows.length, srvEmpty.keys);
  assert.match(dupCsv.stderr, new RegExp(`warning: ${dupFile}: duplicate_key at byte ${c.dupAt} \\(db 0, key "a"\\): .*redis-server would refuse to load the dump`));
  assert.match(dupCsv.stderr, /redis-server 7\.0 would refuse to load this dump \(1 duplicated key\) and hold nothing/);

  const strict = await rdblens(['csv', '-q', '--strict', dupFile]);
  assert.equal(strict.code, 1);
  assert.match(strict.stderr, new RegExp(`duplicate_key at byte ${c.dupAt} \\(key "a"\\): .*--strict`));

  // report: the LOAD CHECK line, and load_check in --json
  const text = await rdblens(['report', '-q', '--color', 'never', dupFile]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /LOAD CHECK: redis-server 7\.0 would refuse to load this dump \(1 duplicated key\)/);
  const json = await rdblens(['report', '-q', '--json', dupFile]);
  const doc = JSON.parse(json.stdout) as { files: Array<{ keys: number; load_check: Record<string, unknown> }> };
  assert.equal(doc.files[0]!.keys, srvEmpty.keys);
  assert.equal(doc.files[0]!.load_check.server, 'refuse');
  assert.equal(doc.files[0]!.load_check.duplicate_keys, 1);
  assert.equal(doc.files[0]!.load_check.empty_keys_skipped, 1);
  const emptyJson = JSON.parse((await rdblens(['report', '-q', '--json', emptyFile])).stdout) as typeof doc;
  assert.equal(emptyJson.files[0]!.load_check.server, 'skip');

  // json: the same warnings; --strict exits 1 after the keys before the finding
  const nd = await rdblensProcess(['json', '-q', dupFile]);
  assert.equal(nd.code, 0, nd.stderr);
  assert.equal(nd.stdout.trim().split('\n').length, srvEmpty.keys);
  assert.match(nd.stderr, /duplicate_key at byte/);
  const ndStrict = await rdblensProcess(['json', '-q', '--strict', dupFile]);
  assert.equal(ndStrict.code, 1);
  const written = `${c.beforeDup} key${c.beforeDup === 1 ? '' : 's'} written before it`;
  assert.match(ndStrict.stderr, new RegExp(`duplicate_key at byte ${c.dupAt} \\(key "a"\\).*\\(${written}\\)`));
  assert.equal(ndStrict.stdout.trim().split('\n').length, c.beforeDup);
});

test('csv and json on a truncated dump: the error says how many keys were written', { timeout: 60_000 }, async () => {
  const rel = 'corrupt/truncated-mid-value';
  const expected = JSON.parse(await readFile(corpusPath(`${rel}.json`), 'utf8')) as { expected: { complete_keys_before_error: string[] } };
  const n = expected.expected.complete_keys_before_error.length;
  assert.ok(n > 0);
  const csv = await rdblens(['csv', '-q', corpusPath(`${rel}.rdb`)]);
  assert.equal(csv.code, 1);
  assert.equal(parseCsv(csv.stdout).length - 1, n);
  assert.match(csv.stderr, new RegExp(`unexpected_eof at byte \\d+ \\(key "delta"\\): .*\\(${n} keys written before it\\)`));
  const json = await rdblensProcess(['json', '-q', corpusPath(`${rel}.rdb`)]);
  assert.equal(json.code, 1);
  assert.equal(json.stdout.trim().split('\n').length, n);
  assert.match(json.stderr, new RegExp(`unexpected_eof at byte \\d+ \\(key "delta"\\): .*\\(${n} keys written before it\\)`));
});

test('serve refuses what redis-server refuses: not a dump, an empty file, RDB version 99, a truncated dump (unless --allow-truncated)', { timeout: 120_000 }, async () => {
  const empty = path.join(dir, 'zero.rdb');
  await writeFile(empty, '');
  const truncated = corpusPath('corrupt/truncated-mid-value.rdb');
  const cases: Array<[string, RegExp]> = [
    ['/etc/passwd', /bad_magic at byte 0: the input does not start with "REDIS"/],
    [empty, /empty file \(0 bytes\), not an RDB dump/],
    [corpusPath('corrupt/unsupported-version.rdb'), /RDB version 99 is newer than any known format/],
    [truncated, /unexpected_eof at byte \d+ .*not serving it .*--allow-truncated serves the 5 keys read before it/],
  ];
  for (const [file, reason] of cases) {
    const srv = await serverLoad(await readFile(file));
    assert.equal(srv.loaded, false, `redis-server loads ${file}`);
    const r = await rdblensProcess(['serve', '--port', '0', file]);
    assert.equal(r.code, 1, file);
    assert.match(r.stderr, reason);
    assert.doesNotMatch(r.stderr, /listening/);
  }
  const s = await startServeProcess(['--port', '0', '--allow-truncated', truncated]);
  try {
    assert.match(s.log(), /--allow-truncated: serving the 5 keys read before it/);
    const client = new RespClient(s.port);
    try {
      assert.equal(await client.command(['DBSIZE']), 5);
    } finally {
      client.close();
    }
  } finally {
    process.kill(s.child.pid!, 'SIGKILL');
  }
});
