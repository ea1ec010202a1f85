#!/usr/bin/env node
/**
 * bench:replica — `rdblens serve --replicaof` following a Debian redis-server primary while
 * redis-benchmark drives it, next to a real redis-server replica of the same primary (the
 * reference), in one run.
 *
 *   npm run bench:replica                               # preload 200k keys, then -n 1000000 -c 50
 *   npm run bench:replica -- --requests 200000 --tests set,lpush --preload 0
 *
 * Prints, for rdblens and the real replica: time to the initial sync, the lag while the load
 * runs (a probe key written on the primary each 250 ms, and how long until each replica shows
 * it; the offset gap in bytes), the catch-up time after the load, and at the end the memory
 * estimate against the primary's used_memory. Targets: lag under 1 s at the end, estimate
 * within 3% of used_memory. --check exits 1 when a target is missed. Everything listens on
 * 127.0.0.1 and is stopped by pid.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { freePort, start, stop } from './proc.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: opt } = parseArgs({
  options: {
    requests: { type: 'string', default: '1000000' },
    clients: { type: 'string', default: '50' },
    tests: { type: 'string', default: 'set,incr,lpush,sadd,hset,zadd,mset' },
    keyspace: { type: 'string', default: '100000' },
    preload: { type: 'string', default: '200000' },
    check: { type: 'boolean', default: false },
  },
});


/** A minimal RESP2 connection: one command at a time (INFO, SET, GET). */
class Conn {
  constructor(port) {
    this.port = port;
    this.buf = Buffer.alloc(0);
    this.waiting = null;
  }
  async open() {
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        await new Promise((resolve, reject) => {
          this.sock = net.createConnection({ port: this.port, host: '127.0.0.1' }, resolve);
          this.sock.once('error', reject);
        });
        break;
      } catch (e) {
        if (Date.now() > deadline) throw e;
        await sleep(100);
      }
    }
    this.sock.on('data', (d) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.pump();
    });
    this.sock.on('error', () => {});
    return this;
  }
  pump() {
    if (!this.waiting) return;
    const r = parseReply(this.buf, 0);
    if (!r) return;
    this.buf = this.buf.subarray(r.next);
    const w = this.waiting;
    this.waiting = null;
    w(r.value);
  }
  command(...args) {
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.sock.write(`*${args.length}\r\n` + args.map((a) => `$${Buffer.byteLength(String(a))}\r\n${a}\r\n`).join(''));
      this.pump();
    });
  }
  close() {
    this.sock?.destroy();
  }
}

function parseReply(b, at) {
  const nl = b.indexOf('\r\n', at);
  if (nl < 0) return null;
  const t = String.fromCharCode(b[at]);
  const line = b.toString('latin1', at + 1, nl);
  if (t === '+' || t === '-' || t === ':') return { value: t === ':' ? Number(line) : line, next: nl + 2 };
  if (t === '$') {
    const n = Number(line);
    if (n < 0) return { value: null, next: nl + 2 };
    if (b.length < nl + 2 + n + 2) return null;
    return { value: b.toString('latin1', nl + 2, nl + 2 + n), next: nl + 4 + n };
  }
  if (t === '*') {
    const n = Number(line);
    const out = [];
    let p = nl + 2;
    for (let i = 0; i < n; i++) {
      const r = parseReply(b, p);
      if (!r) return null;
      out.push(r.value);
      p = r.next;
    }
    return { value: out, next: p };
  }
  throw new Error(`bad reply ${JSON.stringify(b.toString('latin1', at, at + 40))}`);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const field = (text, name) => new RegExp(`^${name}:(.*)$`, 'm').exec(String(text))?.[1]?.trim();


function rssMiB(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : NaN;
  } catch {
    return NaN;
  }
}

