#!/usr/bin/env node
/**
 * bench:server — redis-benchmark against `rdblens serve` and the Debian redis-server, run
 * alternately in one process so both see the same machine load, with and without pipelining,
 * plus `rdblens serve --no-tracking` for the cost of memory tracking.
 *
 *   npm run bench:server                       # -n 200000 -c 50: 3 rounds, 7 tracking pairs
 *   npm run bench:server -- --rounds 5 --tracking-rounds 11 --check
 *
 * The machine is shared (redis-benchmark itself takes one of the cores), so every figure is
 * a median over rounds of measurements taken back to back:
 *
 *  - rdblens / redis-server: each round runs redis-server, rdblens and rdblens --no-tracking
 *    one after the other (the order reversed every other round); the round's ratio is the sum
 *    of rdblens's requests/s over the tests divided by redis-server's. Reported: the ratio of
 *    each round and their median. Targets: >= 0.9 without pipelining, >= 0.5 with -P 16.
 *  - tracking overhead: pairs of tracking / --no-tracking runs at -P 16 (where the server, not
 *    the round trip, is the bottleneck), test by test back to back, alternating which goes
 *    first. A pair's ratio is the sum over the tests of tracking's requests/s divided by
 *    --no-tracking's; overhead = 1 - the median ratio over the pairs. Target <= 5%.
 *
 * Per-test columns are medians over rounds. --check exits 1 when a target is missed.
 * Everything listens on 127.0.0.1 and is stopped by pid at the end. `rdblens serve` is the
 * built CLI (dist/, `npm run build`) when it is newer than the sources, else the sources
 * through tsx; --dist <dir> names another build.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { freePort, start, stop, waitPort } from './proc.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: opt } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    'tracking-rounds': { type: 'string', default: '7' },
    requests: { type: 'string', default: '200000' },
    clients: { type: 'string', default: '50' },
    pipeline: { type: 'string', default: '16' },
    tests: { type: 'string', default: 'set,get,incr,lpush,rpush,sadd,hset,lrange_100' },
    dist: { type: 'string' },
    check: { type: 'boolean', default: false },
  },
});
const ROUNDS = Number(opt.rounds);
const TRACKING_ROUNDS = Number(opt['tracking-rounds']);
const PIPE = Number(opt.pipeline);




/** newest modification time of the .ts files under dir */
function newestTs(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newestTs(p));
    else if (e.name.endsWith('.ts')) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

/** `rdblens serve`: a build (dist/ unless --dist) when it is not older than the sources, else tsx */
function rdblensCommand() {
  const dist = opt.dist ? path.resolve(opt.dist) : path.join(root, 'dist');
  const entry = path.join(dist, 'cli/rdblens.js');
  if (existsSync(path.join(dist, 'cli/commands/serve.js'))) {
    const built = statSync(path.join(dist, 'src/resp/client.js')).mtimeMs;
    const sources = Math.max(newestTs(path.join(root, 'src')), newestTs(path.join(root, 'cli')));
    if (opt.dist || built >= sources) return { args: [entry], what: path.relative(root, dist) || dist };
    process.stderr.write(`${path.relative(root, dist)}/ is older than the sources (npm run build): running them through tsx\n`);
  }
  return { args: ['--import', 'tsx', path.join(root, 'cli/rdblens.ts')], what: 'sources through tsx' };
}

function benchmark(port, pipeline, requests = opt.requests, tests = opt.tests) {
  const args = ['-h', '127.0.0.1', '-p', String(port), '-t', tests, '-n', String(requests), '-c', opt.clients, '-q', '--csv'];
  if (pipeline > 1) args.push('-P', String(pipeline));
  return new Promise((resolve, reject) => {
    execFile('redis-benchmark', args, { maxBuffer: 1 << 20, timeout: 600_000 }, (err, stdout) => {
      if (err) return reject(err);
      const out = new Map();
      for (const line of stdout.split('\n')) {
        const m = /^"([^"]+)","([\d.]+)"/.exec(line);
        if (m && !m[1].startsWith('LPUSH (needed')) out.set(m[1], Number(m[2]));
      }
      resolve(out);
    });
  });
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

const sum = (m) => [...m.values()].reduce((a, b) => a + b, 0);
const fmt = (x, d = 2) => x.toFixed(d);

