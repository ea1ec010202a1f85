/**
 * `rdblens csv --format parquet`, `rdblens report <file.parquet...>` and `rdblens sql`, checked
 * against rdblens' own CSV and report on corpus dumps (../shared/rdb-corpus) and on a dump a real
 * redis-server writes with hostile keys. The Parquet is read back with DuckDB (the embedded
 * engine, a reader independent of the writer's SQL): every row equal to the CSV row, column types
 * as documented, exact key bytes, the dump's facts in the metadata.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBBlobValue, DuckDBInstance, DuckDBTimestampTZValue, type DuckDBConnection } from '@duckdb/node-api';
import { keyHashSlot } from '../../src/memory/cluster-slot.js';
import { keyPrefix } from '../../src/report/csv.js';
import { escapeBytes, unescapeBytes } from '../../src/report/escape.js';
import { corpusPath } from '../helpers/corpus.js';
import { startRedis } from '../helpers/redis-server.js';
import { csvKey, parseCsv, rdblens } from './cli-helpers.js';

const NOW = '2030-01-01T00:00:00Z';
const NOW_MS = Date.parse(NOW);
const dir = mkdtempSync(path.join(tmpdir(), 'rdblens-parquet-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const MIXED_70 = corpusPath('generated/redis-7.0.15/mixed-large.rdb');
const MIXED_72 = corpusPath('generated/redis-7.2.6/mixed-large.rdb');
const MIXED_VALKEY = corpusPath('generated/valkey-8.0.1/mixed-large.rdb');
const STRINGS = corpusPath('generated/redis-7.0.15/strings.rdb');
const TRUNCATED = corpusPath('corrupt/truncated-mid-value.rdb');
/** small dumps of every type, a cluster dump (hash tags), binary and empty keys (strings) */
/** a module value (size unknown: NULL, counted as 0 and as unknown_size by the report) */
const MODULE = corpusPath('public/redis-rdb-tools/redis_40_with_module.rdb');
const SMALL = ['strings', 'hashes', 'lists', 'sets', 'zsets', 'streams', 'expiry', 'cluster'].map((t) => corpusPath(`generated/redis-7.2.6/${t}.rdb`));

let con: DuckDBConnection | null = null;
async function duck(): Promise<DuckDBConnection> {
  con ??= await (await DuckDBInstance.create(':memory:', { threads: '1' })).connect();
  return con;
}
after(() => con?.closeSync());

async function query(sql: string): Promise<Array<Record<string, unknown>>> {
  const r = await (await duck()).runAndReadAll(sql);
  const names = r.columnNames();
  return r.getRows().map((row) => Object.fromEntries(names.map((n, i) => [n, row[i]])));
}

const lit = (s: string): string => `'${s.replace(/'/g, "''")}'`;

