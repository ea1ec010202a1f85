// TUI benchmark: load a dump in the explorer (the real App, through its loading screen) and
// time every keypress until its frame is written, view by view; then the peak RSS.
//
//   npm run bench:tui -- [dump] [--size 80x24] [--check]
//
// Without [dump] it uses bench/out/bench-500mb.rdb (2.3M keys; `npm run bench:parse` generates
// it). The app runs in a child process (bench/tui.js --child) so that the peak RSS is its own;
// keys go through ink-testing-library's stdin, frames are timed on its stdout (Ink's debug mode:
// every render is written whole, unthrottled; a real terminal adds Ink's 30 fps throttle).
// Latency = from stdin.write(key) to the first frame after it, so it covers the React render,
// the layout and the screen's text. --check exits 1 if a keypress takes over 100 ms at p95 or
// the peak RSS is over 600 MiB. RDBLENS_BENCH_PHASES=1 adds the peak RSS of each phase (load,
// views, filter, export), sampled every 20 ms.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const DEFAULT_DUMP = path.join(here, 'out', 'bench-500mb.rdb');
const TARGET_MS = 100;
const TARGET_RSS_MB = 600;

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    child: { type: 'boolean', default: false },
    size: { type: 'string', default: '80x24' },
    check: { type: 'boolean', default: false },
  },
});
const dump = path.resolve(positionals[0] ?? DEFAULT_DUMP);

if (opts.child) await child();
else await parent();

async function parent() {
  if (!existsSync(dump)) {
    console.error(`bench: ${path.relative(root, dump)} is missing (npm run bench:parse generates it)`);
    process.exit(2);
  }
  const args = [fileURLToPath(import.meta.url), '--child', '--size', opts.size, dump];
  const out = [];
  const code = await new Promise((resolve, reject) => {
    const c = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_ENV: 'production' } });
    c.stdout.on('data', (d) => out.push(d));
    c.once('error', reject);
    c.once('close', resolve);
  });
  const text = Buffer.concat(out).toString('utf8');
  const marker = text.lastIndexOf('\nRESULT ');
  if (code !== 0 || marker < 0) {
    process.stdout.write(text);
    console.error(`bench: the child exited ${code}`);
    process.exit(1);
  }
  const r = JSON.parse(text.slice(marker + 8));
  console.log(`tui: ${path.relative(root, dump) || dump} (${r.keys.toLocaleString('en-US')} keys), terminal ${opts.size}`);
  console.log(`load            ${(r.loadMs / 1000).toFixed(2)} s  (parse + MEMORY USAGE + keyspace + indexes, through the loading screen)`);
  console.log(`peak RSS        ${r.peakRssMb.toFixed(0)} MiB  (target <= ${TARGET_RSS_MB})`);
  console.log(`RSS once loaded ${r.rssLoadedMb.toFixed(0)} MiB`);
  console.log('');
  console.log('keypress → frame (ms)            n   median     p95     max');
  let worst = 0;
  for (const s of r.series) {
    worst = Math.max(worst, s.p95);
    console.log(`${s.name.padEnd(30)} ${String(s.n).padStart(3)} ${s.median.toFixed(1).padStart(8)} ${s.p95.toFixed(1).padStart(7)} ${s.max.toFixed(1).padStart(7)}`);
  }
  console.log('');
  for (const [k, v] of Object.entries(r.other)) console.log(`${k.padEnd(30)} ${v}`);
  if (opts.check) {
    const bad = [];
    if (worst > TARGET_MS) bad.push(`a keypress p95 of ${worst.toFixed(1)} ms (target ${TARGET_MS})`);
    if (r.peakRssMb > TARGET_RSS_MB) bad.push(`peak RSS ${r.peakRssMb.toFixed(0)} MiB (target ${TARGET_RSS_MB})`);
    if (bad.length > 0) {
      console.error(`bench: missed: ${bad.join('; ')}`);
      process.exit(1);
    }
  }
}

