/**
 * Gentle on production (issue #15): with the default --batch and no --rate, a live read adds
 * under 1 ms to a 7.0 redis-server's p99 latency, measured as `redis-cli --latency` does: PING
 * probes on their own connection, one at a time, each timed from its send to its reply
 * (latencyMode, redis-cli.c 7.0, sleeps 10 ms between probes; here a probe starts every 2 ms on
 * a fixed schedule, for enough samples in a scan of a few seconds).
 *
 * added p99 = p99(probes of the scanned server) - p99(probes of the baseline). The baseline is a
 * second redis-server holding the same data that nothing reads, probed the same way over the
 * same window: the machine (2 cores, shared with other jobs: load averages of 10 to 30 were
 * seen) and the client side (rdblens competing with the probes for the CPU) weigh on both
 * alike, so the difference is the scanned server's, as a client on another host would see it.
 * A baseline window taken before the scan was tried first: on this machine its p99 moved from
 * 4 to 15 ms between windows a minute apart, larger than the budget it was to measure.
 *
 * The probes can only see a 1 ms rise where the baseline's own p99 leaves room for it: an
 * attempt counts when the baseline server's p99 is under BASELINE_MAX (2 ms). A neighbour's
 * burst can land on one window: the scan is measured again, up to 3 times; it fails on a
 * counted attempt over the budget only when no attempt met it. When no attempt counts (on this
 * machine an idle server's p99 was 8 ms under a load average of 23, and 15 to 20 ms during the
 * scans: a scan with --batch 5000, 30 ms of server time per batch, then "added" -1.1 ms), the
 * test says so and is marked skipped rather than passed.
 *
 * Whatever the machine, the server's own accounting is asserted too: the scanner keeps one
 * pipeline in flight, so a probe waits behind at most one batch, and the server's time per
 * batch (INFO commandstats usec of SCAN, DUMP and PEXPIRETIME over the SCAN calls) must stay
 * under 1 ms (--batch 5000 fails it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { RespClient, encodeCommand, startRedis } from '../helpers/redis-server.js';
import { ROOT } from '../cli/cli-helpers.js';

/** an attempt counts when the baseline's p99 is under this (ms): room for a 1 ms rise */
const BASELINE_MAX = 2;

/** A probe every this many ms (a late reply delays the next; one probe in flight at most). */
const PROBE_INTERVAL_MS = 2;

/** PING round trips (ms), one at a time, started every PROBE_INTERVAL_MS, until `done` resolves. */
async function probe(port: number, done: Promise<unknown>): Promise<number[]> {
  const c = new RespClient(port);
  let finished = false;
  void done.then(() => (finished = true));
  const out: number[] = [];
  try {
    assert.equal(await c.command(['PING']), 'PONG');
    const t0 = performance.now();
    for (let k = 1; !finished; k++) {
      const t = process.hrtime.bigint();
      const r = await c.command(['PING']);
      out.push(Number(process.hrtime.bigint() - t) / 1e6);
      assert.equal(r, 'PONG');
      const wait = t0 + k * PROBE_INTERVAL_MS - performance.now();
      if (wait > 0) await new Promise((res) => setTimeout(res, wait));
    }
  } finally {
    c.close();
  }
  return out;
}

function p99(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.99))]!;
}

/** `rdblens csv <src>` as a process, output discarded; resolves at its exit (code 0 asserted). */
function run(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'cli/rdblens.ts', 'csv', '-q', src], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`rdblens csv ${src}: exit ${code}: ${err}`))));
  });
}

test('the default batch adds under 1 ms to the p99 of PING probes while a scan runs', { timeout: 300_000 }, async (t) => {
  const r = await startRedis();
  const quiet = await startRedis();
  try {
    // a typical mix: many small strings and hashes, some big collections
    const cmds: Buffer[] = [];
    for (let i = 0; i < 120_000; i++) cmds.push(encodeCommand(['SET', `session:${i}`, `v${i}`.repeat(1 + (i % 5))]));
    for (let i = 0; i < 30_000; i++) cmds.push(encodeCommand(['HSET', `user:${i}`, 'name', `n${i}`, 'mail', `u${i}@example.com`, 'age', String(i % 90)]));
    for (let i = 0; i < 20; i++) cmds.push(encodeCommand(['SADD', `big:set:${i}`, ...Array.from({ length: 2000 }, (_, j) => `m${j}`)]));
    for (let i = 0; i < 20; i++) cmds.push(encodeCommand(['RPUSH', `big:list:${i}`, ...Array.from({ length: 2000 }, (_, j) => `item-${j}`)]));
    const data = Buffer.concat(cmds);
    await r.pipe(data);
    await quiet.pipe(data);
    const url = `redis://127.0.0.1:${r.port}`;
    const attempts: string[] = [];
    let counted = 0;
    for (let attempt = 1; attempt <= 3; attempt++) {
      assert.equal(await r.command('CONFIG', 'RESETSTAT'), 'OK');
      const scanRun = run(url);
      const [during, base] = await Promise.all([probe(r.port, scanRun), probe(quiet.port, scanRun)]);
      await scanRun;
      const stats = String(await r.command('INFO', 'commandstats'));
      const calls = (cmd: string) => Number(new RegExp(`cmdstat_${cmd}:calls=(\\d+)`).exec(stats)?.[1] ?? 0);
      const usec = (cmd: string) => Number(new RegExp(`cmdstat_${cmd}:calls=\\d+,usec=(\\d+)`).exec(stats)?.[1] ?? 0);
      // the scan ran against this server: every key DUMPed once, with its expiry (and one
      // PEXPIRETIME of a probe key per open of the source: readFacts)
      assert.ok(calls('scan') > 100, stats);
      assert.equal(calls('dump'), 150_040, stats);
      assert.ok(calls('pexpiretime') >= 150_040, stats);
      const perBatch = (usec('scan') + usec('dump') + usec('pexpiretime')) / calls('scan');
      const b = p99(base);
      const d = p99(during);
      const line = `added p99 ${(d - b).toFixed(3)} ms: scanned server ${d.toFixed(3)} ms over ${during.length} probes, baseline server ${b.toFixed(3)} ms over ${base.length} probes; server time per batch ${perBatch.toFixed(0)} us`;
      attempts.push(line);
      process.stderr.write(`gentle: attempt ${attempt}: ${line}\n`);
      assert.ok(during.length >= 200, `too few probes during the scan: ${line}`);
      assert.ok(perBatch < 1000, `the server spends ${perBatch.toFixed(0)} us per batch (over the 1 ms budget): ${line}`);
      if (b >= BASELINE_MAX) continue;
      counted++;
      if (d - b < 1) return;
    }
    if (counted > 0) assert.fail(`the scan added over 1 ms to the p99 in every counted attempt:\n${attempts.join('\n')}`);
    t.skip(`probes inconclusive: the baseline server's p99 was ${BASELINE_MAX} ms or more in all 3 attempts (a loaded machine); the server-side bound held: ${attempts.join('; ')}`);
  } finally {
    await r.stop();
    await quiet.stop();
  }
});