const dir = mkdtempSync(path.join(os.tmpdir(), 'rdblens-bench-'));
const servers = [];
try {
  const rdb = rdblensCommand();
  const ports = { redis: await freePort(), rdblens: await freePort(), untracked: await freePort() };
  servers.push(start('redis-server', ['--port', String(ports.redis), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir]));
  servers.push(start(process.execPath, [...rdb.args, 'serve', '--port', String(ports.rdblens)]));
  servers.push(start(process.execPath, [...rdb.args, 'serve', '--port', String(ports.untracked), '--no-tracking']));
  await Promise.all(Object.values(ports).map((p) => waitPort(p)));
  process.stderr.write(`rdblens serve: ${rdb.what}; warming up...\n`);
  for (const name of Object.keys(ports)) await benchmark(ports[name], PIPE, 20000);

  /** runs[`${name}/P${p}`]: one Map test -> requests/s per round */
  const runs = {};
  const record = (name, p, res) => (runs[`${name}/P${p}`] ??= []).push(res);
  /** tracking / no-tracking pairs at -P PIPE: [tracking, untracked], each a Map test -> requests/s */
  const pairs = [];
  for (let round = 1; round <= ROUNDS; round++) {
    for (const p of [1, PIPE]) {
      const order = round % 2 ? ['redis', 'rdblens', 'untracked'] : ['untracked', 'rdblens', 'redis'];
      const got = {};
      for (const name of order) {
        process.stderr.write(`round ${round}/${ROUNDS}, -P ${p}, ${name}...\n`);
        got[name] = await benchmark(ports[name], p);
        record(name, p, got[name]);
      }
    }
  }
  // tracking pairs: test by test, the two servers back to back (which goes first alternates),
  // so that each comparison is a second apart, not minutes
  const testList = opt.tests.split(',');
  for (let i = 1; i <= TRACKING_ROUNDS; i++) {
    process.stderr.write(`tracking pair ${i}/${TRACKING_ROUNDS}, -P ${PIPE}...\n`);
    const got = { rdblens: new Map(), untracked: new Map() };
    for (const [j, t] of testList.entries()) {
      const order = (i + j) % 2 ? ['rdblens', 'untracked'] : ['untracked', 'rdblens'];
      for (const name of order) for (const [k, v] of await benchmark(ports[name], PIPE, opt.requests, t)) got[name].set(k, v);
    }
    pairs.push([got.rdblens, got.untracked]);
  }

  const redisVersion = /v=(\S+)/.exec(execFileSync('redis-server', ['--version'], { encoding: 'utf8' }))?.[1] ?? '?';
  const tests = [...runs['redis/P1'][0].keys()];
  let failed = false;
  console.log(`\nredis-benchmark -t ${opt.tests} -n ${opt.requests} -c ${opt.clients}; rdblens serve: ${rdb.what}; ${redisVersion}`);
  for (const p of [1, PIPE]) {
    const target = p === 1 ? 0.9 : 0.5;
    const R = runs[`redis/P${p}`];
    const O = runs[`rdblens/P${p}`];
    const U = runs[`untracked/P${p}`];
    console.log(`\n${p > 1 ? `-P ${p}` : 'no pipelining'}: requests/s, median of ${ROUNDS} rounds`);
    console.log(`${'test'.padEnd(32)}${'redis-server'.padStart(14)}${'rdblens'.padStart(12)}${'ratio'.padStart(8)}${'no-tracking'.padStart(13)}`);
    for (const t of tests) {
      const r = median(R.map((m) => m.get(t) ?? 0));
      const o = median(O.map((m) => m.get(t) ?? 0));
      const u = median(U.map((m) => m.get(t) ?? 0));
      console.log(`${t.padEnd(32)}${fmt(r, 0).padStart(14)}${fmt(o, 0).padStart(12)}${fmt(o / r).padStart(8)}${fmt(u, 0).padStart(13)}`);
    }
    const ratios = R.map((r, i) => sum(O[i]) / sum(r));
    const ratio = median(ratios);
    console.log(`${'all (sum of requests/s)'.padEnd(32)}${fmt(median(R.map(sum)), 0).padStart(14)}${fmt(median(O.map(sum)), 0).padStart(12)}${fmt(ratio).padStart(8)}${fmt(median(U.map(sum)), 0).padStart(13)}`);
    console.log(`rdblens / redis-server per round: ${ratios.map((x) => fmt(x)).join(', ')}; median ${fmt(ratio)} (target >= ${target}: ${ratio >= target ? 'met' : 'MISSED'})`);
    if (!(ratio >= target)) failed = true;
  }

  const pairRatios = pairs.map(([t, u]) => sum(t) / sum(u));
  const overhead = (1 - median(pairRatios)) * 100;
  console.log(`\ntracking overhead (-P ${PIPE}; ${pairs.length} interleaved tracking / --no-tracking pairs)`);
  console.log(`${'test'.padEnd(32)}${'tracking'.padStart(12)}${'no-tracking'.padStart(13)}${'overhead'.padStart(10)}`);
  for (const t of tests) {
    const r = median(pairs.map(([a, b]) => (a.get(t) ?? 0) / (b.get(t) ?? 1)));
    console.log(`${t.padEnd(32)}${fmt(median(pairs.map(([a]) => a.get(t) ?? 0)), 0).padStart(12)}${fmt(median(pairs.map(([, b]) => b.get(t) ?? 0)), 0).padStart(13)}${`${fmt((1 - r) * 100, 1)}%`.padStart(10)}`);
  }
  console.log(`tracking / no-tracking per pair: ${pairRatios.map((x) => fmt(x, 3)).join(', ')}`);
  console.log(`TRACKING OVERHEAD: ${fmt(overhead, 1)}% (1 - median ratio; target <= 5%: ${overhead <= 5 ? 'met' : 'MISSED'})`);
  if (!(overhead <= 5)) failed = true;
  if (opt.check && failed) process.exitCode = 1;
} finally {
  for (const s of servers) await stop(s);
  rmSync(dir, { recursive: true, force: true });
}
