/**
 * Redis's load-time checks (src/rdb/integrity.ts), each on a crafted dump that redis-check-rdb
 * and redis-server 7.0.15 read too: damaged ziplists, listpacks, intsets, zipmaps and LZF
 * strings, duplicate keys, empty keys. What they refuse, `strict` refuses; by default the same
 * dumps give IntegrityRecords and parse on.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RdbError, RdbParser, emptyIntegrity, nameFoundKeys, noteIntegrity, type IntegrityRecord, type KeyRecord } from '../../src/rdb/index.js';
import { FingerprintSet, KeyDuplicates, fingerprint } from '../../src/rdb/integrity.js';
import { corpusPath } from '../helpers/corpus.js';
import { needProgram } from '../helpers/redis-server.js';
import { baseDump, checkRdb, serverLoad, zeroTrailer } from '../helpers/load-check.js';

interface Ours {
  error: RdbError | null;
  findings: IntegrityRecord[];
  keys: KeyRecord[];
}

function ours(bytes: Buffer, strict = false, directKeys?: number): Ours {
  const out: Ours = { error: null, findings: [], keys: [] };
  const p = new RdbParser({
    strict,
    directKeys,
    totalSize: bytes.length,
    onRecord: (r) => {
      if (r.kind === 'key') out.keys.push(r);
      else if (r.kind === 'integrity') out.findings.push(r);
    },
  });
  try {
    p.write(bytes);
    p.end();
  } catch (e) {
    if (!(e instanceof RdbError)) throw e;
    out.error = e;
  }
  return out;
}

function keyOf(o: Ours, name: string): KeyRecord {
  const k = o.keys.find((r) => r.key.toString() === name);
  assert.ok(k, `key ${name}`);
  return k;
}

/** Where a blob value's bytes start (stored raw: they end the record). */
function payloadStart(k: KeyRecord): number {
  return k.end - k.facts.blobBytes;
}

test('FingerprintSet: adds, finds duplicates, grows and clears', () => {
  const s = new FingerprintSet(16);
  const n = 5000;
  for (let i = 0; i < n; i++) {
    const b = Buffer.from(`key:${i}`);
    fingerprint(b, 0, b.length, 0);
    assert.equal(s.addLast(), true);
  }
  for (let i = 0; i < n; i += 97) {
    const b = Buffer.from(`key:${i}`);
    fingerprint(b, 0, b.length, 0);
    assert.equal(s.addLast(), false, `key:${i} again`);
    fingerprint(b, 0, b.length, 1); // another db: another key
    assert.equal(s.addLast(), true);
  }
  assert.ok(s.bytes >= (n * 4) / 3 * 8);
  s.clear();
  const b = Buffer.from('key:0');
  fingerprint(b, 0, b.length, 0);
  assert.equal(s.addLast(), true);
  assert.equal(s.size, 1);
});

test('a FingerprintSet at its bound stops and says so (full)', () => {
  const s = new FingerprintSet(16, 100);
  let added = 0;
  for (let i = 0; i < 200; i++) {
    const b = Buffer.from(`k${i}`);
    fingerprint(b, 0, b.length, 0);
    if (s.addLast()) added++;
  }
  assert.equal(added, 100);
  assert.equal(s.full, true);
});

