#!/usr/bin/env node
/**
 * bench:server — redis-benchmark against `rdblens serve` and the Debian redis-server, run
 * alternately in one process so both see the same machine load, with and without pipelining,
 * plus `rdblens serve --no-tracking` for the cost of memory tracking.
 *
 *   npm run bench:server                       # -n 200000 -c 50, 2 rounds
 *   npm run bench:server -- --rounds 3 --requests 100000 --check
 *
 * Prints requests/s per test for each server (the best of the rounds) and the ratios
 * rdblens / redis-server and tracking / no-tracking. Targets: >= 0.9x without pipelining,
 * >= 0.5x with -P 16, tracking overhead <= 5%. --check exits 1 when a target is missed.
 * Everything listens on 127.0.0.1 and is stopped by pid at the end.
 */
import { spawn, execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: opt } = parseArgs({
  options: {
    rounds: { type: 'string', default: '2' },
    requests: { type: 'string', default: '200000' },
    clients: { type: 'string', default: '50' },
    tests: { type: 'string', default: 'set,get,incr,lpush,rpush,sadd,hset,lrange_100' },
    check: { type: 'boolean', default: false },
  },
});
const ROUNDS = Number(opt.rounds);

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function waitPort(port, ms = 30_000) {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const s = net.createConnection({ port, host: '127.0.0.1' });
      s.once('connect', () => {
        s.write('PING\r\n');
        s.once('data', () => {
          s.destroy();
          resolve();
        });
      });
      s.once('error', () => {
        s.destroy();
        if (Date.now() > deadline) reject(new Error(`port ${port} did not answer`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

const children = new Set();
function start(cmd, args) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'], cwd: root });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  process.kill(child.pid, 'SIGTERM');
  const t = setTimeout(() => child.exitCode === null && process.kill(child.pid, 'SIGKILL'), 5000);
  await exited;
  clearTimeout(t);
}

process.on('exit', () => {
  for (const c of children) if (c.exitCode === null) process.kill(c.pid, 'SIGKILL');
});

/** `rdblens serve`: the built CLI when `npm run build` has made it, else the sources through tsx */
function rdblensArgs(port, extra) {
  const built = path.join(root, 'dist/cli/rdblens.js');
  if (existsSync(path.join(root, 'dist/cli/commands/serve.js'))) return [built, 'serve', '--port', String(port), ...extra];
  return ['--import', 'tsx', path.join(root, 'cli/rdblens.ts'), 'serve', '--port', String(port), ...extra];
}

function benchmark(port, pipeline) {
  const args = ['-h', '127.0.0.1', '-p', String(port), '-t', opt.tests, '-n', opt.requests, '-c', opt.clients, '-q', '--csv'];
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

const dir = mkdtempSync(path.join(os.tmpdir(), 'rdblens-bench-'));
const servers = [];
try {
  const ports = { redis: await freePort(), rdblens: await freePort(), untracked: await freePort() };
  servers.push(start('redis-server', ['--port', String(ports.redis), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir]));
  servers.push(start(process.execPath, rdblensArgs(ports.rdblens, [])));
  servers.push(start(process.execPath, rdblensArgs(ports.untracked, ['--no-tracking'])));
  await Promise.all(Object.values(ports).map((p) => waitPort(p)));
  const best = {};
  const keep = (name, p, res) => {
    const k = `${name}/P${p}`;
    best[k] ??= new Map();
    for (const [t, v] of res) best[k].set(t, Math.max(best[k].get(t) ?? 0, v));
  };
  for (let round = 1; round <= ROUNDS; round++) {
    for (const p of [1, 16]) {
      // alternate the order each round
      const order = round % 2 ? ['redis', 'rdblens', 'untracked'] : ['untracked', 'rdblens', 'redis'];
      for (const name of order) {
        process.stderr.write(`round ${round}, -P ${p}, ${name}...\n`);
        keep(name, p, await benchmark(ports[name], p));
      }
    }
  }
  const tests = [...best['redis/P1'].keys()];
  let failed = false;
  for (const p of [1, 16]) {
    const target = p === 1 ? 0.9 : 0.5;
    console.log(`\nredis-benchmark -t ${opt.tests} -n ${opt.requests} -c ${opt.clients}${p > 1 ? ` -P ${p}` : ''} (best of ${ROUNDS}, requests/s)`);
    console.log(`${'test'.padEnd(32)}${'redis-server'.padStart(14)}${'rdblens'.padStart(12)}${'ratio'.padStart(8)}${'no-tracking'.padStart(13)}${'tracking cost'.padStart(15)}`);
    let sumR = 0;
    let sumO = 0;
    let sumU = 0;
    for (const t of tests) {
      const r = best[`redis/P${p}`].get(t) ?? 0;
      const o = best[`rdblens/P${p}`].get(t) ?? 0;
      const u = best[`untracked/P${p}`].get(t) ?? 0;
      sumR += r;
      sumO += o;
      sumU += u;
      const cost = u > 0 ? ((u - o) / u) * 100 : 0;
      console.log(`${t.padEnd(32)}${r.toFixed(0).padStart(14)}${o.toFixed(0).padStart(12)}${(o / r).toFixed(2).padStart(8)}${u.toFixed(0).padStart(13)}${`${cost.toFixed(1)}%`.padStart(15)}`);
    }
    const ratio = sumO / sumR;
    const cost = ((sumU - sumO) / sumU) * 100;
    console.log(`${'all (sum of requests/s)'.padEnd(32)}${sumR.toFixed(0).padStart(14)}${sumO.toFixed(0).padStart(12)}${ratio.toFixed(2).padStart(8)}${sumU.toFixed(0).padStart(13)}${`${cost.toFixed(1)}%`.padStart(15)}`);
    console.log(`target: ratio >= ${target} ${ratio >= target ? 'met' : 'MISSED'}; tracking cost <= 5% ${cost <= 5 ? 'met' : 'MISSED'}`);
    if (ratio < target || cost > 5) failed = true;
  }
  if (opt.check && failed) process.exitCode = 1;
} finally {
  for (const s of servers) await stop(s);
  rmSync(dir, { recursive: true, force: true });
}
