/**
 * The explorer's data layer: radix sort, key index orders, filters, TTL buckets, CSV export, on
 * corpus dumps checked against the corpus ground truth.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { radixScratch, radixSortIds, radixSortSteps } from '../../src/tui/data/radix.js';
import { parsePattern, prefixPattern, runFilter, globEscape } from '../../src/tui/data/filter.js';
import { bucketOf, ExpiryTally, EXPIRED, NO_TTL } from '../../src/tui/data/expiry.js';
import { exportPath, writeCsv } from '../../src/tui/data/export-csv.js';
import { keysTable } from '../../src/tui/data/view-tables.js';
import { formatBytes, formatCount, formatDuration, formatTtl, safeText, terminalText } from '../../src/tui/data/format.js';
import { globMatch } from '../../src/rdb/glob.js';
import { groundTruth, manifest, gtBytes, keyId } from '../helpers/corpus.js';
import { CORPUS_NOW, loadExplorer } from './harness.js';

const MIXED = 'generated/redis-7.2.6/mixed-large.rdb';
const gt = () => groundTruth(manifest().find((m) => m.rdb === MIXED)!);

test('radix sort: stable, ascending, same as a comparator sort', () => {
  let seed = 7;
  const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  for (const n of [0, 1, 2, 1000, 70_000]) {
    const keys = Uint32Array.from({ length: n }, (_, i) => (i % 3 === 0 ? rnd() : rnd() % 50));
    const ids = Uint32Array.from({ length: n }, (_, i) => i);
    const want = [...ids].sort((a, b) => keys[a]! - keys[b]! || a - b);
    const got = radixSortIds(ids, Uint32Array.from(keys));
    assert.deepEqual([...got], want);
  }
});

test('radix sort in steps: into another array or in place, whichever digits vary, ids and keys left as they are', () => {
  let seed = 11;
  const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  const shapes: Record<string, () => number> = {
    both: () => rnd(),
    'low only': () => 0x70000 | (rnd() & 0xffff),
    'high only': () => (rnd() & 0xffff0000) | 5,
    neither: () => 0x12345678,
  };
  for (const [shape, key] of Object.entries(shapes)) {
    for (const n of [0, 1, 5000, 70_000]) {
      const keys = Uint32Array.from({ length: n }, key);
      const ids = Uint32Array.from({ length: n }, (_, i) => (i * 7919) % 1_000_003);
      const want = [...ids.keys()].sort((a, b) => keys[a]! - keys[b]! || a - b).map((i) => ids[i]!);
      const keysBefore = [...keys];
      const idsBefore = [...ids];
      const scratch = radixScratch(n + 10);
      const out = new Uint32Array(n);
      const steps = radixSortSteps(ids, keys, out, scratch, 1000);
      let r = steps.next();
      let count = 0;
      while (!r.done) {
        count++;
        r = steps.next();
      }
      assert.equal(r.value, out);
      assert.deepEqual([...out], want, `${shape}, ${n}: into another array`);
      assert.deepEqual([...ids], idsBefore, `${shape}, ${n}: ids untouched`);
      assert.deepEqual([...keys], keysBefore, `${shape}, ${n}: keys untouched`);
      assert.ok(count >= Math.ceil(n / 1000), `${shape}, ${n}: in steps (${count})`);
      assert.deepEqual([...radixSortIds(ids, keys, scratch)], want, `${shape}, ${n}: in place`);
      assert.deepEqual([...keys], keysBefore, `${shape}, ${n}: keys untouched in place`);
    }
  }
});

test('key index: every key once in each order, each order sorted by its field', async () => {
  const ex = await loadExplorer(MIXED);
  const idx = ex.index;
  const truth = gt().keys!;
  assert.equal(idx.size, truth.length);
  for (const field of ['memory', 'elements', 'ttl'] as const) {
    const o = idx.order(field);
    assert.equal(o.length, idx.size);
    assert.equal(new Set(o).size, o.length, `${field}: duplicates`);
    for (let i = 1; i < o.length; i++) {
      const a = o[i - 1]!;
      const b = o[i]!;
      if (field === 'memory') assert.ok(idx.memoryOf(a) >= idx.memoryOf(b), `memory order at ${i}`);
      if (field === 'elements') {
        const la = idx.typeOf(a) === 'string' ? -1 : idx.lengthOf(a);
        const lb = idx.typeOf(b) === 'string' ? -1 : idx.lengthOf(b);
        assert.ok(la >= lb, `elements order at ${i}`);
      }
      if (field === 'ttl') {
        const ea = idx.expireOf(a) < 0 ? Infinity : Math.floor(idx.expireOf(a) / 1000);
        const eb = idx.expireOf(b) < 0 ? Infinity : Math.floor(idx.expireOf(b) / 1000);
        assert.ok(ea <= eb, `ttl order at ${i}`);
      }
    }
  }
  // the largest keys are the ground truth's, their sizes within the calculator's accuracy (2 %:
  // skiplist sizes vary from load to load, so near-ties may swap)
  const byKey = new Map(truth.map((k) => [keyId(k.db, Buffer.from(k.key_b64, 'base64')), k]));
  const sizes = truth.map(mu).sort((a, b) => b - a);
  for (let i = 0; i < 20; i++) {
    const g = idx.order('memory')[i]!;
    const k = byKey.get(keyId(idx.dbOf(g), idx.keyOf(g)))!;
    assert.ok(Math.abs(idx.memoryOf(g) - mu(k)) <= mu(k) * 0.02, `${k.key}: ${idx.memoryOf(g)} vs ${mu(k)}`);
    assert.ok(Math.abs(mu(k) - sizes[i]!) <= sizes[i]! * 0.02, `rank ${i}: ${k.key} ${mu(k)} vs the truth's ${sizes[i]}`);
  }
});

/** MEMORY USAGE in the ground truth (the middle of the three skiplist loads). */
function mu(k: { memory_usage?: number | number[] }): number {
  const m = k.memory_usage!;
  return Array.isArray(m) ? [...m].sort((a, b) => a - b)[1]! : m;
}

