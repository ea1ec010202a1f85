/**
 * Human formatting for the text sink, the fast ISO-8601 writer against Date, and key names made
 * safe for a terminal.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatBytes, formatCount, formatDuration, formatPercent, isoTime, terminalText, writeIsoTime, writeUint } from '../../src/report/format.js';
import { unescapeBytes } from '../../src/report/escape.js';

test('isoTime equals Date#toISOString (and is empty without an expiry)', () => {
  let a = 12345;
  const next = (): number => {
    a = (Math.imul(a, 1103515245) + 12345) >>> 0;
    return a / 4294967296;
  };
  for (let i = 0; i < 200_000; i++) {
    const ms = Math.floor(next() * (i % 2 ? 253402300799999 : 4102444800000));
    assert.equal(isoTime(ms), new Date(ms).toISOString(), String(ms));
  }
  for (const ms of [0, 1, 999, 86_399_999, 86_400_000, 951_782_400_000, 951_868_800_000, 253402300799999, 253402300800000, 8.64e15]) {
    assert.equal(isoTime(ms), new Date(ms).toISOString(), String(ms));
  }
  assert.equal(isoTime(-1), '');
  assert.equal(isoTime(9e15), '9000000000000000');
});

test('writeIsoTime writes the same bytes as isoTime', () => {
  const buf = Buffer.alloc(64);
  let a = 99;
  for (let i = 0; i < 100_000; i++) {
    a = (Math.imul(a, 1103515245) + 12345) >>> 0;
    const ms = i % 1000 === 0 ? 253402300799999 + (i % 3) : Math.floor((a / 4294967296) * 4102444800000);
    const end = writeIsoTime(buf, 3, ms);
    assert.equal(buf.toString('latin1', 3, end), isoTime(ms), String(ms));
  }
});

test('writeUint writes the digits String() writes, up to 2^53', () => {
  const buf = Buffer.alloc(40);
  const check = (v: number): void => {
    const end = writeUint(buf, 5, v);
    assert.equal(buf.toString('latin1', 5, end), String(v), String(v));
  };
  for (let p = 1; p <= 2 ** 53; p *= 10) for (const d of [-1, 0, 1]) if (p + d >= 0) check(p + d);
  for (const v of [0, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 1e8 * 21474 + 99, 1e8 * 21475, 2 ** 53 - 1, 1893482931781]) check(v);
  let a = 7;
  for (let i = 0; i < 100_000; i++) {
    a = (Math.imul(a, 1103515245) + 12345) >>> 0;
    check(Math.floor((a / 4294967296) * 2 ** (i % 54)));
  }
});

test('sizes, counts, percentages, durations', () => {
  assert.equal(formatBytes(0), '0 B');
  assert.equal(formatBytes(1023), '1023 B');
  assert.equal(formatBytes(1024), '1.00 KiB');
  assert.equal(formatBytes(1_876_543), '1.79 MiB');
  assert.equal(formatBytes(1024 * 1024 - 1), '1.00 MiB');
  assert.equal(formatBytes(-2048), '-2.00 KiB');
  assert.equal(formatCount(1234567), '1,234,567');
  assert.equal(formatCount(-1000), '-1,000');
  assert.equal(formatCount(999), '999');
  assert.equal(formatPercent(0.1234), '12.3%');
  assert.equal(formatPercent(0.0001), '<0.1%');
  assert.equal(formatDuration(45_000), '45s');
  assert.equal(formatDuration(185_000), '3m05s');
  assert.equal(formatDuration(2 * 3600_000 + 600_000), '2h10m');
  assert.equal(formatDuration(4 * 86400_000 + 3 * 3600_000), '4d03h');
});

test('terminalText: no control character or bidi override reaches the terminal; bytes recoverable', () => {
  const keys = [
    Buffer.from('plain:key'),
    Buffer.from('\u001b[31mred\u001b[0m'),
    Buffer.from('bell\u0007'),
    Buffer.from('nl\nkey'),
    Buffer.from('c1\u0085x'),
    Buffer.from('rtl\u202Eevil'),
    Buffer.from([0xff, 0x00, 0x41]),
    Buffer.from('ключ:🔑'),
  ];
  for (const k of keys) {
    const t = terminalText(k, 'utf8');
    assert.ok(!/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200e\u200f]/.test(t), JSON.stringify(t));
    assert.deepEqual(unescapeBytes(t, 'utf8'), k);
  }
  assert.equal(terminalText(Buffer.from('ключ:🔑'), 'utf8'), 'ключ:🔑');
  assert.equal(terminalText(Buffer.from('\u001b[31m'), 'utf8'), '\\x1b[31m');
});
