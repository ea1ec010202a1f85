// CLI benchmark: `rdblens csv` on a big dump against `redis-check-rdb` on the same file (wall
// time and ratio), and the peak RSS of `rdblens csv`, `report`, `prefixes` and `top`.
//
//   npm run bench:cli -- [dump] [--runs 2] [--check] [--out file.csv]
//
// Without [dump] it uses bench/out/bench-500mb.rdb and generates it first (as bench:parse does:
// samples/generate.ts --scale 370 --seed 42, ~500 MB) if missing. Every command runs as its own
// process of the built CLI (bin/rdblens.js, so `npm run build` first: bench:cli does it) under
// /usr/bin/time -v, which gives the peak RSS of the whole process (worker threads included).
// CSV goes to /dev/null unless --out names a file. The best of --runs runs counts.
// --check exits with status 1 if a target is missed (csv <= 1.4x redis-check-rdb; each
// command's peak RSS <= 200 MB).
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runTimed, hasTime, TIME_BIN } from './proc.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const DEFAULT_DUMP = path.join(here, 'out', 'bench-500mb.rdb');
const BENCH_SCALE = 370;
const TARGET_RATIO = 1.4;
const AIM_RATIO = 1.0;
const TARGET_RSS_MB = 200;
const CLI = path.join(root, 'bin', 'rdblens.js');

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    runs: { type: 'string', default: '2' },
    check: { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});
const runs = Math.max(1, Number(opts.runs) || 2);
const dump = path.resolve(positionals[0] ?? DEFAULT_DUMP);

const run = runTimed;

async function ensureDump() {
  if (existsSync(dump)) return;
  if (positionals[0] !== undefined) {
    console.error(`bench: ${dump} does not exist`);
    process.exit(2);
  }
  console.log(`bench: ${path.relative(root, dump)} is missing; generating it (samples/generate.ts --scale ${BENCH_SCALE} --seed 42, ~500 MB)...`);
  const gen = await run(process.execPath, ['--import', 'tsx', 'samples/generate.ts', '--scale', String(BENCH_SCALE), '--out', dump, '--seed', '42'], { inherit: true });
  if (gen.code !== 0) {
    console.error(`bench: generator failed (exit ${gen.code ?? gen.signal})`);
    process.exit(1);
  }
}

function best(results) {
  return results.reduce((a, b) => (b.seconds < a.seconds ? b : a));
}

function fmt(n, digits = 2) {
  return n === null || n === undefined || Number.isNaN(n) ? '-' : n.toFixed(digits);
}

async function measure(name, cmd, args, outFile) {
  const results = [];
  for (let i = 0; i < runs; i++) {
    const r = await run(cmd, args, { outFile });
    if (r.code !== 0) throw new Error(`${name} exited ${r.code ?? r.signal}:\n${r.stderr.trim().slice(-2000)}`);
    results.push(r);
  }
  const b = best(results);
  // the peak RSS of the worst run: a target is met only if every run meets it
  const rss = results.every((r) => r.rssKB !== null) ? Math.max(...results.map((r) => r.rssKB)) : null;
  return { name, seconds: b.seconds, rssKB: rss };
}

if (!existsSync(path.join(root, 'dist', 'cli', 'rdblens.js'))) {
  console.error('bench: dist/cli/rdblens.js is missing: run `npm run build` (npm run bench:cli does)');
  process.exit(1);
}
await ensureDump();
const sizeMB = statSync(dump).size / 1e6;
console.log(`bench: ${dump} (${fmt(sizeMB, 1)} MB), best of ${runs} run(s) each; ${process.execPath} ${process.version}`);

const rows = [];
rows.push(await measure('redis-check-rdb', 'redis-check-rdb', [dump]));
const csvOut = opts.out ? path.resolve(opts.out) : '/dev/null';
rows.push(await measure('rdblens csv', process.execPath, [CLI, 'csv', '-q', dump], csvOut));
for (const c of ['report', 'prefixes', 'top']) rows.push(await measure(`rdblens ${c}`, process.execPath, [CLI, c, '-q', dump]));

const header = ['', 'wall s', 'MB/s', 'peak RSS MiB'];
const table = rows.map((x) => [x.name, fmt(x.seconds, 3), fmt(sizeMB / x.seconds, 1), x.rssKB === null ? '-' : fmt(x.rssKB / 1024, 1)]);
const widths = header.map((h, c) => Math.max(h.length, ...table.map((r) => r[c].length)));
const line = (cells) => cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
console.log(line(header));
for (const r of table) console.log(line(r));
if (!hasTime) console.log(`(${TIME_BIN} not found: no peak RSS)`);

const ref = rows[0];
const csv = rows[1];
const ratio = csv.seconds / ref.seconds;
const okRatio = ratio <= TARGET_RATIO;
console.log(`ratio rdblens csv / redis-check-rdb (wall): ${fmt(ratio, 2)}  target <= ${TARGET_RATIO}, aim <= ${AIM_RATIO}  ${okRatio ? 'PASS' : 'FAIL'}`);
let okRss = true;
for (const r of rows.slice(1)) {
  if (r.rssKB === null) continue;
  const mb = r.rssKB / 1024;
  const ok = mb <= TARGET_RSS_MB;
  okRss &&= ok;
  console.log(`peak RSS ${r.name}: ${fmt(mb, 1)} MiB  target <= ${TARGET_RSS_MB} MiB  ${ok ? 'PASS' : 'FAIL'}`);
}
if (opts.check && !(okRatio && okRss)) process.exitCode = 1;