test('filter: glob and regex passes match exactly the keys the ground truth says', async () => {
  const ex = await loadExplorer(MIXED);
  const truth = gt().keys!;
  for (const text of ['k:bighash:*', '*:1?', 'k:str:[0-4]*', '/^k:(zset|list):\\d{2}$/', 'no-such-key*']) {
    const pattern = parsePattern(text);
    const res = await runFilter(ex.index, pattern, { now: CORPUS_NOW, prefix: ex.prefixOptions, sliceMs: 2 }).promise;
    assert.ok(res);
    const want = truth.filter((k) => {
      const key = Buffer.from(k.key_b64, 'base64');
      return pattern.kind === 'glob' ? globMatch(Buffer.from(text), key) : new RegExp(text.slice(1, -1)).test(key.toString('utf8'));
    });
    assert.equal(res.keys, want.length, text);
    assert.equal(res.prefixes.root.keys, want.length, `${text}: prefix tree`);
    let expiring = 0;
    for (const b of res.expiry.buckets().slice(1)) expiring += b.keys;
    assert.equal(expiring, want.filter((k) => k.pexpiretime >= 0).length, `${text}: TTL buckets`);
    const ids = new Set(want.map((k) => keyId(k.db, Buffer.from(k.key_b64, 'base64'))));
    const o = res.order('memory');
    assert.equal(o.length, want.length);
    for (const g of o) assert.ok(ids.has(keyId(ex.index.dbOf(g), ex.index.keyOf(g))));
  }
  assert.throws(() => parsePattern('/(unclosed/'), /not a valid regular expression/);
});

test('filter: a new pass cancels the running one', async () => {
  const ex = await loadExplorer(MIXED);
  const run = runFilter(ex.index, parsePattern('*'), { now: CORPUS_NOW, prefix: ex.prefixOptions, sliceMs: 0 });
  run.cancel();
  assert.equal(await run.promise, null);
});

