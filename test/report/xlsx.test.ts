/**
 * `rdblens report --xlsx` read by a real spreadsheet program: LibreOffice Calc converts every
 * sheet to CSV (figures) and the workbook to flat ODS (cell types, outline groups, autofilters),
 * and what it read must equal `rdblens report --json` (and, for the Keys sheets, `rdblens csv`),
 * both run as real processes on the same dumps. Inputs: samples/demo.rdb plus two corpus dumps
 * as shards, the demo with the Keys split forced at 1,000 rows, and a dump of hostile key names
 * written by a real redis-server.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { rdblensProcess, ROOT } from '../cli/cli-helpers.js';
import { corpusPath } from '../helpers/corpus.js';
import { findProgram } from '../helpers/programs.js';
import { unzipEntries } from '../helpers/zip.js';
import { CSV_ALL_SHEETS, csvSheets, fodsRows, records, soffice } from '../helpers/libreoffice.js';
import { BINARY_KEY, HOSTILE_KEYS, makeHostileDump } from '../helpers/hostile-dump.js';
import { cellText, escapeBytes, FORMULA_TRIGGERS } from '../../src/report/escape.js';
import { writeWorkbook, XLSX_MAX_ROWS, ZIP_BACKLOG } from '../../src/report/xlsx.js';
import { Writable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { analyzeDump } from '../../src/memory/analyze.js';
import { forEachKey } from '../../src/memory/sizer.js';
import { buildModel } from '../../src/report/model.js';

const SOFFICE = findProgram('soffice');
const skip = SOFFICE === null ? 'LibreOffice (soffice) is not installed' : false;
// Every assert.ok here has a message: without one, node's assert rebuilds the failing expression
// from the (tsx-compiled) source, which takes minutes on this file.

const NOW = ['--now', '2029-06-01T00:00:00Z'];
const DEMO = path.join(ROOT, 'samples/demo.rdb');
const SHARDS = [DEMO, corpusPath('generated/redis-7.2.6/mixed-large.rdb'), corpusPath('generated/redis-7.2.6/multi-db.rdb')];

type Json = Record<string, any>;

let dir = '';
const out = { csv: '', fods: '' };
const docs: Record<'shards' | 'split' | 'hostile', { json: Json; csv: string[][] | null }> = {} as never;
let hostile = '';

async function run(args: string[]): Promise<string> {
  const r = await rdblensProcess(args);
  assert.equal(r.code, 0, `rdblens ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

before(async () => {
  if (skip) return;
  dir = mkdtempSync(path.join(tmpdir(), 'rdblens-xlsx-'));
  hostile = path.join(dir, 'hostile.rdb');
  await makeHostileDump(hostile);
  const x = (name: string): string => path.join(dir, `${name}.xlsx`);
  const common = [...NOW, '-q', '--top', '25'];
  const [shardsJson, , demoCsv, , hostileJson, , hostileCsv] = await Promise.all([
    run(['report', ...SHARDS, ...common, '--json', '--prefixes', '100000']),
    run(['report', ...SHARDS, ...common, '--xlsx', x('shards'), '--keys']),
    run(['csv', DEMO, ...NOW, '-q']),
    run(['report', DEMO, ...common, '--xlsx', x('split'), '--keys', '--xlsx-sheet-rows', '1000']),
    run(['report', hostile, ...common, '--json', '--prefixes', '100000']),
    run(['report', hostile, ...common, '--xlsx', x('hostile'), '--keys']),
    run(['csv', hostile, ...NOW, '-q']),
  ]);
  const demoJson = await run(['report', DEMO, ...common, '--json']);
  // for the flat ODS conversion: the same report without its 56k-key sheet
  await run(['report', ...SHARDS, ...common, '--xlsx', x('outline')]);
  const rows = (text: string): string[][] => parse(text, { relax_column_count: true }) as string[][];
  docs.shards = { json: JSON.parse(shardsJson), csv: null };
  docs.split = { json: JSON.parse(demoJson), csv: rows(demoCsv) };
  docs.hostile = { json: JSON.parse(hostileJson), csv: rows(hostileCsv) };
  out.csv = path.join(dir, 'csv');
  out.fods = path.join(dir, 'fods');
  const profile = path.join(dir, 'lo-profile');
  const files = ['shards', 'split', 'hostile'].map(x);
  // one LibreOffice start per format, all three workbooks each
  await soffice(SOFFICE!, profile, CSV_ALL_SHEETS, out.csv, files);
  await soffice(SOFFICE!, profile, 'fods', out.fods, [x('outline'), x('hostile')]);
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** What a JSON value of a report table looks like in LibreOffice's CSV of the sheet. */
function expectCell(v: unknown, column: string): string | number {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  const s = String(v);
  if (column === 'expiry' && /^\d{4}-\d\d-\d\dT/.test(s)) return s.replace('T', ' ').replace('Z', '');
  return cellText(s);
}