test("mutants of the corpus's parser_filters.rdb (RDB 2, no checksum): strict rejects exactly what redis-check-rdb rejects", { timeout: 600_000 }, async (t) => {
  if (!needProgram('redis-check-rdb', t)) return;
  const orig = await readFile(corpusPath('public/redis-rdb-tools/parser_filters.rdb'));
  const base = ours(orig);
  assert.equal(base.error, null);
  assert.equal(base.findings.length, 0);
  // every byte of every ziplist, intset and zipmap value and of the LZF string, +1 and 0xFF
  const ranges = base.keys.filter((k) => k.facts.blobBytes > 0 || k.encoding === 'lzf').map((k) => [k.end - k.facts.serializedBytes, k.end] as const);
  assert.equal(ranges.length, 21);
  let rejected = 0;
  let soft = 0;
  const disagree: string[] = [];
  for (const [s, e] of ranges) {
    for (let i = s; i < e; i++) {
      for (const v of [(orig[i]! + 1) & 0xff, 0xff]) {
        if (v === orig[i]) continue;
        const m = Buffer.from(orig);
        m[i] = v;
        const redis = await checkRdb(m);
        const strict = ours(m, true);
        const lax = ours(m);
        if (redis.ok !== (strict.error === null)) disagree.push(`byte ${i} = ${v}: redis-check-rdb ${redis.ok ? 'accepts' : 'rejects'}, strict ${strict.error?.message ?? 'accepts'}`);
        if (!redis.ok) {
          rejected++;
          // by default: never silent, an error or a finding at a byte of the damaged key
          assert.ok(lax.error !== null || lax.findings.length > 0, `byte ${i} = ${v} passed silently`);
          if (lax.error === null) {
            soft++;
            const f = lax.findings[0]!;
            assert.equal(f.server, 'refuse');
            assert.ok(f.offset >= s - 30 && f.offset < e, `finding at ${f.offset}, value at ${s}..${e}`);
          }
        } else assert.deepEqual([lax.error, lax.findings], [null, []], `byte ${i} = ${v}`);
      }
    }
  }
  assert.deepEqual(disagree, []);
  // the checks matter: many mutants read cleanly but for them
  console.log(`parser_filters.rdb mutants: redis-check-rdb rejects ${rejected}, ${soft} of them found only by the deep checks`);
  assert.ok(rejected > 400, `rejected ${rejected}`);
  assert.ok(soft > 100, `found only by the deep checks ${soft}`);
});

test('a zipmap whose count byte is 0xFF: refused by redis-check-rdb and redis-server ("Zipmap integrity check failed")', async (t) => {
  if (!needProgram('redis-check-rdb', t)) return;
  const bytes = await readFile(corpusPath('public/hdt3213-rdb/zipmap_big_len.rdb'));
  const redis = await checkRdb(bytes);
  assert.equal(redis.ok, false);
  assert.match(redis.out, /Zipmap integrity check failed/);
  const srv = await serverLoad(bytes);
  assert.equal(srv.loaded, false);
  assert.match(srv.log, /Zipmap integrity check failed/);
  const lax = ours(bytes);
  assert.equal(lax.error, null);
  assert.equal(lax.findings.length, 1);
  assert.equal(lax.findings[0]!.check, 'corrupt_value');
  assert.match(lax.findings[0]!.reason, /zipmap count byte 255/);
  const strict = ours(bytes, true);
  assert.equal(strict.error?.code, 'corrupt_value');
  assert.match(strict.error!.message, /key "zimap_doesnt_compress"/);
});