async function ok(args: string[]): Promise<string> {
  const r = await rdblens(args);
  assert.equal(r.code, 0, `rdblens ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

async function toParquet(files: string[], name: string, extra: string[] = []): Promise<string> {
  const out = path.join(dir, name);
  await ok(['csv', '-q', '--now', NOW, '--format', 'parquet', ...extra, ...files, '-o', out]);
  return out;
}

/** The rows of a Parquet file in file order. */
function rowsOf(file: string): Promise<Array<Record<string, unknown>>> {
  return query(`SELECT * FROM read_parquet(${lit(file)}, file_row_number = true) ORDER BY file_row_number`);
}

function blob(v: unknown): Buffer {
  assert.ok(v instanceof DuckDBBlobValue, `a BLOB, not ${String(v)}`);
  return Buffer.from(v.bytes);
}

function num(v: unknown): number | null {
  if (v === null) return null;
  assert.ok(typeof v === 'number' || typeof v === 'bigint', `a number, not ${typeof v}`);
  return Number(v);
}

function timeMs(v: unknown): number | null {
  if (v === null) return null;
  assert.ok(v instanceof DuckDBTimestampTZValue, `a TIMESTAMPTZ, not ${String(v)}`);
  return Number(v.micros / 1000n);
}

/** The prefix `prefix<d>` should hold: the deepest prefix at level d, null when the key has fewer. */
function levelPrefix(key: Buffer, d: number): Buffer | null {
  const p = keyPrefix(key, Buffer.from(':'), d);
  return d > 1 && p.length === keyPrefix(key, Buffer.from(':'), d - 1).length ? null : p.length === 0 ? null : p;
}

/** Each Parquet row equals the `csv --extra` row of the same key, and its extra columns hold. */
async function assertSameAsCsv(files: string[], pq: string, escape: 'utf8' | 'print' | 'base64' = 'utf8', extra: string[] = []): Promise<number> {
  const csv = parseCsv(await ok(['csv', '-q', '--extra', '--now', NOW, '--escape', escape, ...extra, ...files]));
  const header = csv.shift()!;
  const rows = await rowsOf(pq);
  assert.equal(rows.length, csv.length, 'one Parquet row per CSV row');
  const at = (name: string): number => header.indexOf(name);
  for (let i = 0; i < rows.length; i++) {
    const p = rows[i]!;
    const c = csv[i]!;
    const key = blob(p.key_bytes);
    const where = `row ${i} (${escapeBytes(key, 'print')})`;
    assert.deepEqual(key, csvKey(c[at('key')]!, escape), `${where}: key bytes`);
    assert.equal(p.key, escapeBytes(key, escape), `${where}: key text`);
    assert.equal(p.database, Number(c[at('database')]), `${where}: database`);
    assert.equal(p.type, c[at('type')], `${where}: type`);
    assert.equal(num(p.size_in_bytes), c[at('size_in_bytes')] === '' ? null : Number(c[at('size_in_bytes')]), `${where}: size`);
    assert.equal(p.encoding, c[at('encoding')], `${where}: encoding`);
    assert.equal(num(p.num_elements), Number(c[at('num_elements')]), `${where}: elements`);
    assert.equal(num(p.len_largest_element), Number(c[at('len_largest_element')]), `${where}: largest element`);
    const expiry = c[at('expiry')]!;
    assert.equal(timeMs(p.expiry), expiry === '' ? null : Date.parse(expiry), `${where}: expiry`);
    assert.deepEqual(unescapeBytes(String(p.prefix), escape), csvKey(c[at('prefix')]!, escape), `${where}: prefix`);
    assert.equal(num(p.ttl), c[at('ttl')] === '' ? null : Number(c[at('ttl')]), `${where}: ttl`);
    assert.equal(p.key_length, Number(c[at('key_length')]), `${where}: key_length`);
    assert.equal(p.profile, c[at('profile')], `${where}: profile`);
    if (files.length > 1) assert.equal(p.file, c[at('file')], `${where}: file`);
    assert.equal(p.shard, p.file, `${where}: shard defaults to the file`);
    assert.equal(p.slot, keyHashSlot(key), `${where}: slot`);
    assert.equal(p.expired, expiry !== '' && Date.parse(expiry) <= NOW_MS, `${where}: expired`);
    for (let d = 1; d <= 3; d++) {
      const want = levelPrefix(key, d);
      assert.equal(p[`prefix${d}`], want === null ? null : escapeBytes(want, escape), `${where}: prefix${d}`);
    }
  }
  return rows.length;
}

test('csv --format parquet: every row as csv --extra has it, on small dumps of every type (binary and empty keys, hash tags)', async () => {
  const pq = await toParquet([...SMALL, MODULE], 'small.parquet');
  const n = await assertSameAsCsv([...SMALL, MODULE], pq);
  const mod = await query(`SELECT type, size_in_bytes FROM ${lit(pq)} WHERE type = 'module'`);
  assert.deepEqual(mod, [{ type: 'module', size_in_bytes: null }]);
  assert.ok(n > 150, `${n} rows`);
  const empty = await query(`SELECT count(*) AS n FROM ${lit(pq)} WHERE key_bytes = ''::BLOB`);
  assert.equal(Number(empty[0]!.n), 1, 'the empty key of strings.rdb is there, as an empty BLOB');
  const binary = await query(`SELECT key FROM ${lit(pq)} WHERE key LIKE '%\\x%'`);
  assert.ok(binary.length >= 1, 'the non-UTF-8 key is written escaped in key, exact in key_bytes');
});

test('csv --format parquet: rows equal csv --extra on a 50k-key dump and with --escape print / base64', async () => {
  assert.equal(await assertSameAsCsv([MIXED_70], await toParquet([MIXED_70], 'mixed70.parquet')), 50509);
  await assertSameAsCsv([STRINGS], await toParquet([STRINGS], 'strings-print.parquet', ['--escape', 'print']), 'print');
  await assertSameAsCsv([STRINGS], await toParquet([STRINGS], 'strings-b64.parquet', ['--escape', 'base64']), 'base64');
  // --largest: the rows chosen after every dump is read, written by the main thread
  const largest = ['--largest', '7', '--type', 'hash,zset'];
  assert.equal(await assertSameAsCsv([MIXED_70, MIXED_72], await toParquet([MIXED_70, MIXED_72], 'largest.parquet', largest), 'utf8', largest), 7);
});

test('csv --format parquet: a dump read by two threads is written as two parts joined by their bytes: the rows of one pass, in order', async () => {
  // the split is for dumps of 64 MiB or more: forced here (as in split.test.ts)
  process.env.RDBLENS_SPLIT_MIN = '0';
  let pq: string;
  try {
    pq = await toParquet([MIXED_70], 'mixed70-split.parquet', ['--jobs', '2']);
  } finally {
    delete process.env.RDBLENS_SPLIT_MIN;
  }
  assert.equal(await assertSameAsCsv([MIXED_70], pq), 50509);
  // the head's rows, then the tail's: each part in row groups of at most 122,880 rows
  const groups = (await query(`SELECT row_group_id, any_value(row_group_num_rows) AS n FROM parquet_metadata(${lit(pq)}) GROUP BY 1 ORDER BY 1`)).map((g) => Number(g.n));
  assert.equal(groups.length, 2, `row groups ${groups.join(', ')}`);
  assert.equal(groups[0]! + groups[1]!, 50509);
  assert.ok(groups[0]! > 20_000 && groups[1]! > 10_000, `the split is near 60 %: ${groups.join(', ')}`);
  const meta = JSON.parse(String((await query(`SELECT decode(value) AS v FROM parquet_kv_metadata(${lit(pq)}) WHERE decode(key) = 'rdblens'`))[0]!.v));
  assert.deepEqual([meta.files.length, meta.files[0].keys, meta.files[0].keys_in_file], [1, 50509, 50509]);
  // readers other than DuckDB's scan: the joined file's offsets are what the bytes say
  const stats = await query(`SELECT count(*) AS n, sum(size_in_bytes) AS b, count(DISTINCT key_bytes) AS k FROM ${lit(pq)}`);
  const whole = await query(`SELECT count(*) AS n, sum(size_in_bytes) AS b, count(DISTINCT key_bytes) AS k FROM ${lit(await toParquet([MIXED_70], 'mixed70-one.parquet', ['--jobs', '1']))}`);
  assert.deepEqual(stats, whole);
});

test('csv --format parquet: column types; row groups of at most 122,880 rows, none across two dumps; the metadata', async () => {
  const files = [MIXED_70, MIXED_72, MIXED_VALKEY];
  const pq = await toParquet(files, 'three.parquet');
  const types = Object.fromEntries((await query(`DESCRIBE SELECT * FROM ${lit(pq)}`)).map((r) => [r.column_name, r.column_type]));
  assert.deepEqual(types, {
    database: 'INTEGER',
    type: 'VARCHAR',
    key: 'VARCHAR',
    size_in_bytes: 'BIGINT',
    encoding: 'VARCHAR',
    num_elements: 'BIGINT',
    len_largest_element: 'BIGINT',
    expiry: 'TIMESTAMP WITH TIME ZONE',
    prefix: 'VARCHAR',
    ttl: 'BIGINT',
    key_length: 'INTEGER',
    profile: 'VARCHAR',
    file: 'VARCHAR',
    key_bytes: 'BLOB',
    shard: 'VARCHAR',
    slot: 'INTEGER',
    expired: 'BOOLEAN',
    prefix1: 'VARCHAR',
    prefix2: 'VARCHAR',
    prefix3: 'VARCHAR',
  });
  const groups = await query(`SELECT row_group_id, any_value(row_group_num_rows) AS n FROM parquet_metadata(${lit(pq)}) GROUP BY 1 ORDER BY 1`);
  assert.deepEqual(
    groups.map((g) => Number(g.n)),
    [50509, 50509, 50509],
  );
  const meta = JSON.parse(String((await query(`SELECT decode(value) AS v FROM parquet_kv_metadata(${lit(pq)}) WHERE decode(key) = 'rdblens'`))[0]!.v));
  const report = JSON.parse(await ok(['report', '-q', '--json', '--now', NOW, ...files]));
  assert.equal(meta.format, 'rdblens-keys');
  assert.equal(meta.now, new Date(NOW_MS).toISOString());
  assert.deepEqual(
    meta.files.map((f: Record<string, unknown>) => [f.file, f.rdb_version, f.profile, f.keys_in_file, f.keys, f.checksum, f.error]),
    report.files.map((f: Record<string, unknown>) => [f.file, f.rdb_version, f.profile, f.keys_in_file, f.keys, f.checksum, null]),
  );
  assert.equal(meta.files[2].profile, 'valkey-8.0');
  assert.equal(meta.files[0].aux['redis-ver'], '7.0.15');
});

/** The sections a report from Parquet must share with the report from the dumps. */
const SECTIONS = ['complete', 'now', 'files', 'total', 'top_keys', 'top_keys_by_elements', 'types', 'encodings', 'prefixes', 'ttl', 'databases', 'size_histogram'];

test('report a.parquet b.parquet gives the report of a.rdb b.rdb (totals, prefixes, top keys, per-shard); MEMORY STATS and DOCTOR marked not available', async () => {
  const dumps = [MIXED_70, MIXED_72, ...SMALL.slice(0, 3), MODULE];
  const args = ['report', '-q', '--json', '--now', NOW, '-n', '25', '--prefixes', '40', '--depth', '2'];
  const fromDumps = JSON.parse(await ok([...args, ...dumps]));
  // one after the other: an export holds a libuv thread for DuckDB's COPY while it runs
  const each: string[] = [];
  for (const [i, d] of dumps.entries()) each.push(await toParquet([d], `shard-${i}.parquet`));
  const fromEach = JSON.parse(await ok([...args, ...each]));
  const fromOne = JSON.parse(await ok([...args, await toParquet(dumps, 'all.parquet')]));
  for (const s of SECTIONS) {
    assert.deepEqual(fromEach[s], fromDumps[s], `${s}: one Parquet per dump`);
    assert.deepEqual(fromOne[s], fromDumps[s], `${s}: all dumps in one Parquet`);
  }
  assert.ok(fromDumps.files.length === 6 && fromDumps.prefixes.length > 10 && fromDumps.top_keys.length === 25);
  assert.equal(fromDumps.total.unknown_size, 1);
  assert.notEqual(fromDumps.memory_stats, null);
  assert.equal(fromEach.memory_stats, null);
  assert.equal(fromEach.doctor, null);
  assert.match(fromEach.not_available.memory_stats, /not available from Parquet input/);
  const text = await ok(['report', '-q', '--now', NOW, ...each]);
  assert.match(text, /MEMORY STATS, MEMORY DOCTOR\n {2}not available from Parquet input/);
  assert.match(text, /Per file/);
  // the report's own filters apply to the rows
  const filtered = ['--db', '0', '--type', 'hash', '--min-bytes', '200'];
  const a = JSON.parse(await ok([...args, ...filtered, ...dumps]));
  const b = JSON.parse(await ok([...args, ...filtered, ...each]));
  for (const s of SECTIONS) assert.deepEqual(b[s], a[s], `${s} with filters`);
});

test('report over a Parquet file without rdblens metadata (rewritten by another tool): the same per-key sections', async () => {
  const pq = await toParquet([MIXED_72], 'meta.parquet', ['--shard', 'x']);
  const bare = path.join(dir, 'bare.parquet');
  await (await duck()).run(`COPY (SELECT * FROM ${lit(pq)}) TO ${lit(bare)} (FORMAT parquet)`);
  assert.equal((await query(`SELECT count(*) AS n FROM parquet_kv_metadata(${lit(bare)}) WHERE decode(key) = 'rdblens'`))[0]!.n, 0n);
  const args = ['report', '-q', '--json', '--now', NOW];
  const a = JSON.parse(await ok([...args, pq]));
  const b = JSON.parse(await ok([...args, bare]));
  for (const s of SECTIONS.filter((x) => x !== 'files')) assert.deepEqual(b[s], a[s], s);
  assert.deepEqual(
    b.files.map((f: Record<string, unknown>) => [f.file, f.keys, f.bytes, f.profile]),
    a.files.map((f: Record<string, unknown>) => [f.file, f.keys, f.bytes, f.profile]),
  );
  assert.equal(b.files[0].checksum, 'unknown');
});

test('a truncated dump: its rows are written, csv exits 1, and the report from the Parquet says INCOMPLETE as the dump report does', async () => {
  const out = path.join(dir, 'truncated.parquet');
  const r = await rdblens(['csv', '-q', '--now', NOW, '--format', 'parquet', TRUNCATED, '-o', out]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /truncated-mid-value\.rdb: .* at byte \d+/);
  const fromDump = JSON.parse((await rdblens(['report', '-q', '--json', '--now', NOW, TRUNCATED])).stdout);
  const fromPq = await rdblens(['report', '-q', '--json', '--now', NOW, out]);
  assert.equal(fromPq.code, 1, 'the report from the Parquet exits 1 too');
  const doc = JSON.parse(fromPq.stdout);
  assert.equal(doc.complete, false);
  for (const s of SECTIONS) assert.deepEqual(doc[s], fromDump[s], s);
  assert.ok(doc.files[0].error.message.includes('truncated-mid-value.rdb'));
});

test('hostile keys from a real redis-server: quotes, commas, newlines, backslashes, formulas, binary, unicode; exact in key_bytes', async (t) => {
  const redis = await startRedis();
  t.after(() => redis.stop());
  const keys = [
    Buffer.from('a,"b"\nc'),
    Buffer.from('back\\slash:1'),
    Buffer.from('=cmd|calc:2'),
    Buffer.from('cr\r:lf\n'),
    Buffer.from([0xff, 0x00, 0x3a, 0x80]),
    Buffer.from('emoji:🚀:1'),
    Buffer.from('{tag}:x:y:z'),
    Buffer.from(' lead space:'),
    Buffer.from('plain:key:1'),
    Buffer.alloc(0),
  ];
  for (const k of keys) assert.equal(await redis.command('SET', k, 'v'), 'OK');
  await redis.command('HSET', Buffer.from('h,:"'), 'f', '1');
  await redis.command('PEXPIREAT', Buffer.from('plain:key:1'), String(NOW_MS + 5000));
  const dump = await redis.save();
  const pq = await toParquet([dump], 'hostile.parquet', ['--shard', 'node-a']);
  await assertSameAsCsv([dump], await toParquet([dump], 'hostile-default.parquet'));
  const rows = await query(`SELECT key_bytes, shard FROM ${lit(pq)}`);
  const got = rows.map((r) => blob(r.key_bytes).toString('hex')).sort();
  assert.deepEqual(got, [...keys, Buffer.from('h,:"')].map((k) => k.toString('hex')).sort());
  assert.ok(rows.every((r) => r.shard === 'node-a'));
  // a CR inside a quoted key: lines end in LF (new_line is set, not sniffed: a sniff once took CR)
  const cr = await toParquet([dump], 'hostile-cr.parquet', ['--match', 'cr*']);
  assert.deepEqual(
    (await query(`SELECT key_bytes FROM ${lit(cr)}`)).map((r) => blob(r.key_bytes).toString('hex')),
    [Buffer.from('cr\r:lf\n').toString('hex')],
  );
  const ttl = await query(`SELECT ttl, expired FROM ${lit(pq)} WHERE key = 'plain:key:1'`);
  assert.deepEqual([num(ttl[0]!.ttl), ttl[0]!.expired], [5000, false]);
  // the live source (SCAN, DUMP): the same rows as its CSV, the same keys as the dump's
  const url = `redis://127.0.0.1:${redis.port}`;
  const live = await toParquet([url], 'hostile-live.parquet');
  assert.equal(await assertSameAsCsv([url], live), keys.length + 1);
  const liveKeys = (await query(`SELECT key_bytes, file FROM ${lit(live)}`)).map((r) => [blob(r.key_bytes).toString('hex'), r.file]);
  assert.deepEqual(liveKeys.map((k) => k[0]).sort(), got);
  assert.ok(liveKeys.every((k) => k[1] === url), 'file: the source as given');
});

