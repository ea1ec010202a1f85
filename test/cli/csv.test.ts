/**
 * `rdblens csv` checked against the corpus ground truth (../shared/rdb-corpus): one row per key
 * the server holds, with its type, length and expiry; size_in_bytes equal to our calculator's
 * MEMORY USAGE and within a few % of the server's; each filter narrows to exactly the keys the
 * ground truth says; several dumps at once give the single files' rows in file order, the same
 * bytes whatever the number of threads.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { analyzeDump, type AnalyzeOptions } from '../../src/memory/analyze.js';
import { globMatch } from '../../src/rdb/glob.js';
import { corpusPath, groundTruth, keyId, manifest, type GtKey, type ManifestFile } from '../helpers/corpus.js';
import { csvKey, parseCsv, rdblens } from './cli-helpers.js';

const HEADER = ['database', 'type', 'key', 'size_in_bytes', 'encoding', 'num_elements', 'len_largest_element', 'expiry'];
const NOW = String(Date.UTC(2026, 0, 1));

const files = manifest();
const byPath = (rdb: string): ManifestFile => files.find((f) => f.rdb === rdb)!;

/** Dumps whose every key is held by the server after loading (nothing expired or dropped). */
const COMPLETE = files.filter((f) => {
  if (f.kind !== 'generated' || f.rdb.includes('mixed-large')) return false;
  const gt = groundTruth(f);
  return gt.keys !== undefined && gt.keys.length > 0 && gt.redis_check_rdb?.counts.keys_read === gt.keys.length;
});

const mem = (k: GtKey): number[] => (Array.isArray(k.memory_usage) ? k.memory_usage : [k.memory_usage!]);

/** Our calculator's MEMORY USAGE per key (in process, the same analysis the CLI runs). */
async function ourSizes(file: string, opts: AnalyzeOptions = {}): Promise<Map<string, { bytes: number; encoding: string }>> {
  const out = new Map<string, { bytes: number; encoding: string }>();
  await analyzeDump(file, { ...opts, onKey: (r) => out.set(keyId(r.db, r.key), { bytes: r.bytes, encoding: r.encoding }) });
  return out;
}

interface Row {
  db: number;
  type: string;
  key: Buffer;
  size: string;
  encoding: string;
  elements: number;
  largest: number;
  expiry: string;
}

function rowsOf(text: string, mode: 'utf8' | 'base64' = 'base64'): Row[] {
  const recs = parseCsv(text);
  assert.deepEqual(recs[0], HEADER);
  return recs.slice(1).map((r) => ({
    db: Number(r[0]),
    type: r[1]!,
    key: csvKey(r[2]!, mode),
    size: r[3]!,
    encoding: r[4]!,
    elements: Number(r[5]),
    largest: Number(r[6]),
    expiry: r[7]!,
  }));
}