function assertCell(actual: string, expected: string | number, where: string): void {
  if (typeof expected === 'number') {
    assert.ok(actual !== '' && Math.abs(Number(actual) - expected) <= Math.abs(expected) * 1e-12, `${where}: ${actual} != ${expected}`);
  } else assert.equal(actual, expected, where);
}

/** A sheet (LibreOffice's CSV) against a table of `report --json`, row for row, column by header. */
function assertTable(sheet: string[][] | undefined, table: Json[], name: string): void {
  assert.ok(sheet, `sheet ${name} missing`);
  const recs = records(sheet);
  assert.equal(recs.length, table.length, `${name}: rows`);
  assert.deepEqual(sheet[0], Object.keys(table[0] ?? Object.fromEntries(sheet[0]!.map((h) => [h, null]))), `${name}: header`);
  table.forEach((row, i) => {
    for (const [k, v] of Object.entries(row)) assertCell(recs[i]![k]!, expectCell(v, k), `${name} row ${i + 1} ${k}`);
  });
}

function flatStats(stats: Json): Array<[string, unknown]> {
  const outp: Array<[string, unknown]> = [];
  for (const [k, v] of Object.entries(stats)) {
    if (v !== null && typeof v === 'object') for (const [k2, v2] of Object.entries(v)) outp.push([`${k}.${k2}`, v2]);
    else outp.push([k, v]);
  }
  return outp;
}

/** A key field of `rdblens csv` without csv-stringify's formula guard: the escaped key itself. */
function unguard(field: string): string {
  return field.startsWith("'") && FORMULA_TRIGGERS.has(field[1] ?? '') ? field.slice(1) : field;
}

/** The Keys sheets, in order, against `rdblens csv` of the same dump. */
function assertKeys(sheets: Map<string, string[][]>, csv: string[][], names: string[], maxRows: number): void {
  const got: string[][] = [];
  for (const n of names) {
    const s = sheets.get(n);
    assert.ok(s, `sheet ${n} missing`);
    assert.ok(s.length <= maxRows, `${n}: ${s.length} rows`);
    assert.deepEqual(s[0]!.slice(0, 8), csv[0], `${n}: header`);
    got.push(...s.slice(1));
  }
  const want = csv.slice(1);
  assert.equal(got.length, want.length, 'key rows');
  want.forEach((w, i) => {
    const g = got[i]!;
    const expected = [w[0], w[1], cellText(unguard(w[2]!)), w[3], w[4], w[5], w[6], w[7]!.replace('T', ' ').replace('Z', '')];
    assert.deepEqual(g.slice(0, 8), expected, `key row ${i + 1}`);
  });
}

test('the split threshold is Excel’s row limit', () => {
  assert.equal(XLSX_MAX_ROWS, 1_048_576);
});

