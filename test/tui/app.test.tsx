/**
 * The explorer driven with its keys through ink-testing-library, on corpus dumps and the sample
 * dump: each view, what its keys do, and the numbers on screen against the corpus ground truth
 * (key counts exact, sizes within the calculator's accuracy) and against src/memory.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { memoryStats, statsField } from '../../src/memory/stats.js';
import { memoryDoctor } from '../../src/memory/doctor.js';
import { ExpiryTally } from '../../src/tui/data/expiry.js';
import { formatBytes, formatCount, terminalText } from '../../src/tui/data/format.js';
import { corpusPath, groundTruth, gtBytes, manifest, type GtKey } from '../helpers/corpus.js';
import { CORPUS_NOW, drive, explorerOptions, KEYS, loadExplorer, tableRows } from './harness.js';
import { unzipEntries } from '../helpers/zip.js';
import { explorerReport } from '../../src/tui/data/export-xlsx.js';

const MIXED = 'generated/redis-7.2.6/mixed-large.rdb';
const HASHES = 'generated/redis-7.2.6/hashes.rdb';
const LISTS = 'generated/redis-7.2.6/lists.rdb';
const truth = (rel: string) => groundTruth(manifest().find((m) => m.rdb === rel)!);

/** MEMORY USAGE in the ground truth (the middle of the three skiplist loads). */
function mu(k: GtKey): number {
  const m = k.memory_usage!;
  return Array.isArray(m) ? [...m].sort((a, b) => a - b)[1]! : m;
}

/** Parse a size as the screen prints it back to bytes (approximately: 3 significant digits). */
function parseSize(text: string): number {
  const m = /^([\d.]+) (B|KiB|MiB|GiB)$/.exec(text.trim());
  assert.ok(m, `not a size: ${JSON.stringify(text)}`);
  return Number(m[1]) * 1024 ** ['B', 'KiB', 'MiB', 'GiB'].indexOf(m[2]!);
}

const within = (a: number, b: number, rel: number) => Math.abs(a - b) <= Math.abs(b) * rel;