async function csv(args: string[]): Promise<string> {
  const r = await rdblens(['csv', '-q', ...args]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

test('one row per key the server holds: type, length, expiry; sizes = calculator, ~ server', { timeout: 600_000 }, async () => {
  assert.ok(COMPLETE.length >= 40, `${COMPLETE.length} complete corpus dumps`);
  // all of them in one run: the file column tells them apart
  const recs = parseCsv(await csv(['--escape', 'base64', '--extra', ...COMPLETE.map((f) => corpusPath(f.rdb))]));
  assert.deepEqual(recs[0]!.slice(0, HEADER.length), HEADER);
  const byFile = new Map<string, Row[]>();
  for (const r of recs.slice(1)) {
    const list = byFile.get(r[12]!) ?? [];
    list.push({ db: Number(r[0]), type: r[1]!, key: csvKey(r[2]!, 'base64'), size: r[3]!, encoding: r[4]!, elements: Number(r[5]), largest: Number(r[6]), expiry: r[7]! });
    byFile.set(r[12]!, list);
  }
  for (const f of COMPLETE) {
    const gt = groundTruth(f);
    const rows = byFile.get(corpusPath(f.rdb)) ?? [];
    assert.equal(rows.length, gt.keys!.length, f.rdb);
    const ours = await ourSizes(corpusPath(f.rdb));
    const want = new Map(gt.keys!.map((k) => [keyId(k.db, Buffer.from(k.key_b64, 'base64')), k]));
    for (const r of rows) {
      const id = keyId(r.db, r.key);
      const k = want.get(id);
      assert.ok(k, `${f.rdb}: ${id} is not in the ground truth`);
      want.delete(id);
      const where = `${f.rdb} ${k.key ?? k.key_b64}`;
      assert.equal(r.type, k.type, where);
      assert.equal(r.elements, k.length, where);
      assert.equal(r.expiry, k.pexpiretime < 0 ? '' : new Date(k.pexpiretime).toISOString(), where);
      const o = ours.get(id)!;
      assert.equal(r.size, String(o.bytes), `${where}: size_in_bytes is the calculator's`);
      if (k.encoding !== 'unknown') assert.equal(r.encoding, k.encoding, `${where}: OBJECT ENCODING`);
      const m = mem(k);
      const lo = Math.min(...m) * 0.97;
      const hi = Math.max(...m) * 1.03;
      assert.ok(o.bytes >= lo && o.bytes <= hi, `${where}: ${o.bytes} vs server ${m.join('/')}`);
    }
    assert.equal(want.size, 0, `${f.rdb}: keys missing from the CSV`);
  }
});

test('module values: size_in_bytes is empty, never 0', async () => {
  const text = await csv([corpusPath('public/redis-rdb-tools/redis_40_with_module.rdb')]);
  const rows = rowsOf(text, 'utf8');
  const mod = rows.filter((r) => r.type === 'module');
  assert.equal(mod.length, 1);
  assert.equal(mod[0]!.size, '');
  assert.ok(rows.filter((r) => r.type !== 'module').every((r) => /^\d+$/.test(r.size)));
});

const LARGE = byPath('generated/redis-7.2.6/mixed-large.rdb');

test('filters narrow to exactly the keys the ground truth says', { timeout: 600_000 }, async () => {
  const gt = groundTruth(LARGE).keys!;
  const file = corpusPath(LARGE.rdb);
  const ours = await ourSizes(file);
  const keyOf = (k: GtKey): Buffer => Buffer.from(k.key_b64, 'base64');
  const size = (k: GtKey): number => ours.get(keyId(k.db, keyOf(k)))!.bytes;
  const ids = (keys: GtKey[]): string[] => keys.map((k) => keyId(k.db, keyOf(k))).sort();
  const got = async (args: string[]): Promise<string[]> =>
    rowsOf(await csv(['--escape', 'base64', '--now', NOW, ...args, file]))
      .map((r) => keyId(r.db, r.key))
      .sort();
  const cut = Date.UTC(2028, 0, 1);
  const cases: Array<[string[], (k: GtKey) => boolean]> = [
    [['--db', '1'], (k) => k.db === 1],
    [['--db', '0,1'], () => true],
    [['--type', 'hash', '--type', 'zset'], (k) => k.type === 'hash' || k.type === 'zset'],
    [['--type', 'stream,list'], (k) => k.type === 'stream' || k.type === 'list'],
    [['--match', 'k:str:1*'], (k) => globMatch(Buffer.from('k:str:1*'), keyOf(k))],
    [['--match', 'k:[sz]set:?5'], (k) => globMatch(Buffer.from('k:[sz]set:?5'), keyOf(k))],
    [['--regex', '^k:(set|zset):\\d*7$'], (k) => /^k:(set|zset):\d*7$/.test(keyOf(k).toString('utf8'))],
    [['--min-bytes', '1000'], (k) => size(k) >= 1000],
    [['--max-bytes', '1kb'], (k) => size(k) <= 1024],
    [['--min-bytes', '200', '--max-bytes', '300', '--type', 'string'], (k) => k.type === 'string' && size(k) >= 200 && size(k) <= 300],
    [['--expiry', 'none'], (k) => k.pexpiretime < 0],
    [['--expiry', 'any'], (k) => k.pexpiretime >= 0],
    [['--expiry', `before=${new Date(cut).toISOString()}`], (k) => k.pexpiretime >= 0 && k.pexpiretime < cut],
    [['--expiry', `after=${cut}`], (k) => k.pexpiretime > cut],
    [['--expiry', 'expired', '--now', '4102444800000'], (k) => k.pexpiretime >= 0 && k.pexpiretime <= 4102444800000],
  ];
  for (const [args, keep] of cases) {
    const want = ids(gt.filter(keep));
    assert.ok(want.length > 0, `${args.join(' ')} selects something`);
    assert.deepEqual(await got(args), want, args.join(' '));
  }
  // the server's sizes agree with ours on which side of each bound a key falls, but for keys
  // within 3% of it
  for (const k of gt) {
    const m = mem(k)[0]!;
    if (Math.abs(m - 1000) > 30) assert.equal(m >= 1000, size(k) >= 1000, k.key);
  }
});

test('--largest N: the N largest keys after the other filters, in file order', { timeout: 120_000 }, async () => {
  const file = corpusPath(LARGE.rdb);
  const all = rowsOf(await csv(['--escape', 'base64', file]));
  const strings = all.filter((r) => r.type === 'string');
  const rank = (rows: Row[], n: number): Row[] => {
    const idx = rows.map((r, i) => ({ r, i }));
    idx.sort((a, b) => Number(b.r.size) - Number(a.r.size) || a.i - b.i);
    return idx
      .slice(0, n)
      .sort((a, b) => a.i - b.i)
      .map((x) => x.r);
  };
  assert.deepEqual(rowsOf(await csv(['--escape', 'base64', '--largest', '25', file])), rank(all, 25));
  assert.deepEqual(rowsOf(await csv(['--escape', 'base64', '--largest', '7', '--type', 'string', file])), rank(strings, 7));
});

test('--target and --config: sizes as that server would report them', { timeout: 120_000 }, async () => {
  const f = byPath('generated/redis-7.2.6/hashes.rdb');
  const file = corpusPath(f.rdb);
  const rows = rowsOf(await csv(['--escape', 'base64', '--target', '7.4.1', file]));
  const gt = new Map(groundTruth(f).keys!.map((k) => [keyId(k.db, Buffer.from(k.key_b64, 'base64')), k]));
  for (const r of rows) {
    const k = gt.get(keyId(r.db, r.key))!;
    const m = k.memory_usage_by_loader!['redis-7.4.1'] as number;
    assert.ok(Math.abs(Number(r.size) - m) <= m * 0.03, `${k.key}: ${r.size} vs redis-7.4.1 ${m}`);
    assert.equal(r.encoding, k.encoding_by_loader!['redis-7.4.1']);
  }
  const big = rowsOf(await csv(['--escape', 'base64', '--target', 'redis-7.4', '--config', 'hash-max-listpack-entries=1024', file]));
  const want = await ourSizes(file, { target: 'redis-7.4', config: { 'hash-max-listpack-entries': 1024 } });
  for (const r of big) assert.equal(r.size, String(want.get(keyId(r.db, r.key))!.bytes));
  assert.ok(big.some((r, i) => r.encoding !== rows[i]!.encoding), 'a bigger listpack limit changes some encoding');
});

test('several dumps: the single files rows in file order; parallel equals sequential byte for byte', { timeout: 300_000 }, async () => {
  const dumps = ['generated/redis-7.0.15/mixed-large.rdb', 'generated/redis-7.2.6/hashes.rdb', 'generated/redis-7.4.1/mixed-large.rdb'].map(corpusPath);
  const parallel = await rdblens(['csv', '-q', '--extra', '--now', NOW, '-j', '3', ...dumps]);
  const sequential = await rdblens(['csv', '-q', '--extra', '--now', NOW, '-j', '1', ...dumps]);
  assert.equal(parallel.code, 0, parallel.stderr);
  assert.ok(parallel.raw.equals(sequential.raw), 'same bytes');
  const merged = parseCsv(parallel.stdout);
  assert.deepEqual(merged[0], [...HEADER, 'prefix', 'ttl', 'key_length', 'profile', 'file']);
  let at = 1;
  for (const d of dumps) {
    const single = parseCsv(await csv(['--extra', '--now', NOW, d]));
    assert.deepEqual(single[0], [...HEADER, 'prefix', 'ttl', 'key_length', 'profile']);
    for (const row of single.slice(1)) {
      assert.deepEqual(merged[at], [...row, d], `row ${at}`);
      at++;
    }
  }
  assert.equal(at, merged.length);
});

test('--extra: prefix, ttl, key_length and profile per key', async () => {
  const f = byPath('generated/redis-7.2.6/expiry.rdb');
  const recs = parseCsv(await csv(['--extra', '--now', NOW, '--escape', 'base64', corpusPath(f.rdb)]));
  const gt = new Map(groundTruth(f).keys!.map((k) => [keyId(k.db, Buffer.from(k.key_b64, 'base64')), k]));
  for (const r of recs.slice(1)) {
    const key = csvKey(r[2]!, 'base64');
    const k = gt.get(keyId(Number(r[0]), key))!;
    const cut = key.subarray(0, nthColonEnd(key, 3));
    assert.equal(csvKey(r[8]!, 'base64').toString('hex'), cut.toString('hex'));
    assert.equal(r[9], k.pexpiretime < 0 ? '' : String(k.pexpiretime - Number(NOW)));
    assert.equal(r[10], String(key.length));
    assert.equal(r[11], 'redis-7.2');
  }
});

/** End of the prefix `rdblens prefixes` counts for a key at depth `depth` (':' separators). */
function nthColonEnd(key: Buffer, depth: number): number {
  let end = 0;
  for (let d = 0; d < depth; d++) {
    const i = key.indexOf(0x3a, end);
    if (i < 0) break;
    end = i + 1;
  }
  return end;
}

test('-o writes the file; key names that look like formulas are neutralized', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rdblens-csv-'));
  try {
    const out = path.join(dir, 'keys.csv');
    const r = await rdblens(['csv', '-q', '-o', out, corpusPath('generated/redis-7.2.6/strings.rdb')]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    const recs = parseCsv(readFileSync(out, 'utf8'));
    assert.deepEqual(recs[0], HEADER);
    // no field a spreadsheet would run as a formula
    for (const rec of recs) for (const field of rec) assert.ok(!/^[=+\-@\t\r]/.test(field), field);
    const neg = recs.find((x) => csvKey(x[2]!).toString() === 'int:-128');
    assert.ok(neg, 'int:-128 is there');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