function redisBenchmark(port, tests, requests) {
  const args = ['-h', '127.0.0.1', '-p', String(port), '-t', tests, '-n', String(requests), '-c', opt.clients, '-r', opt.keyspace, '-d', '32', '-q', '--csv'];
  return new Promise((resolve, reject) => {
    execFile('redis-benchmark', args, { maxBuffer: 1 << 20, timeout: 3_600_000 }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
  });
}

async function main() {
  const entry = path.join(root, 'dist/cli/rdblens.js');
  if (!existsSync(entry)) throw new Error('dist/ is missing: run npm run build (npm run bench:replica does)');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rdblens-bench-replica-'));
  const [pPort, rPort, fPort] = [await freePort(), await freePort(), await freePort()];
  const base = ['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const primaryProc = start('redis-server', ['--port', String(pPort), ...base, '--dir', dir, '--repl-diskless-sync', 'no']);
  const primary = await (await new Conn(pPort)).open();
  await primary.command('PING');
  try {
    if (Number(opt.preload) > 0) {
      process.stdout.write(`preloading the primary: redis-benchmark -t set,hset,lpush -n ${opt.preload} -r ${opt.keyspace}\n`);
      await redisBenchmark(pPort, 'set,hset,lpush', opt.preload);
    }
    const pInfo0 = await primary.command('INFO', 'memory');
    process.stdout.write(`primary before: used_memory ${field(pInfo0, 'used_memory')} (${field(pInfo0, 'used_memory_human')})\n`);

    // the two replicas, started together
    const t0 = Date.now();
    const replicaDir = mkdtempSync(path.join(os.tmpdir(), 'rdblens-bench-real-replica-'));
    const realProc = start('redis-server', ['--port', String(rPort), ...base, '--dir', replicaDir, '--replicaof', '127.0.0.1', String(pPort)]);
    const oursProc = start(process.execPath, [entry, 'serve', '--port', String(fPort), '--replicaof', `127.0.0.1:${pPort}`]);
    const real = await (await new Conn(rPort)).open();
    const ours = await (await new Conn(fPort)).open();
    const synced = { real: 0, ours: 0 };
    while (!synced.real || !synced.ours) {
      for (const [name, c] of [['real', real], ['ours', ours]]) {
        if (synced[name]) continue;
        const info = await c.command('INFO', 'replication');
        if (field(info, 'master_link_status') === 'up') synced[name] = Date.now() - t0;
      }
      if (Date.now() - t0 > 600_000) throw new Error('initial sync took over 10 minutes');
      await sleep(50);
    }
    process.stdout.write(`initial sync: rdblens ${synced.ours} ms, redis-server replica ${synced.real} ms\n`);

    // the load, with a probe every 250 ms
    const lags = { real: [], ours: [] };
    const gaps = { real: [], ours: [] };
    let running = true;
    let probe = 0;
    const prober = (async () => {
      const probeConn = await (await new Conn(pPort)).open();
      while (running) {
        const id = `${++probe}`;
        const sent = Date.now();
        await probeConn.command('SET', 'rdblens:bench:probe', id);
        const seen = { real: false, ours: false };
        while (!seen.real || !seen.ours) {
          for (const [name, c] of [['real', real], ['ours', ours]]) {
            if (seen[name]) continue;
            if ((await c.command('GET', 'rdblens:bench:probe')) === id) {
              seen[name] = true;
              lags[name].push(Date.now() - sent);
            }
          }
          if (Date.now() - sent > 120_000) break;
          await sleep(5);
        }
        const p = Number(field(await probeConn.command('INFO', 'replication'), 'master_repl_offset'));
        for (const [name, c] of [['real', real], ['ours', ours]]) {
          const off = Number(field(await c.command('INFO', 'replication'), 'slave_repl_offset'));
          gaps[name].push(Math.max(0, p - off));
        }
        await sleep(250);
      }
      probeConn.close();
    })();
    const loadStart = Date.now();
    process.stdout.write(`load: redis-benchmark -t ${opt.tests} -n ${opt.requests} -c ${opt.clients} -r ${opt.keyspace} -d 32\n`);
    const out = await redisBenchmark(pPort, opt.tests, opt.requests);
    const loadMs = Date.now() - loadStart;
    running = false;
    await prober;
    for (const line of out.trim().split('\n').slice(1)) process.stdout.write(`  ${line}\n`);

    // catch-up after the load, then the final lag
    const target = Number(field(await primary.command('INFO', 'replication'), 'master_repl_offset'));
    const caught = { real: -1, ours: -1 };
    const tEnd = Date.now();
    while (caught.real < 0 || caught.ours < 0) {
      for (const [name, c] of [['real', real], ['ours', ours]]) {
        if (caught[name] >= 0) continue;
        if (Number(field(await c.command('INFO', 'replication'), 'slave_repl_offset')) >= target) caught[name] = Date.now() - tEnd;
      }
      if (Date.now() - tEnd > 600_000) break;
      await sleep(10);
    }
    const pMem = Number(field(await primary.command('INFO', 'memory'), 'used_memory'));
    const rMem = Number(field(await real.command('INFO', 'memory'), 'used_memory'));
    const oMem = Number(field(await ours.command('INFO', 'memory'), 'used_memory'));
    const keys = field(await primary.command('INFO', 'keyspace'), 'db0');
    const oursKeys = field(await ours.command('INFO', 'keyspace'), 'db0');
    const repl = await ours.command('INFO', 'replication');
    const q = (xs, p) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))] : NaN);
    const last = (xs) => (xs.length ? xs[xs.length - 1] : NaN);
    process.stdout.write(`\nload ran ${(loadMs / 1000).toFixed(1)} s; primary db0 ${keys}; rdblens db0 ${oursKeys}\n`);
    process.stdout.write('                          rdblens   redis-server replica\n');
    const row = (label, a, b) => process.stdout.write(`${label.padEnd(26)}${String(a).padStart(7)}   ${String(b).padStart(7)}\n`);
    row('probe lag median (ms)', q(lags.ours, 0.5), q(lags.real, 0.5));
    row('probe lag p95 (ms)', q(lags.ours, 0.95), q(lags.real, 0.95));
    row('probe lag max (ms)', q(lags.ours, 1), q(lags.real, 1));
    row('probe lag, last (ms)', last(lags.ours), last(lags.real));
    row('offset gap p95 (bytes)', q(gaps.ours, 0.95), q(gaps.real, 0.95));
    row('catch-up after load (ms)', caught.ours, caught.real);
    row('peak RSS (MiB)', rssMiB(oursProc.pid), rssMiB(realProc.pid));
    const err = (oMem - pMem) / pMem;
    process.stdout.write(`\nprimary used_memory ${pMem}; rdblens estimate ${oMem} (${(err * 100).toFixed(2)}%); real replica's own used_memory ${rMem} (${(((rMem - pMem) / pMem) * 100).toFixed(2)}%)\n`);
    process.stdout.write(`rdblens: ${field(repl, 'rdblens_commands_applied')} commands applied, unsupported ${field(repl, 'rdblens_unsupported_commands')} (${field(repl, 'rdblens_unsupported') || 'none'}), stale keys ${field(repl, 'rdblens_stale_keys')}\n`);
    const lagOk = caught.ours >= 0 && caught.ours < 1000 && last(lags.ours) < 1000;
    const memOk = Math.abs(err) <= 0.03;
    process.stdout.write(`targets: lag at the end < 1 s ${lagOk ? 'met' : 'NOT met'}; estimate within 3% ${memOk ? 'met' : 'NOT met'}\n`);
    real.close();
    ours.close();
    await stop(oursProc);
    await stop(realProc);
    rmSync(replicaDir, { recursive: true, force: true });
    if (opt.check && !(lagOk && memOk)) process.exitCode = 1;
  } finally {
    primary.close();
    await stop(primaryProc);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`bench:replica: ${e.stack ?? e}\n`);
  process.exitCode = 1;
});
