/**
 * A fast subset of Redis 7.0.15's own test suite (../shared/redis-tests, run unmodified by
 * ../shared/tools/redis-suite in external mode against a fresh `rdblens serve` per file): each
 * file must pass at least as many tests as rdblens passes now, so a regression fails CI. Beside
 * each floor is what redis-server 7.0.15 passes in the same mode (`redis-suite --server redis`),
 * the target. The whole default suite: `npm run suite`.
 *
 * It runs the built server (dist/, which `npm ci` builds through `prepare`), so dist/ must be
 * newer than every file under src/. tclsh is required (Debian: tcl; .ci/run installs it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { distIsFresh } from '../helpers/dist-fresh.js';

const TOOL = path.resolve('../shared/tools/redis-suite');

/** file → [rdblens passes at least, redis-server 7.0.15 passes] */
const FLOORS: Record<string, [number, number]> = {
  'unit/info-command': [3, 3],
  'unit/keyspace': [50, 52],
  'unit/slowlog': [9, 9],
  'unit/multi': [38, 39],
  'unit/expire': [58, 58],
  'unit/querybuf': [2, 2],
  'unit/introspection-2': [41, 43],
  'unit/type/set': [95, 95],
  'unit/pubsub': [29, 30],
};


test('redis-suite subset: rdblens passes at least the recorded counts', { timeout: 300_000 }, async () => {
  const tcl = spawnSync('sh', ['-c', 'command -v tclsh'], { stdio: 'ignore' }).status === 0;
  assert.ok(tcl, 'tclsh is missing: the Redis test suite needs it (apt-get install -y tcl)');
  assert.ok(existsSync(TOOL), `${TOOL} is missing (the shared Redis test suite beside the repo)`);
  assert.ok(existsSync('dist'), 'dist/ is missing: npm run build');
  assert.ok(distIsFresh(), 'dist/ is older than src/: npm run build first (the suite runs bin/rdblens.js)');
  const log = mkdtempSync(path.join(os.tmpdir(), 'rdblens-suite-'));
  const got: Record<string, number> = {};
  const run = (files: string[]): Promise<string> =>
    new Promise<string>((resolve, reject) => {
      execFile(TOOL, ['--no-build', '--log', log, ...files], { timeout: 280_000, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`${err.message}\n${stdout}\n${stderr}`));
        else resolve(stdout);
      });
    }).then((out) => {
      for (const line of out.split('\n')) {
        const m = /^(unit\/\S+)\s+(\d+)\s+(\d+)\s+(\d+)/.exec(line);
        if (m) got[m[1]!] = Number(m[2]);
      }
      return out;
    });
  let out = await run(Object.keys(FLOORS));
  // the harness listens on a fixed port range for its test clients: a file that could not
  // start because another suite run on the machine held the port runs once more
  const clash = Object.keys(FLOORS).filter((f) => {
    const file = path.join(log, `${f.replace(/\//g, '_')}.txt`);
    return existsSync(file) && readFileSync(file, 'latin1').includes("couldn't open socket: address already in use");
  });
  if (clash.length > 0) out += await run(clash);
  const below: string[] = [];
  for (const [file, [floor, redis]] of Object.entries(FLOORS)) {
    if (!(file in got)) below.push(`${file}: did not run`);
    else if (got[file]! < floor) below.push(`${file}: ${got[file]} passed, at least ${floor} expected (redis-server: ${redis})`);
  }
  // a failing run keeps its logs (the path is in the message)
  assert.deepEqual(below, [], `${out}\nlogs: ${log}`);
  rmSync(log, { recursive: true, force: true });
});
