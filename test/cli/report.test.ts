/**
 * `rdblens report`, `prefixes`, `top`, `stats`, `doctor` against the corpus ground truth: totals,
 * types, databases, TTLs and prefixes add up to what the server holds; several dumps merge into
 * the sum of the singles with a section per file, the same whatever the number of threads.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corpusPath, groundTruth, keyId, manifest, type GtKey } from '../helpers/corpus.js';
import { wantColor } from '../../src/report/text.js';
import { csvKey, parseCsv, rdblens } from './cli-helpers.js';

const NOW = '2026-01-01T00:00:00Z';
const LARGE = 'generated/redis-7.2.6/mixed-large.rdb';
const gtOf = (rdb: string): GtKey[] => groundTruth(manifest().find((f) => f.rdb === rdb)!).keys!;
const mem = (k: GtKey): number => (Array.isArray(k.memory_usage) ? k.memory_usage[0]! : k.memory_usage!);

interface Tally {
  keys: number;
  bytes: number;
}
interface ReportDoc {
  complete: boolean;
  files: Array<{ file: string; keys: number; bytes: number; keys_in_file: number; profile: string; error: unknown }>;
  total: { keys: number; bytes: number; expires: number; keys_in_file: number };
  memory_stats: Record<string, unknown>;
  doctor: string;
  types: Array<Tally & { type: string; percent: number }>;
  encodings: Array<Tally & { type: string; encoding: string }>;
  ttl: Array<Tally & { ttl: string }>;
  databases: Array<Tally & { db: number; expires: number }>;
  size_histogram: Tally[];
  top_keys: Array<{ key: string; bytes: number; db: number }>;
  prefixes: Array<Tally & { prefix: string }>;
}

async function report(args: string[]): Promise<ReportDoc> {
  const r = await rdblens(['report', '-q', '--json', '--now', NOW, ...args]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as ReportDoc;
}

const sum = (xs: Tally[]): Tally => xs.reduce((a, b) => ({ keys: a.keys + b.keys, bytes: a.bytes + b.bytes }), { keys: 0, bytes: 0 });

test('report --json: every breakdown sums to the totals, and the totals to the ground truth', { timeout: 120_000 }, async () => {
  const gt = gtOf(LARGE);
  const doc = await report(['--escape', 'base64', corpusPath(LARGE)]);
  assert.equal(doc.complete, true);
  assert.equal(doc.total.keys, gt.length);
  assert.equal(doc.total.keys_in_file, gt.length);
  const gtBytes = gt.reduce((s, k) => s + mem(k), 0);
  assert.ok(Math.abs(doc.total.bytes - gtBytes) <= gtBytes * 0.01, `${doc.total.bytes} vs server ${gtBytes}`);
  assert.equal(doc.total.expires, gt.filter((k) => k.pexpiretime >= 0).length);
  for (const parts of [doc.types, doc.encodings, doc.ttl, doc.databases, doc.size_histogram]) assert.deepEqual(sum(parts), { keys: doc.total.keys, bytes: doc.total.bytes });
  for (const t of doc.types) {
    const ks = gt.filter((k) => k.type === t.type);
    assert.equal(t.keys, ks.length, t.type);
    const b = ks.reduce((s, k) => s + mem(k), 0);
    assert.ok(Math.abs(t.bytes - b) <= b * 0.02, `${t.type}: ${t.bytes} vs ${b}`);
  }
  for (const e of doc.encodings) assert.equal(e.keys, gt.filter((k) => k.type === e.type && k.encoding === e.encoding).length, `${e.type}/${e.encoding}`);
  for (const d of doc.databases) {
    assert.equal(d.keys, gt.filter((k) => k.db === d.db).length);
    assert.equal(d.expires, gt.filter((k) => k.db === d.db && k.pexpiretime >= 0).length);
  }
  assert.equal(doc.ttl.find((t) => t.ttl === 'none')!.keys, gt.filter((k) => k.pexpiretime < 0).length);
  assert.equal(doc.memory_stats['keys.count'], gt.length);
  assert.equal(doc.files.length, 1);
  assert.equal(doc.files[0]!.profile, 'redis-7.2');
  // top keys: the largest by MEMORY USAGE, largest first
  const sizes = doc.top_keys.map((k) => k.bytes);
  assert.deepEqual(sizes, [...sizes].sort((a, b) => b - a));
  const serverTop = [...gt].sort((a, b) => mem(b) - mem(a)).slice(0, 3).map((k) => k.key_b64);
  assert.deepEqual(new Set(doc.top_keys.slice(0, 3).map((k) => k.key)), new Set(serverTop));
  assert.match(doc.doctor, /Largest keys found/);
});

test('several dumps: totals are the sums of the singles, a section per file; parallel = sequential', { timeout: 300_000 }, async () => {
  const dumps = ['generated/redis-7.0.15/mixed-large.rdb', 'generated/redis-7.2.6/multi-db.rdb', 'generated/redis-7.4.1/mixed-large.rdb'].map(corpusPath);
  const singles = [];
  for (const d of dumps) singles.push(await report([d]));
  const parallel = await rdblens(['report', '-q', '--json', '--now', NOW, '-j', '3', ...dumps]);
  const sequential = await rdblens(['report', '-q', '--json', '--now', NOW, '-j', '1', ...dumps]);
  assert.equal(parallel.stdout, sequential.stdout);
  const doc = JSON.parse(parallel.stdout) as ReportDoc;
  assert.equal(doc.total.keys, singles.reduce((s, x) => s + x.total.keys, 0));
  assert.equal(doc.total.bytes, singles.reduce((s, x) => s + x.total.bytes, 0));
  assert.equal(doc.total.expires, singles.reduce((s, x) => s + x.total.expires, 0));
  assert.deepEqual(
    doc.files.map((f) => [f.file, f.keys, f.bytes, f.profile]),
    singles.map((s, i) => [dumps[i], s.total.keys, s.total.bytes, s.files[0]!.profile]),
  );
  for (const parts of [doc.types, doc.ttl, doc.databases]) assert.deepEqual(sum(parts), { keys: doc.total.keys, bytes: doc.total.bytes });
  // each file's keys against its ground truth
  for (const [i, rdb] of ['generated/redis-7.0.15/mixed-large.rdb', 'generated/redis-7.2.6/multi-db.rdb', 'generated/redis-7.4.1/mixed-large.rdb'].entries()) {
    assert.equal(doc.files[i]!.keys, gtOf(rdb).length, rdb);
  }
  // the text shows the per-file section with the skew
  const text = await rdblens(['report', '-q', '--now', NOW, ...dumps]);
  assert.match(text.stdout, /Per file/);
  assert.match(text.stdout, /vs mean/);
});

test('report text: sections, colour only when asked for or on a TTY without NO_COLOR', { timeout: 120_000 }, async () => {
  const plain = await rdblens(['report', '-q', '--now', NOW, 'samples/demo.rdb']);
  assert.equal(plain.code, 0, plain.stderr);
  for (const s of ['rdblens report: samples/demo.rdb', 'MEMORY STATS', 'MEMORY DOCTOR', 'Largest keys', 'Memory by type', 'Memory by type and encoding', 'Memory by key prefix', 'TTL distribution']) {
    assert.ok(plain.stdout.includes(s), s);
  }
  assert.ok(!plain.stdout.includes('\u001b['), 'no ANSI codes when not a TTY');
  assert.ok(!plain.stdout.includes('Per file'), 'no per-file section for one file');
  const coloured = await rdblens(['report', '-q', '--now', NOW, '--color', 'always', 'samples/demo.rdb']);
  assert.ok(coloured.stdout.includes('\u001b[1m'));
  assert.equal(coloured.stdout.replace(/\u001b\[[0-9;]*m/g, ''), plain.stdout);
  assert.equal(wantColor('auto', { isTTY: true }, {}), true);
  assert.equal(wantColor('auto', { isTTY: true }, { NO_COLOR: '1' }), false);
  assert.equal(wantColor('auto', { isTTY: false }, {}), false);
  assert.equal(wantColor('always', { isTTY: false }, { NO_COLOR: '1' }), true);
  assert.equal(wantColor('never', { isTTY: true }, {}), false);
});

test('prefixes: keys and bytes per prefix from the ground truth; JSON and CSV agree', { timeout: 120_000 }, async () => {
  const gt = gtOf(LARGE);
  const r = await rdblens(['prefixes', '-q', '--json', '--escape', 'base64', '--depth', '2', '--now', NOW, corpusPath(LARGE)]);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as { prefixes: Array<{ prefix: string; depth: number; keys: number; bytes: number; keys_no_ttl: number; bytes_no_ttl: number; percent: number; mean: number }>; total_bytes: number };
  const byPrefix = new Map<string, GtKey[]>();
  for (const k of gt) {
    const key = Buffer.from(k.key_b64, 'base64');
    let end = 0;
    for (let d = 1; d <= 2; d++) {
      const i = key.indexOf(0x3a, end);
      if (i < 0) break;
      end = i + 1;
      const p = key.subarray(0, end).toString('base64');
      const list = byPrefix.get(p);
      if (list) list.push(k);
      else byPrefix.set(p, [k]);
    }
  }
  assert.equal(doc.prefixes.length, byPrefix.size);
  for (const p of doc.prefixes) {
    const ks = byPrefix.get(p.prefix)!;
    assert.ok(ks, p.prefix);
    assert.equal(p.keys, ks.length);
    assert.equal(p.keys_no_ttl, ks.filter((k) => k.pexpiretime < 0).length);
    const b = ks.reduce((s, k) => s + mem(k), 0);
    assert.ok(Math.abs(p.bytes - b) <= b * 0.02, `${p.prefix}: ${p.bytes} vs ${b}`);
    assert.ok(Math.abs(p.percent - (p.bytes / doc.total_bytes) * 100) < 1e-3);
    assert.equal(p.mean, Math.round(p.bytes / p.keys));
  }
  const bytes = doc.prefixes.map((p) => p.bytes);
  assert.deepEqual(bytes, [...bytes].sort((a, b) => b - a));
  const csv = await rdblens(['prefixes', '-q', '--csv', '--escape', 'base64', '--depth', '2', '--now', NOW, corpusPath(LARGE)]);
  const recs = parseCsv(csv.stdout);
  assert.deepEqual(recs[0], ['prefix', 'depth', 'keys', 'bytes', 'percent', 'mean', 'keys_no_ttl', 'bytes_no_ttl']);
  assert.deepEqual(
    recs.slice(1).map((x) => [csvKey(x[0]!, 'base64').toString('base64'), Number(x[2]), Number(x[3])]),
    doc.prefixes.map((p) => [p.prefix, p.keys, p.bytes]),
  );
  const text = await rdblens(['prefixes', '-q', '-n', '3', corpusPath(LARGE)]);
  assert.match(text.stdout, /more prefixes not shown/);
});

test('top: the N largest by memory (the CSV sizes) and by element count (the ground truth)', { timeout: 120_000 }, async () => {
  const file = corpusPath(LARGE);
  const rows = parseCsv((await rdblens(['csv', '-q', '--escape', 'base64', file])).stdout).slice(1);
  const bySize = rows.map((r) => ({ id: keyId(Number(r[0]), csvKey(r[2]!, 'base64')), bytes: Number(r[3]) })).sort((a, b) => b.bytes - a.bytes);
  const top = await rdblens(['top', '-q', '--json', '-n', '15', '--escape', 'base64', file]);
  const doc = JSON.parse(top.stdout) as { keys: Array<{ rank: number; db: number; key: string; bytes: number; elements: number; type: string }> };
  assert.equal(doc.keys.length, 15);
  assert.deepEqual(
    doc.keys.map((k) => k.bytes),
    bySize.slice(0, 15).map((x) => x.bytes),
  );
  assert.deepEqual(
    doc.keys.map((k) => k.rank),
    Array.from({ length: 15 }, (_, i) => i + 1),
  );
  const gt = gtOf(LARGE).filter((k) => k.type !== 'string');
  const byLen = [...gt].sort((a, b) => b.length - a.length).slice(0, 5);
  const el = JSON.parse((await rdblens(['top', '-q', '--json', '-n', '5', '--by', 'elements', '--escape', 'base64', file])).stdout) as typeof doc;
  assert.deepEqual(
    el.keys.map((k) => k.elements),
    byLen.map((k) => k.length),
  );
  const csv = parseCsv((await rdblens(['top', '-q', '--csv', '-n', '3', file])).stdout);
  assert.deepEqual(csv[0], ['rank', 'db', 'key', 'type', 'encoding', 'bytes', 'elements', 'expiry']);
  assert.equal(csv.length, 4);
});

test('stats and doctor: redis-cli layout, JSON; shards summed', { timeout: 120_000 }, async () => {
  const gt = groundTruth(manifest().find((f) => f.rdb === LARGE)!);
  const text = await rdblens(['stats', '-q', corpusPath(LARGE)]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^ 1\) "peak\.allocated"\n 2\) \(integer\) \d+\n/);
  assert.match(text.stdout, /\) "db\.0"\n\d+\) 1\) "overhead\.hashtable\.main"\n {4}2\) \(integer\) \d+\n/);
  const json = JSON.parse((await rdblens(['stats', '-q', '--json', corpusPath(LARGE)])).stdout) as { memory_stats: Record<string, unknown> };
  const server = gt.memory_stats as Record<string, unknown>;
  assert.deepEqual(Object.keys(json.memory_stats), Object.keys(server), 'the fields the server lists, in its order');
  assert.equal(json.memory_stats['keys.count'], server['keys.count']);
  const two = JSON.parse((await rdblens(['stats', '-q', '--json', corpusPath(LARGE), corpusPath(LARGE)])).stdout) as typeof json;
  assert.equal(two.memory_stats['keys.count'], 2 * (server['keys.count'] as number));
  const doctor = await rdblens(['doctor', '-q', corpusPath(LARGE)]);
  assert.equal(doctor.code, 0);
  assert.match(doctor.stdout, /Largest keys found:/);
  const dj = JSON.parse((await rdblens(['doctor', '-q', '--json', corpusPath(LARGE)])).stdout) as { text: string; tips: unknown[] };
  assert.equal(dj.text.trimEnd(), doctor.stdout.trimEnd());
  assert.ok(Array.isArray(dj.tips));
});