test('the Keys sheets wait for the zip and for an output that does not take the workbook, and every key gets in once it does', { timeout: 300_000 }, async () => {
  const model = buildModel([await analyzeDump(DEMO, { aggregate: { topN: 10, now: Date.UTC(2029, 5, 1) } })], { topN: 10 });
  // the output takes nothing while stalled: it holds the callback of the write it was given
  let stalled = true;
  let held: (() => void) | null = null;
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk);
      if (stalled) held = cb;
      else cb();
    },
  });
  // the demo’s keys 20 times over (126,300 rows), 50,000 rows per sheet
  const PASSES = 20;
  const MAX_ROWS = 50_000;
  const expected: string[] = [];
  let added = 0;
  // the most XML the zip had not taken when the pass went on (once the output takes everything)
  let maxQueued = 0;
  const done = writeWorkbook(out, { model, stats: null, doctor: null, topKeys: 10, topPrefixes: 10 }, {
    escape: 'utf8',
    maxRows: MAX_ROWS,
    keys: async (sheets) => {
      for (let p = 0; p < PASSES; p++) {
        await forEachKey(
          [DEMO],
          {},
          (row) => {
            if (p === 0) expected.push(cellText(escapeBytes(row.key, 'utf8')));
            sheets.add(row);
            added++;
          },
          async () => {
            await sheets.pause();
            maxQueued = Math.max(maxQueued, sheets.zipQueued());
          },
        );
      }
    },
  });
  // until no key has been added for a second: the pass waits for the output
  for (let last = -1; added !== last; ) {
    last = added;
    await delay(1000);
  }
  // what the zip's queues hold (ZIP_BACKLOG, 4 MiB of XML, and the streams' buffers), not every key
  assert.ok(added > 0 && added < 40_000, `${added} keys written into a workbook nobody reads`);
  stalled = false;
  (held as (() => void) | null)?.();
  const result = await done;
  // exceljs's sheet streams ignore backpressure: without the wait the XML of a fast parse piles up in the zip
  assert.ok(maxQueued <= ZIP_BACKLOG, `${maxQueued} bytes of XML queued for the zip`);
  assert.equal(result.keyRows, PASSES * expected.length, 'key rows');
  assert.deepEqual(result.sheets.slice(-3), ['Keys', 'Keys 2', 'Keys 3']);
  // every key, in order, split at the threshold
  const zip = unzipEntries(Buffer.concat(chunks));
  const first = result.sheets.indexOf('Keys') + 1;
  let n = 0;
  for (let k = 0; k < 3; k++) {
    const xml = zip.get(`xl/worksheets/sheet${first + k}.xml`)!.toString('utf8');
    // (a string cell: <c r="C2" t="str"><v>name</v></c>)
    const keys = [...xml.matchAll(/<c r="C\d+"[^>]*><v>([^<]*)<\/v><\/c>/g)];
    assert.equal(keys[0]?.[1], 'key', `sheet ${k + 1}: header`);
    const rows = keys.length - 1;
    assert.equal(rows, k < 2 ? MAX_ROWS - 1 : PASSES * expected.length - 2 * (MAX_ROWS - 1), `sheet ${k + 1}: rows`);
    for (let i = 1; i <= rows; i++, n++) {
      const text = keys[i]![1]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
      if (text !== expected[n % expected.length]) assert.fail(`key row ${n + 1}: ${JSON.stringify(text)} != ${JSON.stringify(expected[n % expected.length])}`);
    }
  }
  assert.equal(n, PASSES * expected.length);
});

test('an output that fails (/dev/full) ends report --xlsx --keys with its error', { skip: existsSync('/dev/full') ? false : 'no /dev/full', timeout: 120_000 }, async () => {
  // (it used to wait for the output's drain forever: exit 13, nothing said)
  const r = await rdblensProcess(['report', DEMO, ...NOW, '-q', '--xlsx', '/dev/full', '--keys']);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /no space left on device/);
});

