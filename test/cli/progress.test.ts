/**
 * The progress bar: bytes, keys, keys/s and ETA on one line, redrawn at most every 100 ms,
 * erased at the end; none when stderr is not a TTY or with --quiet.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProgressBar, progressFor } from '../../cli/progress.js';
import { rdblens } from './cli-helpers.js';

function fakeTty(): { write: (s: string) => boolean; columns: number; out: string[]; isTTY: true } {
  const out: string[] = [];
  return { out, columns: 120, isTTY: true, write: (s: string) => (out.push(s), true) };
}

test('line: percent, bytes, keys, keys/s, ETA, files', () => {
  let now = 1_000;
  const sink = fakeTty();
  const bar = new ProgressBar(sink, [1000 * 1024 * 1024, 1000 * 1024 * 1024], () => now);
  bar.update(0, 0, 0);
  now += 2_000;
  bar.update(0, 500 * 1024 * 1024, 100_000);
  const line = bar.line(120);
  assert.match(line, /^\[#{3,}-+\]/);
  assert.match(line, / 25%/);
  assert.match(line, /500 MiB\/1\.95 GiB/);
  assert.match(line, /100,000 keys/);
  assert.match(line, /50,000 keys\/s/);
  assert.match(line, /ETA 6s/);
  assert.match(line, /0\/2 files/);
  assert.ok(bar.line(40).length < 40, 'fits the terminal');
});

test('redraws at most every 100 ms; clear() erases the line', () => {
  let now = 0;
  const sink = fakeTty();
  const bar = new ProgressBar(sink, [1000], () => now);
  for (let i = 0; i < 50; i++) {
    now += 10;
    bar.update(0, i * 10, i);
  }
  assert.ok(sink.out.length >= 4 && sink.out.length <= 6, `${sink.out.length} redraws in 500 ms`);
  assert.ok(sink.out.every((s) => s.startsWith('\r') && s.endsWith('\u001b[K')));
  bar.clear();
  assert.equal(sink.out.at(-1), '\r\u001b[K');
});

test('no bar with --quiet or when stderr is not a TTY', async () => {
  assert.equal(progressFor([1], false, { isTTY: false } as NodeJS.WriteStream), null);
  assert.equal(progressFor([1], true, { isTTY: true } as NodeJS.WriteStream), null);
  assert.notEqual(progressFor([1], false, fakeTty() as unknown as NodeJS.WriteStream), null);
  const r = await rdblens(['top', 'samples/demo.rdb']);
  assert.equal(r.code, 0);
  assert.equal(r.stderr, '', 'nothing on a non-TTY stderr');
});