test('sql: a query over Parquet and dumps together, as a table, --csv and --json; --example; errors', async () => {
  const pq = await toParquet([MIXED_72], 'sql-72.parquet', ['--shard', 'b']);
  const q = 'select shard, prefix1, count(*) as keys, sum(size_in_bytes) as bytes from keys group by all order by shard, bytes desc';
  const json = JSON.parse(await ok(['sql', '-q', '--now', NOW, '--shard', 'a', '--json', q, MIXED_70, pq]));
  // expected from the CSV rows of each dump
  const expect: Array<Record<string, unknown>> = [];
  for (const [shard, file] of [
    ['a', MIXED_70],
    ['b', MIXED_72],
  ] as const) {
    const csv = parseCsv(await ok(['csv', '-q', '--now', NOW, file]));
    csv.shift();
    const by = new Map<string, { keys: number; bytes: number }>();
    for (const c of csv) {
      const p = keyPrefix(csvKey(c[2]!), Buffer.from(':'), 1).toString('utf8') || null;
      const t = by.get(String(p)) ?? { keys: 0, bytes: 0 };
      t.keys++;
      t.bytes += Number(c[3]);
      by.set(String(p), t);
    }
    for (const [p, t] of [...by].sort((x, y) => y[1].bytes - x[1].bytes)) expect.push({ shard, prefix1: p === 'null' ? null : p, ...t });
  }
  assert.deepEqual(json, expect);
  const csvOut = parseCsv(await ok(['sql', '-q', '--now', NOW, '--csv', q, pq]));
  assert.deepEqual(csvOut[0], ['shard', 'prefix1', 'keys', 'bytes']);
  assert.deepEqual(
    csvOut.slice(1).map((r) => [r[0], r[1], Number(r[2]), Number(r[3])]),
    expect.filter((e) => e.shard === 'b').map((e) => [e.shard, e.prefix1 ?? '', e.keys, e.bytes]),
  );
  const table = await ok(['sql', '-q', q, pq]);
  assert.match(table, /^shard +prefix1 +keys +bytes\n/);
  assert.match(table, /\(\d+ rows?\)\n$/);
  const top = JSON.parse(await ok(['sql', '-q', '--json', '--example', 'top-keys', pq]));
  const report = JSON.parse(await ok(['report', '-q', '--json', '-n', '20', '--now', NOW, MIXED_72]));
  assert.deepEqual(
    top.map((r: Record<string, unknown>) => [r.key, r.size_in_bytes]),
    report.top_keys.map((r: Record<string, unknown>) => [r.key, r.bytes]),
  );
  const shards = JSON.parse(await ok(['sql', '-q', '--json', '--example', 'shards', pq, MIXED_70, '--shard', 'a']));
  assert.deepEqual(
    shards.map((s: Record<string, unknown>) => [s.shard, s.keys]),
    [
      ['a', 50509],
      ['b', 50509],
    ],
  );
  const bad = await rdblens(['sql', 'select nope from keys', pq]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /^rdblens: sql: Binder Error/);
  assert.equal((await rdblens(['sql', '--example', 'no-such', pq])).code, 2);
  assert.equal((await rdblens(['report', MIXED_70, pq])).code, 2, 'dumps and Parquet mixed');
  assert.equal((await rdblens(['csv', '--format', 'parquet', '--shard', 'x', '--shard', 'y', MIXED_70, '-o', path.join(dir, 'x.parquet')])).code, 2);
});

test('csv --format parquet: a missing dump makes no file; an unwritable output fails first', async () => {
  const out = path.join(dir, 'never.parquet');
  const r = await rdblens(['csv', '--format', 'parquet', path.join(dir, 'missing.rdb'), '-o', out]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /missing\.rdb: no such file or directory/);
  assert.throws(() => statSync(out));
  const w = await rdblens(['csv', '--format', 'parquet', STRINGS, '-o', path.join(dir, 'no-dir', 'x.parquet')]);
  assert.equal(w.code, 1);
  assert.match(w.stderr, /no-dir\/x\.parquet: no such file or directory/);
  // standard output: the same bytes as a file
  const viaStdout = await rdblens(['csv', '-q', '--now', NOW, '--format', 'parquet', STRINGS]);
  assert.equal(viaStdout.code, 0);
  assert.equal(viaStdout.raw.subarray(0, 4).toString('latin1'), 'PAR1');
  const file = readFileSync(await toParquet([STRINGS], 'strings-file.parquet'));
  assert.equal(viaStdout.raw.length, file.length);
});
