// Fleet benchmark: what one shard's Parquet weighs, what it costs to write, and what
// `rdblens sql` costs over a fleet's worth of rows.
//
//   npm run bench:fleet -- [dump] [--runs 3] [--rows 10000000]
//
// 1. `rdblens csv` and `rdblens csv --format parquet` on the dump, runs interleaved (the machine
//    may be shared: interleaving spreads the load over both), best and median wall time of each,
//    their ratio, peak RSS (/usr/bin/time -v), and the Parquet's bytes per million keys.
// 2. The dump's Parquet copied into shard files (shard-<i>, the shard column renamed) until
//    --rows rows (default 10M), then `rdblens sql` over all of them: the example queries
//    top-prefixes, prefix-tree and shards, best of --runs.
// Without [dump] it uses bench/out/fleet-s100.rdb, generated first if missing
// (samples/generate.ts --scale 100 --seed 42: about 622k keys, 138 MB). Uses the built CLI
// (bin/rdblens.js): bench:fleet runs `npm run build` first.
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { runTimed } from './proc.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const OUT = path.join(here, 'out');
const DEFAULT_DUMP = path.join(OUT, 'fleet-s100.rdb');
const CLI = path.join(root, 'bin', 'rdblens.js');

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: { runs: { type: 'string', default: '3' }, rows: { type: 'string', default: '10000000' } },
});
const runs = Math.max(1, Number(opts.runs) || 3);
const wantRows = Math.max(1, Number(opts.rows) || 10_000_000);
const dump = path.resolve(positionals[0] ?? DEFAULT_DUMP);

/** runTimed, failing on a non-zero exit; peak RSS in MiB. */
async function run(cmd, args, opts) {
  const r = await runTimed(cmd, args, opts);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.code ?? r.signal}:\n${r.stderr.slice(-2000)}`);
  return { seconds: r.seconds, rssMB: r.rssKB === null ? null : r.rssKB / 1024 };
}

const fmt = (n, d = 2) => (n === null || n === undefined ? '-' : n.toFixed(d));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');

if (!existsSync(path.join(root, 'dist', 'cli', 'rdblens.js'))) {
  console.error('bench: dist/cli/rdblens.js is missing: run `npm run build` (npm run bench:fleet does)');
  process.exit(1);
}
mkdirSync(OUT, { recursive: true });
if (!existsSync(dump)) {
  if (positionals[0] !== undefined) {
    console.error(`bench: ${dump} does not exist`);
    process.exit(2);
  }
  console.log(`bench: generating ${path.relative(root, dump)} (samples/generate.ts --scale 100 --seed 42)...`);
  await run(process.execPath, ['--import', 'tsx', 'samples/generate.ts', '--scale', '100', '--seed', '42', '--out', dump], { inherit: true });
}
console.log(`bench: ${dump} (${fmt(statSync(dump).size / 1e6, 1)} MB); ${cpus().length} cores, load average ${load()}`);

// 1. csv vs parquet, interleaved
const pq = path.join(OUT, 'fleet-shard.parquet');
const csv = [];
const parquet = [];
for (let i = 0; i < runs; i++) {
  csv.push(await run(process.execPath, [CLI, 'csv', '-q', dump], { outFile: path.join(OUT, 'fleet-shard.csv') }));
  parquet.push(await run(process.execPath, [CLI, 'csv', '-q', '--format', 'parquet', dump, '-o', pq]));
}
const duck = await (await DuckDBInstance.create(':memory:', { threads: '1' })).connect();
const keys = Number((await duck.runAndReadAll(`SELECT count(*) FROM read_parquet('${pq}')`)).getRows()[0][0]);
const pqBytes = statSync(pq).size;
const csvBytes = statSync(path.join(OUT, 'fleet-shard.csv')).size;
const c = csv.map((r) => r.seconds);
const p = parquet.map((r) => r.seconds);
console.log(`\n${keys} keys; ${runs} interleaved runs each (load average now ${load()})`);
console.log(`  rdblens csv                   wall s: best ${fmt(Math.min(...c))}, median ${fmt(median(c))}   peak RSS ${fmt(Math.max(...csv.map((r) => r.rssMB ?? 0)), 0)} MiB`);
console.log(`  rdblens csv --format parquet  wall s: best ${fmt(Math.min(...p))}, median ${fmt(median(p))}   peak RSS ${fmt(Math.max(...parquet.map((r) => r.rssMB ?? 0)), 0)} MiB`);
console.log(`  parquet / csv: best ${fmt(Math.min(...p) / Math.min(...c))}, median ${fmt(median(p) / median(c))}, per run ${p.map((x, i) => fmt(x / c[i])).join(' ')}  (target <= 1.5)`);
console.log(`  Parquet ${fmt(pqBytes / 1e6, 1)} MB = ${fmt((pqBytes / keys) * 1e6 / 1e6, 1)} MB per million keys (CSV ${fmt((csvBytes / keys) * 1e6 / 1e6, 1)} MB per million keys)`);

// 2. a fleet: shard copies up to --rows rows, then rdblens sql over them
const fleet = path.join(OUT, 'fleet');
rmSync(fleet, { recursive: true, force: true });
mkdirSync(fleet);
const shards = Math.ceil(wantRows / keys);
const t0 = performance.now();
for (let i = 0; i < shards; i++) {
  const n = Math.min(keys, wantRows - i * keys);
  await duck.run(`COPY (SELECT * REPLACE ('shard-${i}' AS shard) FROM read_parquet('${pq}') LIMIT ${n}) TO '${fleet}/shard-${i}.parquet' (FORMAT parquet, COMPRESSION zstd)`);
}
const total = Number((await duck.runAndReadAll(`SELECT count(*) FROM read_parquet('${fleet}/*.parquet')`)).getRows()[0][0]);
console.log(`\nfleet: ${shards} shard files, ${total} rows (copied in ${fmt((performance.now() - t0) / 1000, 1)} s)`);
const files = Array.from({ length: shards }, (_, i) => path.join(fleet, `shard-${i}.parquet`));
for (const example of ['top-prefixes', 'prefix-tree', 'shards']) {
  const times = [];
  let rss = 0;
  for (let i = 0; i < runs; i++) {
    const r = await run(process.execPath, [CLI, 'sql', '-q', '--example', example, ...files]);
    times.push(r.seconds);
    rss = Math.max(rss, r.rssMB ?? 0);
  }
  console.log(`  rdblens sql --example ${example.padEnd(13)} wall s: best ${fmt(Math.min(...times))}, median ${fmt(median(times))}   peak RSS ${fmt(rss, 0)} MiB`);
}
console.log(`(load average at the end ${load()})`);
duck.closeSync();