test('LibreOffice reads every sheet of a 3-shard workbook and the figures equal report --json', { skip, timeout: 300_000 }, () => {
  const { json } = docs.shards;
  const sheets = csvSheets(out.csv, 'shards');
  assert.deepEqual(
    [...sheets.keys()].sort(),
    ['Databases', 'Doctor', 'Encodings', 'Keys', 'Prefixes', 'Shards', 'Summary', 'TTL', 'Top by elements', 'Top keys', 'Types'],
  );

  // Summary: the totals and every MEMORY STATS field
  const summary = new Map(records(sheets.get('Summary')!).map((r) => [`${r.section}.${r.field}`, r.value!]));
  assert.equal(summary.get('report.files'), '3');
  assert.equal(summary.get('report.complete'), 'TRUE');
  for (const [k, v] of Object.entries(json.total)) assertCell(summary.get(`total.${k}`)!, v as number, `total.${k}`);
  const stats = flatStats(json.memory_stats);
  assert.ok(stats.length > 20, `${stats.length} MEMORY STATS fields`);
  for (const [k, v] of stats) assertCell(summary.get(`memory_stats.${k}`) ?? '<missing>', expectCell(v, k), `memory_stats.${k}`);

  // the report's tables
  assertTable(sheets.get('Top keys'), json.top_keys, 'Top keys');
  assert.equal(json.top_keys.length, 25);
  assertTable(sheets.get('Top by elements'), json.top_keys_by_elements, 'Top by elements');
  assertTable(sheets.get('Types'), json.types, 'Types');
  assertTable(sheets.get('Encodings'), json.encodings, 'Encodings');
  assertTable(sheets.get('TTL'), json.ttl, 'TTL');
  assertTable(sheets.get('Databases'), json.databases, 'Databases');

  // Prefixes: every node (report --json --prefixes 100000 lists them all), in tree order
  const prefixes = records(sheets.get('Prefixes')!);
  const byPrefix = new Map(json.prefixes.map((p: Json) => [cellText(p.prefix), p]));
  assert.equal(prefixes.length, json.prefixes.length);
  assert.ok(prefixes.length > 100, `${prefixes.length} prefixes`);
  const path: string[] = [];
  for (const r of prefixes) {
    const p = byPrefix.get(r.prefix) as Json;
    assert.ok(p, `prefix ${r.prefix} not in the JSON`);
    for (const k of ['depth', 'keys', 'bytes', 'percent', 'mean', 'keys_no_ttl', 'bytes_no_ttl']) assertCell(r[k]!, p[k], `prefix ${r.prefix} ${k}`);
    const depth = Number(r.depth);
    path.length = depth - 1;
    if (depth > 1) assert.ok(r.prefix!.startsWith(path[depth - 2]!), `${r.prefix} follows its parent ${path[depth - 2]}`);
    path.push(r.prefix!);
  }

  // Doctor: a row per tip, its items below
  const doctor = records(sheets.get('Doctor')!);
  const tips = json.doctor_tips as Json[];
  assert.ok(tips.length >= 2, `${tips.length} tips`);
  let i = 0;
  for (const t of tips) {
    const row = doctor[i++]!;
    assert.deepEqual([row.tip, row.title, row.kind, Number(row.bytes)], [t.id, t.title, t.kind, t.bytes]);
    assert.equal(row.advice, cellText(t.lines.join('\n'), false));
    for (const item of t.items) {
      const r = doctor[i++]!;
      assert.deepEqual([r.tip, r.subject, Number(r.keys), Number(r.subject_bytes)], [t.id, cellText(item.subject), item.keys, item.bytes]);
    }
  }
  assert.equal(i, doctor.length);

  // Shards: one row per dump
  const shards = records(sheets.get('Shards')!);
  assert.equal(shards.length, 3);
  json.files.forEach((f: Json, k: number) => {
    const r = shards[k]!;
    assert.deepEqual([r.file, Number(r.keys), Number(r.bytes), Number(r.expires), Number(r.rdb_version), r.server, r.profile, r.status], [f.file, f.keys, f.bytes, f.expires, f.rdb_version, f.server, f.profile, 'ok']);
  });

  // Keys: every key of the three dumps, their sizes adding up to the report's total
  const keys = records(sheets.get('Keys')!);
  assert.equal(keys.length, json.total.keys);
  assert.equal(
    keys.reduce((s, k) => s + Number(k.size_in_bytes || 0), 0),
    json.total.bytes,
  );
  for (const [k, f] of json.files.entries()) assert.equal(keys.filter((r) => r.file === f.file).length, json.files[k].keys);
});

test('LibreOffice: numbers are numbers, prefixes fold as an outline, every sheet has its autofilter', { skip, timeout: 300_000 }, () => {
  const xml = readFileSync(path.join(out.fods, 'outline.fods'), 'utf8');
  const prefixes = fodsRows(xml, 'Prefixes');
  const [header, ...body] = prefixes;
  assert.equal(header!.cells[0]!.text, 'prefix');
  assert.equal(header!.level, 0);
  let levels = 0;
  for (const r of body) {
    const depth = Number(r.cells[1]!.value);
    // depth 1 at the top level, depth 2 one group in, ...
    assert.equal(r.level, depth - 1, `outline level of ${r.cells[0]!.text}`);
    if (r.level > 0) levels++;
    assert.equal(r.cells[0]!.type, 'string');
    for (const c of r.cells.slice(1, 8)) assert.equal(c.type, 'float', `${r.cells[0]!.text}: ${c.text} is a number`);
  }
  assert.ok(levels > 50, `${levels} outlined prefixes`);
  const top = fodsRows(xml, 'Top keys');
  for (const r of top.slice(1)) {
    assert.equal(r.cells[5]!.type, 'float');
    // the byte format: a readable figure shown, the exact number stored
    assert.match(r.cells[5]!.text, /^[\d,.]+ (B|MB|GB)$/);
  }
  const doctor = fodsRows(xml, 'Doctor');
  assert.ok(doctor.some((r) => r.level === 1) && doctor.some((r) => r.level === 0 && r.cells[0]!.text !== 'tip'), 'Doctor: tips at level 0, items at level 1');
  // autofilters LibreOffice imported: one database range with filter buttons per sheet
  const ranges = [...xml.matchAll(/<table:database-range [^>]*table:target-range-address="([^"]+)"[^>]*table:display-filter-buttons="true"/g)].map((m) => m[1]!.split('.')[0]!.replace(/^&apos;|&apos;$/g, ''));
  assert.deepEqual(ranges.sort(), ['Databases', 'Doctor', 'Encodings', 'Prefixes', 'Shards', 'Summary', 'TTL', 'Top by elements', 'Top keys', 'Types']);
  const hostile = readFileSync(path.join(out.fods, 'hostile.fods'), 'utf8');
  assert.match(hostile, /<table:database-range [^>]*table:target-range-address="Keys\.A1:Keys\.H46"[^>]*table:display-filter-buttons="true"/);
});