async function child() {
  const React = await import('react');
  const { render } = await import('ink-testing-library');
  const { App } = await import('../dist/src/tui/app.js');
  const [cols, rows] = opts.size.split('x').map(Number);
  const exportDir = mkdtempSync(path.join(tmpdir(), 'rdblens-bench-tui-'));
  const options = { files: [dump], now: Date.parse('2029-06-01T00:00:00Z'), separators: ':', depth: 3, escape: 'utf8' };
  let phase = 'load';
  const peaks = {};
  if (process.env.RDBLENS_BENCH_PHASES) {
    setInterval(() => {
      const rss = process.memoryUsage().rss / 1048576;
      peaks[phase] = Math.max(peaks[phase] ?? 0, rss);
    }, 20).unref();
  }
  const t0 = performance.now();
  const r = render(React.createElement(App, { options, exportDir }));
  Object.defineProperty(r.stdout, 'columns', { value: cols, configurable: true });
  Object.defineProperty(r.stdout, 'rows', { value: rows, configurable: true });
  r.stdout.emit('resize');
  const tick = () => new Promise((res) => setImmediate(res));
  const sleep = (ms) => new Promise((res) => setTimeout(res, ms));
  const frame = () => r.lastFrame() ?? '';
  async function until(pred, timeoutMs = 600_000) {
    const start = performance.now();
    while (!pred(frame())) {
      if (performance.now() - start > timeoutMs) throw new Error(`timed out waiting; last frame:\n${frame()}`);
      await sleep(2);
    }
    return performance.now() - start;
  }
  await until((f) => f.includes('1 Overview'));
  const loadMs = performance.now() - t0;
  await sleep(200);
  globalThis.gc?.();
  const rssLoadedMb = process.memoryUsage().rss / 1048576;

  const series = new Map();
  let noFrame = 0;
  /** Press a key; the time until the first frame after it. */
  async function press(name, key, settleMs = 0) {
    const n = r.frames.length;
    const t = performance.now();
    r.stdin.write(key);
    while (r.frames.length === n) {
      // a key that changes nothing (the end of a list) draws no frame
      if (performance.now() - t > 2000) {
        noFrame++;
        return -1;
      }
      await tick();
    }
    const ms = performance.now() - t;
    if (name) {
      if (!series.has(name)) series.set(name, []);
      series.get(name).push(ms);
    }
    if (settleMs > 0) await sleep(settleMs);
    return ms;
  }
  const DOWN = '\u001B[B';
  const UP = '\u001B[A';
  const PGDN = '\u001B[6~';
  const END = '\u001B[F';
  const HOME = '\u001B[H';
  const ENTER = '\r';
  const ESC = '\u001B';
  const BACKSPACE = '\u007F';
  const other = {};

  phase = 'views';
  // Overview
  for (let i = 0; i < 20; i++) await press('overview ↓↑ scroll', i % 10 < 5 ? DOWN : UP, 5);
  // Doctor
  await press('switch view (1-5)', '2', 20);
  for (let i = 0; i < 10; i++) await press('doctor ↓↑', i % 2 ? UP : DOWN, 5);
  // Top keys over every key
  await press('switch view (1-5)', '3', 20);
  for (let i = 0; i < 30; i++) await press('top keys ↓', DOWN, 5);
  for (let i = 0; i < 20; i++) await press('top keys PgDn', PGDN, 5);
  for (let i = 0; i < 5; i++) {
    await press('top keys End / Home', END, 10);
    await press('top keys End / Home', HOME, 10);
  }
  for (let i = 0; i < 6; i++) await press('top keys s (sort)', 's', 10);
  for (let i = 0; i < 4; i++) await press('top keys r (reverse)', 'r', 10);
  // key detail: the frame after Enter, then the one with the value read from the dump
  for (let i = 0; i < 5; i++) {
    await press('top keys ↓', DOWN, 5);
    await press('top keys ⏎ (detail opens)', ENTER);
    const t = performance.now();
    await until((f) => f.includes('MEMORY USAGE'));
    const read = performance.now() - t;
    (other.detailRead ??= []).push(read);
    for (let j = 0; j < 5; j++) await press('key detail ↓ scroll', DOWN, 5);
    await press('key detail Esc', ESC, 20);
  }
  // Prefixes
  await press('switch view (1-5)', '4', 20);
  for (let i = 0; i < 10; i++) await press('prefixes ↓', DOWN, 5);
  for (let i = 0; i < 5; i++) {
    await press('prefixes Home', HOME, 5);
    await press('prefixes ⏎ descend / ⌫ up', ENTER, 10);
    await press('prefixes ⏎ descend / ⌫ up', BACKSPACE, 10);
  }
  // Expiry
  await press('switch view (1-5)', '5', 20);
  for (let i = 0; i < 10; i++) await press('expiry ↓↑', i < 5 ? DOWN : UP, 5);
  await press('expiry ⏎ (to Top keys by TTL)', ENTER, 20);
  // filter over every key: typing, then keys pressed while the pass runs
  phase = 'filter';
  await press('switch view (1-5)', '3', 20);
  await press('filter typing', '/', 5);
  for (const c of 'session:*') await press('filter typing', c, 5);
  const tf = performance.now();
  await press('filter ⏎ (pass starts)', ENTER);
  let during = 0;
  while (!frame().includes('keys match')) {
    await press('keys while filtering', during++ % 2 ? UP : DOWN, 5);
    if (performance.now() - tf > 120_000) throw new Error('filter did not finish');
  }
  other['filter pass (session:*)'] = `${(performance.now() - tf).toFixed(0)} ms, ${during} keys pressed meanwhile`;
  for (let i = 0; i < 20; i++) await press('top keys ↓ (filtered)', DOWN, 5);
  for (let i = 0; i < 4; i++) await press('top keys s (filtered, 1st use)', 's', 10);
  // regex filter
  await press('filter typing', '/', 5);
  await press('filter typing', '\u0015', 5);
  for (const c of '/^user:1\\d+$/') await press('filter typing', c, 2);
  const tr = performance.now();
  await press('filter ⏎ (pass starts)', ENTER);
  await until((f) => f.includes('keys match /^user'));
  other['filter pass (regex)'] = `${(performance.now() - tr).toFixed(0)} ms`;
  await press('filter typing', '/', 5);
  await press('filter typing', '\u0015', 5);
  await press('filter ⏎ (clear)', ENTER, 20);
  // export every key while pressing keys
  phase = 'export';
  const te = performance.now();
  await press('e (export starts)', 'e');
  let pressed = 0;
  while (!frame().includes('exported ')) {
    await press('keys while exporting', pressed++ % 2 ? UP : DOWN, 10);
    if (performance.now() - te > 300_000) throw new Error('export did not finish');
  }
  const m = /exported ([\d,]+) rows/.exec(frame());
  other['export (Top keys, CSV)'] = `${m ? m[1] : '?'} rows in ${((performance.now() - te) / 1000).toFixed(1)} s, ${pressed} keys pressed meanwhile`;
  // resize
  for (const [c, h] of [
    [80, 24],
    [200, 60],
    [100, 30],
  ]) {
    Object.defineProperty(r.stdout, 'columns', { value: c, configurable: true });
    Object.defineProperty(r.stdout, 'rows', { value: h, configurable: true });
    const n = r.frames.length;
    const t = performance.now();
    r.stdout.emit('resize');
    while (r.frames.length === n) await tick();
    (series.get('resize') ?? series.set('resize', []).get('resize')).push(performance.now() - t);
    await sleep(20);
  }
  r.unmount();
  rmSync(exportDir, { recursive: true, force: true });

  const stats = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    const q = (p) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
    return { n: s.length, median: q(0.5), p95: q(0.95), max: s[s.length - 1] };
  };
  if (other.detailRead) {
    const d = stats(other.detailRead);
    other['detail value read (readKeyAt)'] = `median ${d.median.toFixed(1)} ms, max ${d.max.toFixed(1)} ms`;
    delete other.detailRead;
  }
  if (noFrame > 0) other['keys that drew no frame'] = String(noFrame);
  if (process.env.RDBLENS_BENCH_PHASES) other['peak RSS by phase (MiB)'] = JSON.stringify(Object.fromEntries(Object.entries(peaks).map(([k, v]) => [k, Math.round(v)])));
  const keys = Number(/([\d,]+) keys/.exec(frame())?.[1]?.replace(/,/g, '') ?? 0);
  const result = {
    keys,
    loadMs,
    rssLoadedMb,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    series: [...series].map(([name, xs]) => ({ name, ...stats(xs) })),
    other,
  };
  process.stdout.write('\nRESULT ' + JSON.stringify(result) + '\n');
  process.exit(0);
}
