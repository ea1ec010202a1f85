// Parse benchmark: rdblens summary parse vs redis-check-rdb on the same dump.
//
//   npm run bench:parse -- [dump] [--runs 2] [--check] [--module path/to/index.js]
//
// Without [dump] it uses bench/out/bench-500mb.rdb and generates it first
// (samples/generate.ts --scale 370 --seed 42, ~500 MB, 1-2 minutes) if missing.
// Each side runs --runs times (default 2) as separate processes; the best run is
// reported. Ours runs in bench/parse-child.js so its peak RSS is its own.
// --check exits with status 1 if a target is missed (ratio <= 1.0, RSS <= 150 MB).
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const DEFAULT_DUMP = path.join(here, 'out', 'bench-500mb.rdb');
const BENCH_SCALE = 370; // samples/generate.ts scale that gives a ~500 MB dump
const TARGET_RATIO = 1.0;
const TARGET_RSS_MB = 150;
const TIME_BIN = '/usr/bin/time';

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    runs: { type: 'string', default: '2' },
    check: { type: 'boolean', default: false },
    module: { type: 'string' },
  },
});
const runs = Math.max(1, Number(opts.runs) || 2);
const dump = path.resolve(positionals[0] ?? DEFAULT_DUMP);

/** Spawn a process; resolve {code, signal, stdout, stderr, seconds} (wall time of the whole process). */
function run(cmd, args, { inherit = false } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { cwd: root, stdio: inherit ? 'inherit' : ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout?.on('data', (c) => out.push(c));
    child.stderr?.on('data', (c) => err.push(c));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        seconds: Number(process.hrtime.bigint() - t0) / 1e9,
      });
    });
  });
}

async function ensureDump() {
  if (existsSync(dump)) return;
  if (positionals[0] !== undefined) {
    console.error(`bench: ${dump} does not exist`);
    process.exit(2);
  }
  console.log(`bench: ${path.relative(root, dump)} is missing; generating it (samples/generate.ts --scale ${BENCH_SCALE} --seed 42, ~500 MB, takes a minute or two)...`);
  const gen = await run(
    process.execPath,
    ['--import', 'tsx', 'samples/generate.ts', '--scale', String(BENCH_SCALE), '--out', dump, '--seed', '42'],
    { inherit: true },
  );
  if (gen.code !== 0) {
    console.error(`bench: generator failed (exit ${gen.code ?? gen.signal})`);
    process.exit(1);
  }
}

async function runOurs(annotate = false) {
  const childArgs = [path.join(here, 'parse-child.js'), dump];
  if (opts.module) childArgs.push(opts.module);
  if (annotate) childArgs.push('--annotate');
  const r = await run(process.execPath, childArgs);
  if (r.code !== 0) throw new Error(`parse-child exited ${r.code ?? r.signal}:\n${r.stderr.trim()}`);
  const line = r.stdout.trim().split('\n').pop() ?? '';
  const res = JSON.parse(line);
  return { wall: r.seconds, parse: res.seconds, keys: res.keys, rssKB: res.maxRssKB, resultKeys: res.resultKeys };
}

async function runRedisCheck(useTime) {
  const r = useTime
    ? await run(TIME_BIN, ['-v', 'redis-check-rdb', dump])
    : await run('redis-check-rdb', [dump]);
  if (r.code !== 0) throw new Error(`redis-check-rdb exited ${r.code ?? r.signal}:\n${(r.stdout + r.stderr).trim().slice(-2000)}`);
  const keys = /\[info\] (\d+) keys read/.exec(r.stdout);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  return { wall: r.seconds, parse: null, keys: keys ? Number(keys[1]) : null, rssKB: rss ? Number(rss[1]) : null };
}

function best(results) {
  return results.reduce((a, b) => (b.wall < a.wall ? b : a));
}

function fmt(n, digits = 2) {
  return n === null || n === undefined || Number.isNaN(n) ? '-' : n.toFixed(digits);
}

await ensureDump();
const size = statSync(dump).size;
const sizeMB = size / 1e6;
const useTime = existsSync(TIME_BIN);

const oursModule = opts.module ? path.resolve(opts.module) : path.join(root, 'dist', 'src', 'rdb', 'index.js');
let oursSkip = existsSync(oursModule) ? null : `${path.relative(root, oursModule)} not found (run \`npm run build\`)`;

console.log(`bench: ${dump} (${fmt(sizeMB, 1)} MB), best of ${runs} run(s) each`);
const ours = [];
const annotated = [];
const redis = [];
for (let i = 0; i < runs; i++) {
  redis.push(await runRedisCheck(useTime));
  if (oursSkip === null) {
    try {
      ours.push(await runOurs());
      if (!opts.module) annotated.push(await runOurs(true));
    } catch (err) {
      oursSkip = err.message;
    }
  }
}

const rows = [];
const r = best(redis);
const o = ours.length > 0 ? best(ours) : null;
if (o) rows.push(['rdblens (summary parse)', o]);
const a = annotated.length > 0 ? best(annotated) : null;
if (a) rows.push(['rdblens (+ MEMORY USAGE)', a]);
rows.push(['redis-check-rdb', r]);

const header = ['', 'wall s', 'parse s', 'MB/s', 'keys', 'keys/s', 'peak RSS MiB'];
const table = rows.map(([name, x]) => [
  name,
  fmt(x.wall, 3),
  fmt(x.parse, 3),
  fmt(sizeMB / x.wall, 1),
  x.keys === null ? '-' : String(x.keys),
  x.keys === null ? '-' : fmt(x.keys / x.wall, 0),
  x.rssKB === null ? '-' : fmt(x.rssKB / 1024, 1),
]);
const widths = header.map((h, c) => Math.max(h.length, ...table.map((row) => row[c].length)));
const line = (cells) => cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
console.log(line(header));
for (const row of table) console.log(line(row));
if (!useTime) console.log(`(${TIME_BIN} not found: no peak RSS for redis-check-rdb)`);

let failed = false;
if (o) {
  const ratio = o.wall / r.wall;
  const rssMB = o.rssKB / 1024;
  const okRatio = ratio <= TARGET_RATIO;
  const okRss = rssMB <= TARGET_RSS_MB;
  console.log(`ratio ours/redis-check-rdb (wall): ${fmt(ratio, 2)}  target <= ${TARGET_RATIO.toFixed(1)}  ${okRatio ? 'PASS' : 'FAIL'}`);
  console.log(`peak RSS ours: ${fmt(rssMB, 1)} MiB  target <= ${TARGET_RSS_MB} MiB  ${okRss ? 'PASS' : 'FAIL'}`);
  if (a) {
    const over = (a.parse / o.parse - 1) * 100;
    console.log(`MEMORY USAGE per key adds ${fmt(over, 1)}% to the parse (in-process times)  target <= 15%  ${over <= 15 ? 'PASS' : 'FAIL'}`);
  }
  if (r.keys !== null && o.keys !== r.keys) console.log(`WARNING: key count differs: ours ${o.keys}, redis-check-rdb ${r.keys}`);
  if (o.resultKeys !== null && o.resultKeys !== o.keys) console.log(`WARNING: parseRdbFile() returned keys=${o.resultKeys} but onRecord saw ${o.keys} key records`);
  failed = !okRatio || !okRss;
} else {
  console.log(`rdblens: skipped: ${oursSkip}`);
  failed = true;
}
if (o && oursSkip !== null) console.log(`rdblens: a later run failed: ${oursSkip}`);
if (!o || (opts.check && failed)) process.exitCode = 1;