test('frozen header rows, bold headers, column widths that fit', { skip, timeout: 60_000 }, () => {
  // (LibreOffice's headless exports carry no view settings: the sheets are read from the file itself)
  const zip = unzipEntries(readFileSync(path.join(dir, 'outline.xlsx')));
  const sheets = [...zip.keys()].filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n));
  assert.equal(sheets.length, 10);
  for (const n of sheets) {
    const xml = zip.get(n)!.toString('utf8');
    assert.match(xml, /<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"\/>/, n);
    assert.match(xml, /<autoFilter ref="A1:[A-Z]+\d+"\/>/, n);
  }
  // Top keys is the third sheet: its key column as wide as its longest key (up to 60)
  const top = zip.get('xl/worksheets/sheet3.xml')!.toString('utf8');
  const widths = [...top.matchAll(/<col min="(\d+)" max="\d+" width="([\d.]+)"/g)].map((m) => Number(m[2]));
  const longest = Math.max(...docs.shards.json.top_keys.map((k: Json) => String(k.key).length));
  assert.ok(widths[2]! >= Math.min(60, longest), `key column ${widths[2]} for keys of ${longest}`);
  assert.ok(widths[0]! < 12, 'rank column narrow');
  assert.match(zip.get('xl/styles.xml')!.toString('utf8'), /<b\/>/);
});

test('Keys split over sheets at the threshold; LibreOffice reads them all, in order', { skip, timeout: 300_000 }, () => {
  const sheets = csvSheets(out.csv, 'split');
  const keys = [...sheets.keys()].filter((n) => n.startsWith('Keys')).sort((a, b) => Number(a.slice(5) || 1) - Number(b.slice(5) || 1));
  // 6,315 keys, 999 per sheet below the header
  assert.equal(docs.split.json.total.keys, 6315);
  assert.deepEqual(keys, ['Keys', 'Keys 2', 'Keys 3', 'Keys 4', 'Keys 5', 'Keys 6', 'Keys 7']);
  assert.equal(sheets.get('Keys')!.length, 1000);
  assert.equal(sheets.get('Keys 7')!.length, 1 + 6315 - 6 * 999);
  assertKeys(sheets, docs.split.csv!, keys, 1000);
});

test('hostile key names: formulas guarded as in the CSV, control characters escaped, every name read back', { skip, timeout: 300_000 }, () => {
  const sheets = csvSheets(out.csv, 'hostile');
  const { json, csv } = docs.hostile;
  assertKeys(sheets, csv!, ['Keys'], XLSX_MAX_ROWS);
  assertTable(sheets.get('Top keys'), json.top_keys, 'Top keys');
  const keys = new Set(records(sheets.get('Keys')!).map((r) => r.key));
  for (const k of [...HOSTILE_KEYS, BINARY_KEY]) {
    const text = cellText(escapeBytes(k, 'utf8'));
    assert.ok(keys.has(text), `key ${JSON.stringify(text)}`);
  }
  // the guard and the escapes, spelled out
  // (a leading tab is a control character: escaped to \x09 before the guard, so no `'` is needed)
  for (const k of [`'=HYPERLINK("http://example.invalid","x")`, "'+1+1", "'-2-2", "'@SUM(A1:A2)", "'\uFF1Dfullwidth", '\\x09TAB', 'ctl\\x01\\x02\\x1b[31mred\\x7f', 'line\\x0abreak\\x0dcr', 'bin:\\xff\\xfe\\x00</script>']) {
    assert.ok(keys.has(k), `key ${JSON.stringify(k)} read back`);
  }
  // no control character reaches a cell raw
  for (const k of keys) assert.doesNotMatch(k!, /[\x00-\x1f\x7f]/, `key ${JSON.stringify(k)}`);
  const prefixes = records(sheets.get('Prefixes')!).map((r) => r.prefix);
  assert.ok(prefixes.includes(`'=HYPERLINK("http://example.invalid","x"):`), 'the guarded prefix');
  // LibreOffice took them as text, not formulas
  const xml = readFileSync(path.join(out.fods, 'hostile.fods'), 'utf8');
  // (the Summary's `complete` is a boolean, which LibreOffice writes as =TRUE())
  assert.deepEqual([...xml.matchAll(/table:formula="([^"]+)"/g)].map((m) => m[1]).filter((f) => !/^of:=(TRUE|FALSE)\(\)$/.test(f!)), []);
  for (const r of fodsRows(xml, 'Keys').slice(1)) assert.equal(r.cells[2]!.type, 'string');
});
