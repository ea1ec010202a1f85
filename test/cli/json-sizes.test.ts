/**
 * `rdblens json` with sizes: size_in_bytes is the calculator's MEMORY USAGE (as analyzeDump
 * gives it), encoding the one after load (the server's OBJECT ENCODING), rdb_encoding the one in
 * the file; the same with --values and from standard input; filters apply.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { analyzeDump } from '../../src/memory/analyze.js';
import { readAllRecords, type KeyRecord } from '../../src/rdb/index.js';
import { corpusPath, groundTruth, keyId, manifest } from '../helpers/corpus.js';
import { rdblens, ROOT } from './cli-helpers.js';

interface Line {
  db: number;
  key: string;
  type: string;
  encoding: string;
  rdb_encoding: string;
  size_in_bytes: number | null;
  offset: number;
  length: number;
}

const lines = (text: string): Line[] =>
  text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Line);

const DUMPS = ['generated/redis-7.2.6/hashes.rdb', 'generated/redis-5.0.14/zsets.rdb', 'generated/valkey-8.0.1/sets.rdb', 'generated/redis-7.4.1/hashes-ttl.rdb'];

test('size_in_bytes, encoding after load, rdb_encoding; field order', { timeout: 120_000 }, async () => {
  for (const rdb of DUMPS) {
    const file = corpusPath(rdb);
    const sizes = new Map<number, { bytes: number; encoding: string }>();
    await analyzeDump(file, { onKey: (r) => sizes.set(r.offset, { bytes: r.bytes, encoding: r.encoding }) });
    const onDisk = new Map((await readAllRecords(file)).filter((r): r is KeyRecord => r.kind === 'key').map((r) => [r.offset, r.encoding]));
    const gt = new Map(groundTruth(manifest().find((f) => f.rdb === rdb)!).keys!.map((k) => [keyId(k.db, Buffer.from(k.key_b64, 'base64')), k]));
    for (const values of [false, true]) {
      const r = await rdblens(['json', '-q', '--escape', 'base64', ...(values ? ['--values'] : []), file]);
      assert.equal(r.code, 0, r.stderr);
      const got = lines(r.stdout);
      assert.equal(got.length, sizes.size);
      for (const o of got) {
        assert.deepEqual(Object.keys(o).slice(0, 10), ['db', 'key', 'type', 'encoding', 'rdb_encoding', 'size_in_bytes', 'expiry', 'expiry_iso', 'length', 'offset']);
        assert.equal(o.size_in_bytes, sizes.get(o.offset)!.bytes, `${rdb} ${o.key}`);
        assert.equal(o.encoding, sizes.get(o.offset)!.encoding);
        assert.equal(o.rdb_encoding, onDisk.get(o.offset));
        const k = gt.get(keyId(o.db, Buffer.from(o.key, 'base64')));
        if (k && k.encoding !== 'unknown') assert.equal(o.encoding, k.encoding, `${rdb} ${o.key}: OBJECT ENCODING`);
      }
    }
  }
});

test('filters and --largest', { timeout: 120_000 }, async () => {
  const file = corpusPath('generated/redis-7.2.6/mixed-large.rdb');
  const all = lines((await rdblens(['json', '-q', file])).stdout);
  const hashes = lines((await rdblens(['json', '-q', '--type', 'hash', '--db', '0', file])).stdout);
  assert.deepEqual(
    hashes,
    all.filter((o) => o.type === 'hash' && o.db === 0),
  );
  const idx = all.map((o, i) => ({ o, i })).sort((a, b) => (b.o.size_in_bytes ?? -1) - (a.o.size_in_bytes ?? -1) || a.i - b.i);
  const want = idx
    .slice(0, 5)
    .sort((a, b) => a.i - b.i)
    .map((x) => x.o);
  assert.deepEqual(lines((await rdblens(['json', '-q', '--largest', '5', file])).stdout), want);
  const r = await rdblens(['json', '--largest', '5', '-']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /--largest reads the dump twice/);
});

test('standard input: the same lines as the file', async () => {
  const file = corpusPath('generated/redis-7.2.6/hashes.rdb');
  const fromFile = (await rdblens(['json', '-q', file])).stdout;
  const fromStdin = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'cli/rdblens.ts', 'json', '-q', '-'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('close', () => resolve(out));
    createReadStream(file).pipe(child.stdin);
  });
  assert.equal(fromStdin, fromFile);
});