test('damaged listpacks, intsets and LZF strings (checksum off): refused as redis-server --sanitize-dump-payload yes and redis-check-rdb refuse them', { timeout: 120_000 }, async (t) => {
  if (!needProgram('redis-check-rdb', t)) return;
  const base = await baseDump();
  const clean = zeroTrailer(base);
  const o = ours(clean);
  assert.equal(o.error, null);
  assert.deepEqual(o.findings, []);
  assert.equal((await checkRdb(clean)).ok, true);
  const h = keyOf(o, 'h');
  const z = keyOf(o, 'z');
  const s = keyOf(o, 's');
  const b = keyOf(o, 'b');
  assert.equal(h.encoding, 'listpack');
  assert.equal(s.encoding, 'intset');
  const cases: Array<{ name: string; at: number; value: number; reason: RegExp; server: RegExp; sanitizeOnly: boolean }> = [
    // h: header 6 | 82 'f' '1' 03 | 82 'v' '1' 03 | 82 'f' '2' 03 | ...
    { name: 'listpack back-length', at: payloadStart(h) + 9, value: 4, reason: /back-length/, server: /Hash listpack integrity check failed/, sanitizeOnly: true },
    { name: 'listpack header count', at: payloadStart(h) + 4, value: 3, reason: /header counts 3 entries/, server: /Hash listpack integrity check failed/, sanitizeOnly: true },
    { name: 'duplicate hash field', at: payloadStart(h) + 16, value: 0x31, reason: /duplicate field/, server: /Hash listpack integrity check failed/, sanitizeOnly: true },
    { name: "duplicate zset member", at: payloadStart(z) + 14, value: 0x31, reason: /duplicate field or member/, server: /Zset listpack integrity check failed/, sanitizeOnly: true },
    // s: encoding 2 | length 3 | 1 2 3 as int16: the first one 5
    { name: 'intset out of order', at: payloadStart(s) + 8, value: 5, reason: /ascending/, server: /Intset integrity check failed/, sanitizeOnly: true },
    // b: C3 clen ulen ...: claims one byte more than it decodes to
    { name: 'LZF length', at: b.end - b.facts.serializedBytes + 2, value: 31, reason: /LZF/, server: /Invalid LZF compressed string/, sanitizeOnly: false },
  ];
  for (const c of cases) {
    const m = Buffer.from(clean);
    assert.notEqual(m[c.at], c.value, c.name);
    m[c.at] = c.value;
    const redis = await checkRdb(m);
    assert.equal(redis.ok, false, `${c.name}: redis-check-rdb accepts`);
    const sanitized = await serverLoad(m, ['--sanitize-dump-payload', 'yes']);
    assert.equal(sanitized.loaded, false, `${c.name}: redis-server loads it`);
    assert.match(sanitized.log, c.server, c.name);
    if (c.sanitizeOnly) {
      // without sanitize-dump-payload (its default) redis-server 7.0 checks listpacks and intsets shallowly
      assert.equal((await serverLoad(m)).loaded, true, `${c.name}: loaded by default`);
    }
    const lax = ours(m);
    assert.equal(lax.error, null, c.name);
    assert.equal(lax.findings.length, 1, c.name);
    assert.match(lax.findings[0]!.reason, c.reason, c.name);
    assert.equal(lax.keys.length, o.keys.length, `${c.name}: the key is still sized`);
    const strict = ours(m, true);
    assert.equal(strict.error?.code, 'corrupt_value', c.name);
  }
});

test('a key twice in one db: redis-server panics ("Duplicated key found in RDB file"); listed once, a finding; strict: an error', { timeout: 60_000 }, async () => {
  const base = zeroTrailer(await baseDump());
  const a = keyOf(ours(base), 'a');
  const dup = Buffer.concat([base.subarray(0, a.end), base.subarray(a.offset, a.end), base.subarray(a.end)]);
  const srv = await serverLoad(dup);
  assert.equal(srv.loaded, false);
  assert.match(srv.log, /Duplicated key found in RDB file/);
  const lax = ours(dup);
  assert.equal(lax.error, null);
  assert.deepEqual(
    lax.findings.map((f) => [f.check, f.offset, f.key.toString(), f.server]),
    [['duplicate_key', a.end, 'a', 'refuse']],
  );
  assert.equal(lax.keys.filter((k) => k.key.toString() === 'a').length, 1);
  assert.equal(lax.keys.length, ours(base).keys.length);
  const strict = ours(dup, true);
  assert.equal(strict.error?.code, 'duplicate_key');
  assert.equal(strict.error?.offset, a.end);
  // the same key in another db is no duplicate: redis-server loads that
  const db1 = Buffer.concat([base.subarray(0, a.end), Buffer.from([0xfe, 0x01]), base.subarray(a.offset, a.end), Buffer.from([0xfe, 0x00]), base.subarray(a.end)]);
  assert.equal((await serverLoad(db1)).loaded, true);
  assert.deepEqual(ours(db1).findings, []);
});

