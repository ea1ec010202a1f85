/**
 * The CSV sink writes exactly what csv-stringify's stream writes with the same options, hostile
 * key names included, whichever path a row takes (csvLine's shortcut, KeyCsvFormatter.encode's
 * byte path, or csv-stringify itself).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stringify } from 'csv-stringify';
import { parse } from 'csv-parse/sync';
import type { KeyRow } from '../../src/memory/analyze.js';
import { CSV_OPTIONS, csvLine, KeyCsvFormatter, keyPrefix, type CsvField, type KeyCsvOptions } from '../../src/report/csv.js';
import { ESCAPE_MODES, unescapeBytes, type EscapeMode } from '../../src/report/escape.js';
import { PrefixTree } from '../../src/memory/prefix-tree.js';
import { rng } from '../helpers/rng.js';

/** csv-stringify's stream, as the reference. */
function viaStream(records: CsvField[][]): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = stringify({ ...CSV_OPTIONS });
    let out = '';
    s.on('data', (c: Buffer | string) => (out += c.toString()));
    s.on('error', reject);
    s.on('end', () => resolve(out));
    for (const r of records) s.write(r);
    s.end();
  });
}

const HOSTILE = [
  '',
  'plain',
  '=HYPERLINK("http://x")',
  '+1+2',
  '-1',
  '@SUM(A1)',
  '\tTAB',
  '\rCR',
  'a,b',
  'quote"inside',
  '"quoted"',
  'line\nbreak',
  'cr\rin',
  '\uFF1Dfull-width equals',
  '\uFF0B',
  '\uFF0D',
  '\uFF20',
  "'already",
  'ключ:🔑',
  '\\x00',
  ' lead space',
  'trail space ',
  '=',
];

test('CR in a field is quoted (csv-parse reads it back)', () => {
  assert.equal(csvLine(['cr\rin', 'x']), '"cr\rin",x\n');
  assert.deepEqual(parse(csvLine(['cr\rin', 'line\nbreak'])), [['cr\rin', 'line\nbreak']]);
});

test('csvLine is csv-stringify, byte for byte, on hostile fields', async () => {
  const records: CsvField[][] = [];
  for (const h of HOSTILE) records.push([0, 'string', h, 12, 'embstr', -5, 3.25, h]);
  const r = rng(7);
  const alphabet = ['a', 'Z', '0', ',', '"', '\n', '\r', '\t', '=', '+', '-', '@', ' ', "'", '\uFF1D', 'é', '🔑', ';'];
  for (let i = 0; i < 5000; i++) {
    const len = Math.floor(r() * 8);
    let s = '';
    for (let j = 0; j < len; j++) s += alphabet[Math.floor(r() * alphabet.length)];
    records.push([Math.floor(r() * 16), s, s.length, s]);
  }
  assert.equal(records.map(csvLine).join(''), await viaStream(records));
});

function row(key: Buffer, over: Partial<KeyRow> = {}): KeyRow {
  return {
    file: 0,
    db: 3,
    key,
    type: 'hash',
    encoding: 'listpack',
    bytes: 1234,
    length: 12,
    maxElementLength: 33,
    expireAt: 1893456000123,
    idle: -1,
    freq: -1,
    offset: 99,
    breakdown: { key: 0, object: 0, entryOverhead: 0, payload: 0 },
    ...over,
  };
}

function formatter(o: Partial<KeyCsvOptions> = {}): KeyCsvFormatter {
  return new KeyCsvFormatter({
    escape: 'utf8',
    extra: false,
    withFile: false,
    now: 1_800_000_000_000,
    separators: ':',
    depth: 3,
    files: [{ file: 'a.rdb', profile: 'redis-7.2' }, { file: 'we,ird "name".rdb', profile: 'redis-7.4' }],
    ...o,
  });
}