test('prefix pattern: the bytes of the prefix, shown as an escaped glob', () => {
  const p = prefixPattern(Buffer.from('a*b:'), 'a*b:');
  assert.equal(p.text, 'a\\*b:*');
  assert.ok(p.test(Buffer.from('a*b:1')));
  assert.ok(!p.test(Buffer.from('axb:1')));
  assert.equal(globEscape('[x]?\\'), '\\[x\\]\\?\\\\');
});

test('TTL buckets from the time left', () => {
  const now = 1_000_000_000;
  assert.equal(bucketOf(-1, now), NO_TTL);
  assert.equal(bucketOf(now, now), EXPIRED);
  const t = new ExpiryTally(now);
  t.add(-1, 10);
  t.add(now + 30_000, 5);
  t.add(now + 2 * 86_400_000, 7);
  t.add(now + 400 * 86_400_000, 1);
  const b = Object.fromEntries(t.buckets().map((x) => [x.label, [x.keys, x.bytes]]));
  assert.deepEqual(b['no TTL'], [1, 10]);
  assert.deepEqual(b['< 1 minute'], [1, 5]);
  assert.deepEqual(b['< 7 days'], [1, 7]);
  assert.deepEqual(b['1 year or more'], [1, 1]);
});

test('TTL distribution of a dump: counts from the ground truth', async () => {
  const ex = await loadExplorer(MIXED);
  const want = new ExpiryTally(CORPUS_NOW);
  for (const k of gt().keys!) want.add(k.pexpiretime, 0);
  assert.deepEqual([...ex.expiry.keys], [...want.keys]);
});

test('CSV export of the keys: every key, formulas escaped, in the order shown', async () => {
  const ex = await loadExplorer('samples/demo.rdb');
  const dir = mkdtempSync(path.join(tmpdir(), 'rdblens-tui-csv-'));
  try {
    const order = ex.index.order('memory');
    const file = exportPath(dir, 'keys', new Date(2030, 0, 2, 3, 4, 5));
    assert.equal(path.basename(file), 'rdblens-keys-20300102-030405.csv');
    const rows = await writeCsv(file, keysTable(ex, order.length, (r) => order[r]!), undefined, 1);
    assert.equal(rows, ex.index.size);
    const text = readFileSync(file, 'utf8');
    const lines = text.trimEnd().split('\n');
    assert.equal(lines[0], 'database,type,key,size_in_bytes,encoding,num_elements,len_largest_element,expiry,ttl_ms');
    assert.equal(csvRecords(text), ex.index.size + 1);
    const first = ex.index.info(order[0]!);
    assert.ok(lines[1]!.startsWith(`${first.db},${first.type},${first.key.toString()},${first.memory},`));
    // never overwritten: a second export in the same second gets its own name, and writing to
    // an existing file is refused
    assert.equal(path.basename(exportPath(dir, 'keys', new Date(2030, 0, 2, 3, 4, 5))), 'rdblens-keys-20300102-030405-2.csv');
    await assert.rejects(writeCsv(file, keysTable(ex, 1, (r) => order[r]!)), /EEXIST/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Records in CSV text (newlines inside quotes do not end one). */
function csvRecords(text: string): number {
  let n = 0;
  let quoted = false;
  for (const c of text) {
    if (c === '"') quoted = !quoted;
    else if (c === '\n' && !quoted) n++;
  }
  return n;
}

test('formatting: sizes, counts, durations, and key bytes that cannot reach the terminal raw', () => {
  assert.equal(formatBytes(512), '512 B');
  assert.equal(formatBytes(1536), '1.50 KiB');
  assert.equal(formatBytes(1024 * 1024 - 1), '1.00 MiB');
  assert.equal(formatCount(2301908), '2,301,908');
  assert.equal(formatDuration(185_000), '3m05s');
  assert.equal(formatTtl(-1, 0), '-');
  assert.equal(formatTtl(5, 10), 'expired');
  assert.equal(terminalText(Buffer.from('a\u001b[31mb\n'), 'utf8'), 'a\\x1b[31mb\\x0a');
  assert.equal(terminalText(Buffer.from([0xff, 0x41]), 'utf8'), '\\xffA');
  assert.equal(safeText('x\u202ey'), 'x\\xe2\\x80\\xaey');
  assert.equal(gtBytes('ok').toString(), 'ok');
});