test('KeyDuplicates: past its exact part, partitions spilled to a temporary file find every duplicate at the end, by offset and db', () => {
  const d = new KeyDuplicates(1000);
  const n = 600_000; // > 256 partitions x 1024 records: chunks go to the file
  const fp = (i: number, db: number): void => {
    const b = Buffer.from(`user:${i}`);
    fingerprint(b, 0, b.length, db);
  };
  const want: Array<{ offset: number; db: number }> = [];
  let off = 9;
  for (let i = 0; i < n; i++, off += 20) {
    fp(i, 0);
    assert.equal(d.addLast(off, 0), true, `user:${i}`);
  }
  // keys again: of the exact part (its table went to the partitions), past it (early, late, an
  // offset past 4 GiB), and in db 3
  for (const i of [10, 5, 2000, 599_999]) {
    fp(i, 0);
    assert.equal(d.addLast(off, 0), true);
    want.push({ offset: off, db: 0 });
    off += 20;
  }
  const big = 5 * 2 ** 32 + 12345;
  fp(123_456, 0);
  d.addLast(big, 0);
  fp(7, 3);
  assert.equal(d.addLast(off, 3), true, 'another db: another key');
  fp(7, 3);
  d.addLast(off + 20, 3);
  want.push({ offset: off + 20, db: 3 }, { offset: big, db: 0 });
  assert.deepEqual(d.finish(), want);
});

test('a duplicate past the exact part (directKeys): found at the end, by offset; strict: an error then', { timeout: 60_000 }, async () => {
  const base = zeroTrailer(await baseDump());
  const a = keyOf(ours(base), 'a');
  const dup = Buffer.concat([base.subarray(0, a.end), base.subarray(a.offset, a.end), base.subarray(a.end)]);
  // directKeys 0: every key goes to the partitions (with 1, whether 'a' fell in the exact part
  // depended on where redis-server's dict order put it)
  const lax = ours(dup, false, 0);
  assert.equal(lax.error, null);
  assert.deepEqual(
    lax.findings.map((f) => [f.check, f.offset, f.key.length, f.keyAt, f.server]),
    [['duplicate_key', a.end, 0, true, 'refuse']],
  );
  assert.match(lax.findings[0]!.reason, /found at the end of the dump: both copies are counted/);
  assert.equal(lax.keys.filter((k) => k.key.toString() === 'a').length, 2);
  const strict = ours(dup, true, 0);
  assert.equal(strict.error?.code, 'duplicate_key');
  assert.equal(strict.error?.offset, a.end);
  assert.equal(strict.keys.length, lax.keys.length);
  // the analysis names the key by reading it back from the file
  const dir = await mkdtemp(path.join(tmpdir(), 'rdblens-dup-'));
  try {
    const file = path.join(dir, 'dup.rdb');
    await writeFile(file, dup);
    const data = emptyIntegrity();
    noteIntegrity(data, lax.findings[0]!);
    assert.equal(data.findings[0]!.key, '');
    await nameFoundKeys(file, data);
    assert.deepEqual([data.findings[0]!.key, data.findings[0]!.keyAt], ['a', undefined]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("empty keys: redis-server skips them (\"empty keys skipped: N\"), rdblens leaves the same ones out; redis-check-rdb and strict refuse", { timeout: 60_000 }, async (t) => {
  if (!needProgram('redis-check-rdb', t)) return;
  const bytes = await readFile(corpusPath('public/redis-tests-assets/corrupt_empty_keys.rdb'));
  const srv = await serverLoad(bytes);
  assert.equal(srv.loaded, true, srv.log);
  assert.ok(srv.emptySkipped > 0);
  const lax = ours(bytes);
  assert.equal(lax.error, null);
  assert.equal(lax.findings.length, srv.emptySkipped);
  assert.ok(lax.findings.every((f) => f.check === 'empty_key' && f.server === 'skip'));
  assert.equal(lax.keys.length, srv.keys);
  assert.equal((await checkRdb(bytes)).ok, false);
  assert.equal(ours(bytes, true).error?.code, 'empty_key');
});
