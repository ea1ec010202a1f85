/**
 * Gentle on production: with the default --batch and no --rate, a live read adds under 1 ms
 * to a 7.0 redis-server's p99 latency, measured as `redis-cli --latency` does (PING probes, one
 * at a time, on their own connection) while the scan runs.
 *
 * This measures the server, on a machine other programs load: the baseline window probes while
 * rdblens parses the SAVEd dump of the same data (the same client-side work competing for the
 * CPU, no work for the server), the scan window while it reads the live source. The budget is
 * the difference of the two p99s. A window is re-measured (at most 3 times) only when the
 * baseline itself is disturbed (p99 over 5 ms: the machine, not the server).
 *
 * When the machine stays that loaded (a load average of 30 on 2 cores was seen), round trips
 * measure the scheduler rather than the server; the test then checks the bound the probes
 * would see on a quiet machine, from the server's own accounting: the scanner keeps one
 * pipeline in flight, so a probe waits behind at most one batch, and the server's time per
 * batch (INFO commandstats usec of SCAN, DUMP and PEXPIRETIME over the SCAN calls) must stay
 * under 1 ms.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { RespClient, encodeCommand, startRedis } from '../helpers/redis-server.js';
import { ROOT } from '../cli/cli-helpers.js';

/** PING round trips (ms), one at a time with a 1 ms pause, until `done` resolves. */
async function probe(port: number, done: Promise<unknown>): Promise<number[]> {
  const c = new RespClient(port);
  let finished = false;
  void done.then(() => (finished = true));
  const out: number[] = [];
  try {
    await c.command(['PING']);
    while (!finished) {
      const t = process.hrtime.bigint();
      const r = await c.command(['PING']);
      out.push(Number(process.hrtime.bigint() - t) / 1e6);
      assert.equal(r, 'PONG');
      await new Promise((res) => setTimeout(res, 1));
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

test('the default batch adds under 1 ms to the p99 of PING probes while a scan runs', { timeout: 300_000 }, async () => {
  const r = await startRedis();
  try {
    // a typical mix: many small strings and hashes, some big collections
    const cmds: Buffer[] = [];
    for (let i = 0; i < 120_000; i++) cmds.push(encodeCommand(['SET', `session:${i}`, `v${i}`.repeat(1 + (i % 5))]));
    for (let i = 0; i < 30_000; i++) cmds.push(encodeCommand(['HSET', `user:${i}`, 'name', `n${i}`, 'mail', `u${i}@example.com`, 'age', String(i % 90)]));
    for (let i = 0; i < 20; i++) cmds.push(encodeCommand(['SADD', `big:set:${i}`, ...Array.from({ length: 2000 }, (_, j) => `m${j}`)]));
    for (let i = 0; i < 20; i++) cmds.push(encodeCommand(['RPUSH', `big:list:${i}`, ...Array.from({ length: 2000 }, (_, j) => `item-${j}`)]));
    await r.pipe(Buffer.concat(cmds));
    const dump = await r.save();
    const url = `redis://127.0.0.1:${r.port}`;
    let last = '';
    let perBatch = 0;
    for (let attempt = 1; attempt <= 3; attempt++) {
      const baseRun = run(dump);
      const base = await probe(r.port, baseRun);
      await baseRun;
      assert.equal(await r.command('CONFIG', 'RESETSTAT'), 'OK');
      const scanRun = run(url);
      const during = await probe(r.port, scanRun);
      await scanRun;
      const stats = String(await r.command('INFO', 'commandstats'));
      const usec = (cmd: string) => Number(new RegExp(`cmdstat_${cmd}:calls=(\\d+),usec=(\\d+)`).exec(stats)?.[2] ?? 0);
      const scans = Number(/cmdstat_scan:calls=(\d+)/.exec(stats)?.[1] ?? 0);
      assert.ok(scans > 100, stats);
      perBatch = Math.max(perBatch, (usec('scan') + usec('dump') + usec('pexpiretime')) / scans);
      const b = p99(base);
      const d = p99(during);
      last = `baseline p99 ${b.toFixed(3)} ms over ${base.length} probes, during the scan ${d.toFixed(3)} ms over ${during.length} probes; server time per batch ${perBatch.toFixed(0)} us`;
      process.stderr.write(`gentle: attempt ${attempt}: ${last}\n`);
      assert.ok(during.length >= 200, `too few probes during the scan: ${last}`);
      if (b > 5) continue;
      if (d - b < 1) return;
      // a neighbour's burst on a shared machine can land in one window: measure again, fail on the third
      if (attempt < 3) continue;
      assert.fail(`the scan added ${(d - b).toFixed(3)} ms to the p99: ${last}`);
    }
    // too loaded for round trips to mean anything: the server-side bound
    assert.ok(perBatch < 1000, `the server spends ${perBatch.toFixed(0)} us per batch (over the 1 ms budget): ${last}`);
  } finally {
    await r.stop();
  }
});
