#!/usr/bin/env node
/**
 * bench:script — script call overhead: redis-benchmark running EVALSHA against `rdblens serve`
 * and the Debian redis-server, alternately in the same run, for three scripts:
 *   noop      return 1
 *   incr      return redis.call('incr', KEYS[1])            (one redis.call)
 *   multi4    four redis.call (incr, get, set, get)
 * plus a plain INCR as the baseline of each server. Prints requests/s per server and test,
 * the rdblens / redis-server ratio, and the per-call cost above INCR (µs).
 *
 *   npm run bench:script -- [--requests 50000] [--clients 50] [--rounds 3]
 *
 * rdblens runs from dist/ (npm run build). Everything listens on 127.0.0.1, stopped by pid.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { freePort, start, stop, waitPort } from './proc.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: opt } = parseArgs({
  options: {
    requests: { type: 'string', default: '50000' },
    clients: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '3' },
  },
});

const SCRIPTS = {
  noop: 'return 1',
  incr: "return redis.call('incr', KEYS[1])",
  multi4: "redis.call('incr', KEYS[1]) redis.call('get', KEYS[1]) redis.call('set', KEYS[1] .. ':c', ARGV[1]) return redis.call('get', KEYS[1])",
};


function cli(port, ...args) {
  return execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args]).toString().trim();
}

function benchmark(port, args) {
  return new Promise((resolve, reject) => {
    execFile(
      'redis-benchmark',
      ['-h', '127.0.0.1', '-p', String(port), '-n', opt.requests, '-c', opt.clients, '-r', '10000', '-q', ...args],
      { maxBuffer: 1 << 24 },
      (err, stdout) => {
        if (err) return reject(err);
        const m = /([\d.]+) requests per second/.exec(stdout.split('\r').pop() ?? stdout);
        if (!m) return reject(new Error(`no figure in: ${stdout}`));
        resolve(Number(m[1]));
      },
    );
  });
}

async function measure(port) {
  const out = { INCR: await benchmark(port, ['INCR', 'key:__rand_int__']) };
  for (const [name, body] of Object.entries(SCRIPTS)) {
    const sha = cli(port, 'SCRIPT', 'LOAD', body);
    out[name] = await benchmark(port, ['EVALSHA', sha, '1', 'key:__rand_int__', 'v']);
  }
  return out;
}

const dist = path.join(root, 'dist', 'cli', 'rdblens.js');
if (!existsSync(dist)) {
  console.error('bench:script: dist/ is missing: npm run build');
  process.exit(2);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = { redis: [], rdblens: [] };
const dir = mkdtempSync(path.join(os.tmpdir(), 'rdblens-bench-script-'));
try {
  for (let round = 0; round < Number(opt.rounds); round++) {
    const order = round % 2 === 0 ? ['redis', 'rdblens'] : ['rdblens', 'redis'];
    for (const who of order) {
      const port = await freePort();
      const child =
        who === 'redis'
          ? start('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir])
          : start(process.execPath, [dist, 'serve', '--port', String(port)]);
      await waitPort(port);
      results[who].push(await measure(port));
      await stop(child);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const tests = ['INCR', ...Object.keys(SCRIPTS)];
const load = os.loadavg().map((x) => x.toFixed(1)).join(' ');
console.log(`bench:script: redis-benchmark -n ${opt.requests} -c ${opt.clients}, EVALSHA; medians of ${opt.rounds} alternating rounds; load average ${load}`);
console.log('test      redis-server req/s   rdblens req/s   ratio   µs per request above INCR (redis / rdblens)');
const med = (who, t) => median(results[who].map((r) => r[t]));
for (const t of tests) {
  const r = med('redis', t);
  const o = med('rdblens', t);
  const extra = (who, v) => (t === 'INCR' ? '-' : (1e6 / v - 1e6 / med(who, 'INCR')).toFixed(1));
  console.log(`${t.padEnd(9)} ${r.toFixed(0).padStart(19)} ${o.toFixed(0).padStart(15)} ${(o / r).toFixed(2).padStart(7)}   ${extra('redis', r)} / ${extra('rdblens', o)}`);
}