test('key rows: line() and encode() both equal csv-stringify of record(), for every escape mode', async () => {
  const r = rng(11);
  const keys: Buffer[] = HOSTILE.map((h) => Buffer.from(h, 'utf8'));
  keys.push(Buffer.from([0xff, 0xfe, 0x41]), Buffer.from('a\\b'), Buffer.alloc(0), Buffer.alloc(200, 0x61));
  for (let i = 0; i < 3000; i++) {
    const len = Math.floor(r() * 12);
    const b = Buffer.alloc(len);
    for (let j = 0; j < len; j++) b[j] = r() < 0.8 ? 0x20 + Math.floor(r() * 95) : Math.floor(r() * 256);
    keys.push(b);
  }
  for (const mode of ESCAPE_MODES) {
    for (const extra of [false, true]) {
      const f = formatter({ escape: mode, extra, withFile: extra });
      const rows = keys.map((k, i) =>
        row(k, {
          file: i % 2,
          bytes: i % 7 === 0 ? -1 : i * 1_000_003,
          expireAt: i % 3 === 0 ? -1 : 1_700_000_000_000 + i * 86_399_999,
          encoding: i % 5 === 0 ? 'hashtable' : 'listpack',
          length: i * 31,
        }),
      );
      const want = await viaStream(rows.map((x) => f.record(x)));
      assert.equal(rows.map((x) => f.line(x)).join(''), want, `line(), ${mode}, extra=${extra}`);
      const buf = Buffer.alloc(1 << 16);
      let text = '';
      let encoded = 0;
      for (const x of rows) {
        const end = f.encode(x, buf, 0);
        if (end >= 0) {
          encoded++;
          text += buf.toString('utf8', 0, end);
        } else text += f.line(x);
      }
      assert.equal(text, want, `encode(), ${mode}, extra=${extra}`);
      if (!extra && mode !== 'base64') {
        // every printable-ASCII key without a quote, comma, backslash or formula start
        const simple = keys.filter((k) => /^(?![=+\-@])[\x20-\x7e]*$/.test(k.toString('latin1')) && !/[",\\]/.test(k.toString('latin1'))).length;
        assert.equal(encoded, simple, 'the byte path takes the simple rows');
      }
    }
  }
});

test('the key field gives the key back (after the formula guard); base64 always does', () => {
  const f = formatter({ escape: 'base64' });
  for (const h of HOSTILE) {
    const key = Buffer.from(h, 'utf8');
    const [rec] = parse(f.line(row(key))) as string[][];
    const field = rec![2]!;
    const text = field.startsWith("'") && /^'[+=\-@]/.test(field) ? field.slice(1) : field;
    assert.deepEqual(unescapeBytes(text, 'base64'), key);
  }
  for (const mode of ['utf8', 'print', 'raw'] as EscapeMode[]) {
    const g = formatter({ escape: mode });
    for (const h of HOSTILE.filter((x) => !/^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20']/.test(x))) {
      const key = Buffer.from(h, 'utf8');
      const [rec] = parse(g.line(row(key))) as string[][];
      assert.deepEqual(unescapeBytes(rec![2]!, mode), key, `${mode} ${JSON.stringify(h)}`);
    }
  }
});

test('module values (size unknown): size_in_bytes is empty', () => {
  const f = formatter();
  assert.equal(f.line(row(Buffer.from('m'), { type: 'module', bytes: -1, expireAt: -1 })), '3,module,m,,listpack,12,33,\n');
  const buf = Buffer.alloc(256);
  const end = f.encode(row(Buffer.from('m'), { type: 'module', bytes: -1, expireAt: -1 }), buf, 0);
  assert.equal(buf.toString('utf8', 0, end), '3,module,m,,listpack,12,33,\n');
});

test('encode() asks for a flush when the buffer is short', () => {
  const f = formatter();
  const buf = Buffer.alloc(64);
  assert.equal(f.encode(row(Buffer.from('user:1')), buf, 10), -2);
});

test('keyPrefix is the deepest node `rdblens prefixes` counts the key under', () => {
  const r = rng(3);
  const sep = Buffer.from(':/', 'latin1');
  for (let depth = 1; depth <= 4; depth++) {
    for (let i = 0; i < 500; i++) {
      const len = Math.floor(r() * 12);
      const b = Buffer.alloc(len);
      for (let j = 0; j < len; j++) b[j] = [0x61, 0x62, 0x3a, 0x2f][Math.floor(r() * 4)]!;
      const tree = new PrefixTree({ separators: ':/', depth });
      tree.add(b, 1, false);
      const nodes = tree.flatten();
      let deepest: { depth: number; prefix: Buffer } = { depth: 0, prefix: Buffer.alloc(0) };
      for (const n of nodes) if (n.depth > deepest.depth) deepest = n;
      assert.deepEqual(keyPrefix(b, sep, depth), deepest.prefix, `${b.toString('latin1')} depth ${depth}`);
    }
  }
});
