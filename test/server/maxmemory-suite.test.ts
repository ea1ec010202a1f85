/**
 * Redis 7.0.15's tests/unit/maxmemory.tcl (../shared/redis-tests) in external mode, with its
 * `external:skip` tags removed (scripts/maxmemory-suite.sh: nothing else changes), against a
 * fresh `rdblens serve` and, as the baseline, a fresh redis-server 7.0.15. rdblens must pass at
 * least 95 % of the tests redis-server passes there (issue #18); the message names every test
 * that redis-server passes and rdblens fails. docs/eviction.md has the figures and why the tests
 * that fail on both fail.
 *
 * It runs the built server (dist/, which `npm ci` builds through `prepare`), so dist/ must be
 * newer than every file under src/. tclsh and redis-server are required.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { distIsFresh } from '../helpers/dist-fresh.js';

const SCRIPT = path.resolve('scripts/maxmemory-suite.sh');


interface Run {
  passed: Set<string>;
  failed: Set<string>;
  out: string;
}

function run(server: 'rdblens' | 'redis', log: string): Promise<Run> {
  return new Promise<Run>((resolve, reject) => {
    execFile(SCRIPT, ['--server', server, '--no-build', '--log', log], { timeout: 170_000, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`${server}: ${err.message}\n${stdout}\n${stderr}`));
      const passed = new Set<string>();
      const failed = new Set<string>();
      for (const line of stdout.split('\n')) {
        const ok = /^\[ok\]: (.*) \(\d+ ms\)$/.exec(line);
        if (ok) passed.add(ok[1]!);
        const bad = /^\[(?:err|exception)\]: (.*) in tests\/unit\/maxmemory\.tcl$/.exec(line);
        if (bad) failed.add(bad[1]!);
      }
      resolve({ passed, failed, out: stdout });
    });
  });
}

/** the harness listens on a fixed port range for its test clients: a clash with another run on the machine is retried once */
async function runRetrying(server: 'rdblens' | 'redis', log: string): Promise<Run> {
  const r = await run(server, log);
  const file = path.join(log, 'unit_maxmemory.txt');
  if (existsSync(file) && readFileSync(file, 'latin1').includes("couldn't open socket: address already in use")) return run(server, log);
  return r;
}

test('unit/maxmemory (external:skip lifted): rdblens passes >= 95 % of what redis-server 7.0.15 passes', { timeout: 360_000 }, async () => {
  const tools = spawnSync('sh', ['-c', 'command -v tclsh && command -v redis-server'], { stdio: 'ignore' }).status === 0;
  assert.ok(tools, 'tclsh or redis-server is missing (apt-get install -y tcl redis-server)');
  assert.ok(existsSync('../shared/redis-tests/unit/maxmemory.tcl'), 'the shared Redis test suite is missing beside the repo');
  assert.ok(existsSync('dist'), 'dist/ is missing: npm run build');
  assert.ok(distIsFresh(), 'dist/ is older than src/: npm run build first (the suite runs bin/rdblens.js)');
  const log = mkdtempSync(path.join(os.tmpdir(), 'rdblens-maxmemory-'));
  const redis = await runRetrying('redis', path.join(log, 'redis'));
  const ours = await runRetrying('rdblens', path.join(log, 'rdblens'));
  // the baseline must have run the file: 28 of its 31 tests pass on redis-server 7.0.15 here
  assert.ok(redis.passed.size >= 25, `redis-server passed only ${redis.passed.size}:\n${redis.out}\nlogs: ${log}`);
  const missing = [...redis.passed].filter((t) => !ours.passed.has(t));
  const kept = redis.passed.size - missing.length;
  const need = Math.ceil(redis.passed.size * 0.95);
  assert.ok(
    kept >= need,
    `rdblens passes ${kept} of the ${redis.passed.size} tests redis-server passes (at least ${need} needed); failing on rdblens only:\n  ${missing.join('\n  ')}\n${ours.out}\nlogs: ${log}`,
  );
  rmSync(log, { recursive: true, force: true });
});