test('overview: totals, estimated used_memory, MEMORY STATS, keys by type exactly as the ground truth', async () => {
  const ex = await loadExplorer(MIXED);
  const gt = truth(MIXED);
  const d = await drive({ explorer: ex }, { columns: 100, rows: 60 });
  try {
    const f = d.frame();
    assert.match(f, /1 Overview/);
    assert.match(f, /50,509 keys/);
    const used = statsField(memoryStats(ex.loaded.analyses), 'total.allocated') as number;
    assert.ok(f.includes(`used_memory ≈ ${formatBytes(used)}`), f);
    // the estimate against the real server's used_memory after loading this dump
    assert.ok(within(used, Number(gt.info_memory!.used_memory), 0.05), `${used} vs ${gt.info_memory!.used_memory}`);
    assert.match(f, /MEMORY STATS \(estimated for redis-7\.2/);
    assert.match(f, /keys\.count\s+50,509/);
    const count = new Map<string, number>();
    for (const k of gt.keys!) count.set(k.type, (count.get(k.type) ?? 0) + 1);
    const lines = d.lines();
    const at = lines.findIndex((l) => l.startsWith('Memory by type'));
    for (const [type, n] of count) {
      const row = lines.slice(at + 1, at + 8).find((l) => l.trimStart().startsWith(type + ' '));
      assert.ok(row, `no ${type} row`);
      const cols = row.trim().split(/\s{2,}|\s(?=[\d,]+\s)/);
      assert.ok(row.includes(` ${formatCount(n)} `), `${type}: ${row} (want ${n})`);
      assert.ok(cols.length > 0);
    }
    assert.match(f, /Memory by encoding/);
    assert.match(f, /hash\/listpack/);
  } finally {
    d.unmount();
  }
});

test('overview scrolls at 80x24; the frame fits the terminal', async () => {
  const ex = await loadExplorer(MIXED);
  const d = await drive({ explorer: ex });
  try {
    const lines = d.lines();
    assert.equal(lines.length, 23, 'one line less than the terminal');
    for (const l of lines) assert.ok(l.length <= 80, `too wide: ${l}`);
    assert.match(d.frame(), /↓ lines 1-18 of \d+/);
    const before = lines[2];
    await d.press(KEYS.down, KEYS.down);
    assert.notEqual(d.lines()[2], before);
    assert.match(d.frame(), /↑ ↓ lines 3-20 of/);
    await d.press(KEYS.end);
    assert.match(d.frame(), /↑ {3}lines \d+-(\d+) of \1/);
    assert.match(d.lines().at(-1)!, /↑↓ scroll {2}\/ filter {2}e export {2}1-6 views {2}\? help {2}q quit/);
  } finally {
    d.unmount();
  }
});

test('doctor: the tips of MEMORY DOCTOR, savings first, the selected one explained', async () => {
  const ex = await loadExplorer('samples/demo.rdb', { now: Date.UTC(2029, 5, 1) });
  const report = memoryDoctor(ex.loaded.analyses);
  assert.ok(report.tips.length >= 2);
  const d = await drive({ explorer: ex }, { columns: 120, rows: 30 });
  try {
    const f = await d.press('2');
    assert.match(f, new RegExp(`advice \\(${report.tips.length}\\)`));
    const rows = tableRows(f, /advice/);
    assert.equal(rows.length, report.tips.length);
    const first = report.tips.filter((t) => t.kind === 'saving').sort((a, b) => b.bytes - a.bytes)[0]!;
    assert.ok(rows[0]!.startsWith('› ' + first.title), rows[0]);
    assert.ok(rows[0]!.includes(`saves`) && rows[0]!.includes(formatBytes(first.bytes)), rows[0]);
    assert.ok(f.includes(first.lines[0]!.slice(0, 60)), 'the selected tip is explained');
    const second = await d.press(KEYS.down);
    assert.ok(tableRows(second, /advice/)[1]!.startsWith('› '));
    assert.notEqual(second, f);
  } finally {
    d.unmount();
  }
});

test('top keys: the largest keys with their sizes (vs MEMORY USAGE), paging, sorts', async () => {
  const ex = await loadExplorer(MIXED);
  const gt = truth(MIXED);
  const byName = new Map(gt.keys!.map((k) => [`${k.db}:${k.key}`, k]));
  const d = await drive({ explorer: ex });
  try {
    let f = await d.press('3');
    assert.match(f, /50,509 keys · by memory, largest first/);
    const rows = tableRows(f, /^ +# key/);
    assert.equal(rows.length, 17, 'a page fills the view');
    const sizes = gt.keys!.map(mu).sort((a, b) => b - a);
    for (const [i, row] of rows.entries()) {
      const m = /^[› ] +(\d+) (\S+) +(\d+) (\w+) +([\d.]+ \w+) +([\d,-]+) +(\S+)$/.exec(row);
      assert.ok(m, row);
      assert.equal(Number(m[1]), i + 1);
      const k = byName.get(`${m[3]}:${m[2]}`)!;
      assert.ok(k, `${m[2]} not in the ground truth`);
      assert.equal(m[4], k.type);
      // rounded to 3 digits on screen; MEMORY USAGE within 2 %, and the rank's size too
      assert.ok(within(parseSize(m[5]!), mu(k), 0.025), `${row} vs ${mu(k)}`);
      assert.ok(within(mu(k), sizes[i]!, 0.025), `${row}: rank ${i + 1} should be about ${sizes[i]}`);
      assert.equal(m[6], k.type === 'string' ? '-' : formatCount(k.length));
    }
    f = await d.press(KEYS.pageDown);
    assert.match(tableRows(f, /^ +# key/)[0]!, /^› +18 /);
    f = await d.press(KEYS.end);
    assert.match(tableRows(f, /^ +# key/).at(-1)!, /^› 50509 /);
    f = await d.press(KEYS.home, 's');
    assert.match(f, /by elements, most first/);
    assert.match(f, /elements ▼/);
    assert.match(tableRows(f, /^ +# key/)[0]!, /k:biglist:\d .* 10,000 /);
    f = await d.press('r');
    assert.match(f, /elements ▲/);
    assert.match(tableRows(f, /^ +# key/)[0]!, / - +-?\S*$/, 'reversed: strings (no elements) first');
    f = await d.press('s');
    assert.match(f, /by TTL, soonest to expire first/);
    const soonest = Math.min(...gt.keys!.filter((k) => k.pexpiretime >= 0).map((k) => k.pexpiretime));
    const first = gt.keys!.find((k) => k.pexpiretime === soonest)!;
    assert.ok(tableRows(f, /^ +# key/)[0]!.includes(first.key!), `${tableRows(f, /^ +# key/)[0]} vs ${first.key}`);
  } finally {
    d.unmount();
  }
});

test('key detail: type, encoding, TTL, MEMORY USAGE with its breakdown, the fields read from the dump', async () => {
  const ex = await loadExplorer(HASHES);
  const gt = truth(HASHES);
  const d = await drive({ explorer: ex }, { columns: 100, rows: 40 });
  try {
    for (const name of ['hash:small', 'hash:hashtable-big', 'hash:binary']) {
      const k = gt.keys!.find((x) => x.key === name)!;
      await d.press('3', '/', KEYS.ctrlU, ...name, KEYS.enter);
      await d.waitFor('1 of 11 keys match');
      const f = await d.press(KEYS.enter);
      const shown = f.includes('MEMORY USAGE') ? f : await d.waitFor('MEMORY USAGE');
      assert.match(shown, new RegExp(`Type +hash · encoding ${k.encoding}`));
      assert.match(shown, /TTL +none \(persistent\)/);
      const m = /MEMORY USAGE +\S+ \S+ \(([\d,]+) bytes\)/.exec(shown);
      assert.ok(m, shown);
      assert.ok(within(Number(m[1]!.replace(/,/g, '')), mu(k), 0.02), `${name}: ${m[1]} vs ${mu(k)}`);
      assert.match(shown, /key name \d+ B · object 16 B · dict entry \d+ B · value [\d,]+ B/);
      assert.match(shown, new RegExp(`Length +${formatCount(k.length)} fields`));
      const pairs = (k.value as { pairs: [unknown, unknown][] }).pairs;
      const fields = new Set(pairs.map(([fl]) => terminalText(gtBytes(fl as string), 'utf8')));
      const lines = d.lines();
      const at = lines.findIndex((l) => l.startsWith('First fields'));
      assert.ok(at > 0, shown);
      assert.match(lines[at]!, new RegExp(`\\(${Math.min(200, k.length)} of ${formatCount(k.length)}\\)`));
      for (const l of lines.slice(at + 1, at + 1 + Math.min(pairs.length, 5))) {
        if (/lines \d+-\d+ of/.test(l)) break;
        const field = l.trim().split(/\s+/)[0]!;
        assert.ok([...fields].some((x) => x.startsWith(field.replace(/…$/, ''))), `${name}: ${field} not a field`);
      }
      await d.press(KEYS.escape);
      assert.match(d.frame(), /1 of 11 keys match/);
    }
  } finally {
    d.unmount();
  }
});

test('key detail: list elements in order, scrolling, Esc back to the list', async () => {
  const ex = await loadExplorer(LISTS);
  const gt = truth(LISTS);
  const k = gt.keys!.filter((x) => x.type === 'list' && x.length > 40).sort((a, b) => a.key!.localeCompare(b.key!))[0]!;
  const d = await drive({ explorer: ex });
  try {
    await d.press('3', '/', ...k.key!, KEYS.enter);
    await d.waitFor(/1 of [\d,]+ keys match/);
    await d.press(KEYS.enter);
    const f = await d.waitFor('First elements');
    const values = (k.value as unknown[]).map((v) => terminalText(gtBytes(v as string), 'utf8'));
    const lines = f.split('\n');
    const at = lines.findIndex((l) => l.startsWith('First elements'));
    const first = lines[at + 1]!;
    assert.match(first, /^ {2}\[0\] +(\S+)/);
    assert.ok(values[0]!.startsWith(/^ {2}\[0\] +(\S+?)…?$/.exec(first)![1]!), `${first} vs ${values[0]}`);
    const second = lines[at + 2]!;
    assert.ok(values[1]!.startsWith(/^ {2}\[1\] +(\S+?)…?$/.exec(second)![1]!), `${second} vs ${values[1]}`);
    const more = await d.press(KEYS.pageDown);
    assert.notEqual(more, f);
    assert.match(more, /↑ ↓ lines/);
    const back = await d.press(KEYS.escape);
    assert.match(back, /1 of [\d,]+ keys match/);
    assert.doesNotMatch(back, /⏎ Key/);
  } finally {
    d.unmount();
  }
});

test('prefixes: Enter descends, Backspace goes up, counts exactly as the ground truth, t lists the keys', async () => {
  const ex = await loadExplorer(MIXED);
  const gt = truth(MIXED);
  const under = (p: string) => gt.keys!.filter((k) => k.key!.startsWith(p));
  const d = await drive({ explorer: ex });
  try {
    let f = await d.press('4');
    assert.match(f, /\(all keys\) 50,509 keys/);
    let rows = tableRows(f, /^ +prefix/);
    assert.match(rows[0]!, new RegExp(`^› k: ▸ +${formatCount(under('k:').length)} `));
    assert.ok(rows.some((r) => r.includes('db1: ▸') && r.includes(` ${formatCount(under('db1:').length)} `)));
    f = await d.press(KEYS.enter);
    assert.match(f, /k: 50,009 keys/);
    assert.match(f, /level 1\/3/);
    rows = tableRows(f, /^ +prefix/);
    for (const p of ['k:str:', 'k:hash:', 'k:zset:', 'k:list:', 'k:set:', 'k:stream:']) {
      const row = rows.find((r) => r.includes(` ${p} `) || r.includes(` ${p} ▸`));
      assert.ok(row, `${p}: ${rows.join('\n')}`);
      assert.ok(row.includes(` ${formatCount(under(p).length)} `), `${p}: ${row} want ${under(p).length}`);
      // the share without TTL: bytes of keys without one
      assert.match(row, /\d+\.\d%$/);
    }
    await d.press(KEYS.down);
    f = await d.press(KEYS.backspace);
    assert.match(f, /\(all keys\)/);
    assert.match(tableRows(f, /^ +prefix/)[0]!, /^› k:/, 'back on the prefix we came from');
    // t: the keys under the selected prefix, in Top keys
    await d.press(KEYS.enter, KEYS.down);
    const sel = tableRows(d.frame(), /^ +prefix/).find((r) => r.startsWith('›'))!;
    const p = /^› (\S+)/.exec(sel)![1]!;
    await d.press('t');
    f = await d.waitFor('keys match');
    assert.match(f, new RegExp(`${formatCount(under(p).length)} of 50,509 keys match ${p.replace(/[*]/g, '\\*')}\\*`));
  } finally {
    d.unmount();
  }
});

test('expiry: keys by time left exactly as the ground truth; Enter lists a bucket by TTL', async () => {
  const ex = await loadExplorer(MIXED);
  const gt = truth(MIXED);
  const want = new ExpiryTally(CORPUS_NOW);
  for (const k of gt.keys!) want.add(k.pexpiretime, 0);
  const d = await drive({ explorer: ex }, { columns: 100, rows: 30 });
  try {
    const f = await d.press('5');
    const withTtl = gt.keys!.filter((k) => k.pexpiretime >= 0).length;
    assert.match(f, new RegExp(`${formatCount(withTtl)} of 50,509 keys have a TTL`));
    const rows = tableRows(f, /^ +time left +keys/);
    const buckets = want.buckets();
    assert.equal(rows.length, buckets.length);
    for (const [i, b] of buckets.entries()) {
      assert.ok(rows[i]!.slice(2).startsWith(b.label), rows[i]);
      assert.ok(rows[i]!.includes(` ${formatCount(b.keys)} `), `${b.label}: ${rows[i]} want ${b.keys}`);
    }
    const busiest = buckets.slice(1).reduce((best, b, i) => (b.keys > buckets[best + 1]!.keys ? i : best), 0) + 1;
    for (let i = 0; i < busiest; i++) await d.press(KEYS.down);
    const keys = await d.press(KEYS.enter);
    assert.match(keys, /by TTL, soonest to expire first/);
    const firstRow = tableRows(keys, /^ +# key/)[0]!;
    assert.match(firstRow, /^› /);
    assert.doesNotMatch(firstRow, / - *$/, 'the first key of the bucket has a TTL');
  } finally {
    d.unmount();
  }
});

test('filter: glob, regex, a bad regex, clearing; the filter follows into Prefixes and Expiry', async () => {
  const ex = await loadExplorer(MIXED);
  const gt = truth(MIXED);
  const d = await drive({ explorer: ex });
  try {
    await d.press('3', '/');
    assert.match(d.lines().at(-2)!, /^\/ glob or \/regex\/:/);
    await d.press(...'k:bighash:*', KEYS.enter);
    let f = await d.waitFor('keys match');
    assert.match(f, /3 of 50,509 keys match k:bighash:\*/);
    assert.equal(tableRows(f, /^ +# key/).length, 3);
    assert.match(f, /\[k:bighash:\*\] 3 keys$/m);
    await d.waitFor(/filter k:bighash:\*: 3 keys \(\S+ \S+\) in \d+ ms/);
    f = await d.press('4');
    assert.match(f, /\(all keys\) 3 keys/);
    assert.match(f, /filtered/);
    f = await d.press('5');
    assert.match(f, /0 of 3 keys have a TTL|\d+ of 3 keys have a TTL/);
    await d.press('3', '/', KEYS.ctrlU, ...'/^db1:/', KEYS.enter);
    f = await d.waitFor(/500 of 50,509 keys match/);
    assert.equal(gt.keys!.filter((k) => k.key!.startsWith('db1:')).length, 500);
    await d.press('/', KEYS.ctrlU, ...'/([/', KEYS.enter);
    assert.match(d.frame(), /not a valid regular expression/);
    await d.press(KEYS.escape);
    assert.match(d.frame(), /500 of 50,509 keys match/, 'a bad pattern leaves the filter as it was');
    await d.press('/', KEYS.ctrlU, KEYS.enter);
    f = await d.waitFor('filter cleared');
    assert.match(f, /50,509 keys · by memory/);
  } finally {
    d.unmount();
  }
});

test('export: E writes the current view as CSV and shows the path', async () => {
  const ex = await loadExplorer(MIXED);
  const dir = mkdtempSync(path.join(tmpdir(), 'rdblens-tui-export-'));
  const d = await drive({ explorer: ex }, { exportDir: dir, columns: 200 });
  try {
    await d.press('3', '/', ...'k:bigzset:*', KEYS.enter);
    await d.waitFor('3 of 50,509');
    await d.press('E');
    let f = await d.waitFor('exported ');
    const m = /exported 3 rows to (\S+\.csv)/.exec(f);
    assert.ok(m, f);
    assert.equal(path.dirname(m[1]!), dir);
    const lines = readFileSync(m[1]!, 'utf8').trimEnd().split('\n');
    assert.equal(lines.length, 4);
    assert.ok(lines.slice(1).every((l) => /^0,zset,k:bigzset:\d,\d+,skiplist,/.test(l)), lines.join('\n'));
    await d.press('5', 'E');
    f = await d.waitFor(/exported 12 rows/);
    const file = /exported 12 rows to (\S+\.csv)/.exec(f)![1]!;
    assert.ok(existsSync(file));
    assert.match(readFileSync(file, 'utf8'), /^time_left,keys,size_in_bytes\nno TTL,3,/);
  } finally {
    d.unmount();
    rmSync(dir, { recursive: true, force: true });
  }
});


test('export: e writes the report as a workbook (the sheets of report --xlsx) and shows the path', async () => {
  const ex = await loadExplorer(MIXED);
  const dir = mkdtempSync(path.join(tmpdir(), 'rdblens-tui-xlsx-'));
  const d = await drive({ explorer: ex }, { exportDir: dir, columns: 200 });
  try {
    await d.press('e');
    const f = await d.waitFor('exported the report');
    const m = /exported the report \((\d+) sheets\) to (\S+\.xlsx)/.exec(f);
    assert.ok(m, f);
    assert.equal(m[1], '10');
    assert.equal(path.dirname(m[2]!), dir);
    const zip = unzipEntries(readFileSync(m[2]!));
    const names = [...zip.get('xl/workbook.xml')!.toString('utf8').matchAll(/<sheet [^>]*name="([^"]+)"/g)].map((x) => x[1]);
    assert.deepEqual(names, ['Summary', 'Doctor', 'Top keys', 'Top by elements', 'Prefixes', 'Types', 'Encodings', 'TTL', 'Databases', 'Shards']);
    // the Summary's total.keys row: the explorer's key count, as a number
    const summary = zip.get('xl/worksheets/sheet1.xml')!.toString('utf8');
    assert.match(summary, new RegExp(`<v>total</v></c><c r="B\\d+" t="str"><v>keys</v></c><c r="C\\d+" s="\\d+"><v>${ex.index.size}</v>`));
    // the largest key leads the Top keys sheet
    const top = zip.get('xl/worksheets/sheet3.xml')!.toString('utf8');
    const largest = explorerReport(ex).model.topByMemory[0]!;
    assert.match(top, new RegExp(`<row r="2"[^>]*>.*?<v>${largest.key.toString()}</v>.*?<v>${largest.bytes}</v>`));
  } finally {
    d.unmount();
    rmSync(dir, { recursive: true, force: true });
  }
});
test('help, Tab between views, and q quits', async () => {
  const ex = await loadExplorer('samples/demo.rdb');
  const d = await drive({ explorer: ex });
  try {
    let f = await d.press('?');
    assert.match(f, /Everywhere/);
    assert.match(f, /filter keys: a Redis glob/);
    f = await d.press('x');
    assert.doesNotMatch(f, /Everywhere/);
    f = await d.press(KEYS.tab, KEYS.tab);
    assert.match(f, /6,315 keys · by memory/);
    // after q the app has exited: later keys change nothing on screen (counting frames is
    // fragile on a busy machine, where a late render of the Tab presses can still arrive)
    const afterQ = await d.press('q');
    const later = await d.press('2', KEYS.down);
    assert.equal(later, afterQ, 'keys after q change nothing');
  } finally {
    d.unmount();
  }
});

test('resize: follows the terminal; a tiny terminal gets a notice, not a crash', async () => {
  const ex = await loadExplorer('samples/demo.rdb');
  const d = await drive({ explorer: ex });
  try {
    await d.press('3');
    let f = await d.resize(120, 40);
    assert.equal(f.split('\n').length, 39);
    assert.equal(tableRows(f, /^ +# key/).length, 33);
    assert.match(f, /encoding/, 'wide enough for the encoding column');
    f = await d.resize(30, 8);
    assert.match(f, /Terminal too small \(30x8\)/);
    await d.press(KEYS.down, 's');
    f = await d.resize(80, 24);
    assert.equal(f.split('\n').length, 23);
    for (const l of f.split('\n')) assert.ok(l.length <= 80, l);
    assert.equal(tableRows(f, /^ +# key/).length, 17);
  } finally {
    d.unmount();
  }
});

test('several keys in one read go where the first ones lead', async () => {
  const ex = await loadExplorer('samples/demo.rdb');
  const d = await drive({ explorer: ex });
  try {
    await d.write('3' + KEYS.down + KEYS.down + KEYS.enter);
    const f = await d.waitFor('MEMORY USAGE');
    const third = ex.index.info(ex.index.order('memory')[2]!);
    assert.match(f, new RegExp(`Key +${third.key.toString()}`));
    await d.press(KEYS.escape);
    await d.write('/' + 'user:*' + KEYS.enter + KEYS.down + KEYS.down);
    const list = await d.waitFor('keys match user:*');
    assert.match(tableRows(list, /^ +# key/)[2]!, /^› +3 user:/);
  } finally {
    d.unmount();
  }
});

test('an empty dump: every view, no key', async () => {
  const ex = await loadExplorer('generated/redis-7.2.6/empty.rdb');
  const d = await drive({ explorer: ex });
  try {
    assert.match(d.frame(), /0 keys/);
    assert.match(await d.press('2'), /2 Doctor/);
    assert.match(await d.press('3', KEYS.down, KEYS.enter, 's'), /The dump holds no key\./);
    assert.match(await d.press('4', KEYS.enter, KEYS.backspace), /No key here\./);
    assert.match(await d.press('5'), /0 of 0 keys have a TTL/);
    assert.match(await d.press(KEYS.enter), /The dump holds no key\./);
    await d.press('/', ...'x*', KEYS.enter);
    assert.match(await d.waitFor('keys match'), /0 of 0 keys match x\*/);
  } finally {
    d.unmount();
  }
});

test('a truncated dump: the error and the keys read before it', async () => {
  const rel = 'corrupt/truncated-mid-value.rdb';
  const expected = manifest().find((m) => m.rdb === rel)!.expected!;
  const ex = await loadExplorer(rel);
  const d = await drive({ explorer: ex }, { columns: 120, rows: 30 });
  try {
    let f = d.frame();
    assert.match(f, /⚠ .*unexpected_eof at byte 352/);
    assert.match(f, new RegExp(`showing the ${expected.complete_keys_before_error.length} keys read before it`));
    f = await d.press('3');
    const names = tableRows(f, /^ +# key/).map((r) => r.replace(/^›/, '').trim().split(/\s+/)[1]);
    assert.deepEqual(names.sort(), [...expected.complete_keys_before_error].sort());
    assert.match(d.lines().at(-2)!, /⚠ .*unexpected_eof/);
  } finally {
    d.unmount();
  }
});

/** The overview once loaded (the loading screen shows the tabs too, under "loading <file>"). */
const loadedOverview = (f: string): boolean => f.includes('1 Overview') && !f.includes('rdblens loading');

test('loading: the progress screen, then the views; several dumps as one keyspace', async () => {
  const files = ['generated/redis-7.2.6/multi-db.rdb', HASHES].map(corpusPath);
  const d = await drive({ options: explorerOptions(files) });
  try {
    const f = await d.waitFor(loadedOverview);
    assert.ok(d.history().some((x) => /rdblens loading 2 dumps/.test(x)), 'the loading screen came first');
    assert.match(f, /multi-db\.rdb \+1 more/);
    const keys = files.map((file) => truth(path.relative(corpusPath(''), file)).keys!.length).reduce((a, b) => a + b);
    assert.match(f, new RegExp(`${formatCount(keys)} keys`));
  } finally {
    d.unmount();
  }
  const big = await drive({ options: explorerOptions([corpusPath(MIXED)]) });
  try {
    const done = await big.waitFor(loadedOverview);
    const progress = big.history().filter((x) => /Reading|Indexing/.test(x));
    assert.ok(progress.length > 0, 'a progress frame');
    // the overview as it accrues: the view tabs, the keys so far and their memory by type
    const last = progress.at(-1)!;
    assert.match(last, /1 Overview/);
    assert.match(last, /Keys +[\d,]+ in db 0/);
    assert.match(last, /Memory by type \(so far\)/);
    assert.doesNotMatch(last, /MEMORY STATS|used_memory/);
    // once every key is read (indexing), the keys so far are all of the dump's
    const indexing = progress.filter((x) => /Indexing/.test(x)).at(-1);
    if (indexing) assert.match(indexing, new RegExp(`Keys +${formatCount(truth(MIXED).keys!.length)} in db 0`));
    assert.match(done, /used_memory/);
  } finally {
    big.unmount();
  }
});

test('loading: a missing file is shown, q quits', async () => {
  const d = await drive({ options: explorerOptions(['/nonexistent/dump.rdb']) });
  try {
    const f = await d.waitFor('rdblens:');
    assert.match(f, /no such file|ENOENT/);
    assert.match(f, /q quits/);
  } finally {
    d.unmount();
  }
});
