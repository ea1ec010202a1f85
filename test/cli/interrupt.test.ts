/**
 * SIGTERM / SIGINT while a dump loads: `serve`, `report`, `csv` and `tui` say what was
 * interrupted (the dump, the byte reached of its size, the keys read) and exit 143 / 130. A
 * real process on a dump of 1M keys (redis-server 7.0.15's DEBUG POPULATE, then SAVE) is
 * signalled once its read of the dump has begun (the file offset of its descriptor, /proc).
 */
import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { startRedis, needProgram, type RedisHandle } from '../helpers/redis-server.js';
import { CLI } from '../helpers/serve-process.js';
import { ROOT } from './cli-helpers.js';
import { LoadWatch } from '../../cli/interrupt.js';

const KEYS = 1_000_000;
let redis: RedisHandle;
let dump = '';
let size = 0;

before(async () => {
  redis = await startRedis({ args: ['--enable-debug-command', 'local'] });
  assert.equal(await redis.command('DEBUG', 'POPULATE', String(KEYS), 'key', '64'), 'OK');
  dump = await redis.save();
  size = statSync(dump).size;
});

after(async () => {
  await redis?.stop();
});

/**
 * Whether process `pid` reads `file` as a stream: an open descriptor to it whose offset has
 * moved. The load reads the dump in order (its offset moves); the header check and the
 * checksum reader use pread at given positions and leave theirs at 0.
 */
function streaming(pid: number, file: string): boolean {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return false; // the process is gone
  }
  return fds.some((fd) => {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`) !== file) return false;
      const pos = /^pos:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'));
      return pos !== null && Number(pos[1]) > 0;
    } catch {
      return false; // closed meanwhile
    }
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Wait until `pid` is part way through reading the dump (or exits). */
async function loading(pid: number, exited: () => boolean): Promise<void> {
  while (!streaming(pid, dump) && !exited()) await sleep(10);
}

async function interrupt(args: string[], signal: 'SIGTERM' | 'SIGINT'): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  // 'close': the process has exited and its stderr is read to the end
  const exit = new Promise<{ code: number | null; signal: string | null }>((r) => child.once('close', (code, sig) => r({ code, signal: sig })));
  try {
    await loading(child.pid!, () => child.exitCode !== null || child.signalCode !== null);
    process.kill(child.pid!, signal);
    return { ...(await exit), stderr };
  } finally {
    if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGKILL');
  }
}

/** the line's byte and key counts, checked against the dump */
function checkLine(stderr: string, signal: string): void {
  const re = new RegExp(`rdblens: interrupted by ${signal} while loading ${dump.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} at byte (\\d+) of ${size} \\((\\d+) keys read\\)\\n`);
  const m = re.exec(stderr);
  assert.ok(m, `no interruption line in:\n${stderr}`);
  const [byte, keys] = [Number(m[1]), Number(m[2])];
  assert.ok(byte < size, `byte ${byte} of ${size}: mid-load`);
  assert.ok(keys < KEYS, `${keys} keys read of ${KEYS}`);
  // every key read came out of the bytes read: its type, key and value take 16 bytes at least here (36 on average)
  assert.ok(keys * 16 <= byte, `${keys} keys in ${byte} bytes`);
}

test('serve: SIGTERM while the dump loads says where and exits 143', { timeout: 120_000 }, async () => {
  const r = await interrupt(['serve', '--port', '0', dump], 'SIGTERM');
  assert.deepEqual([r.code, r.signal], [143, null], r.stderr);
  checkLine(r.stderr, 'SIGTERM');
  assert.doesNotMatch(r.stderr, /listening on/);
});

test('report: SIGINT while the dump loads says where and exits 130', { timeout: 120_000 }, async () => {
  const r = await interrupt(['report', '-q', dump], 'SIGINT');
  assert.deepEqual([r.code, r.signal], [130, null], r.stderr);
  checkLine(r.stderr, 'SIGINT');
});

test('csv: SIGTERM while the dump loads says where and exits 143', { timeout: 120_000 }, async () => {
  const r = await interrupt(['csv', '-q', dump], 'SIGTERM');
  assert.deepEqual([r.code, r.signal], [143, null], r.stderr);
  checkLine(r.stderr, 'SIGTERM');
});

test('tui (in tmux): SIGTERM while the dump loads leaves the alternate screen, says where, exits 143', { timeout: 120_000 }, async (t) => {
  if (!needProgram('tmux', t)) return;
  const name = `rdblens-int-${process.pid}-${randomBytes(4).toString('hex')}`;
  const tmux = (...a: string[]): string => execFileSync('tmux', ['-L', name, ...a], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  // CI=0: Ink renders only the last frame when it believes it runs in CI (is-in-ci)
  const command = `cd ${JSON.stringify(ROOT)} && env -u CONTINUOUS_INTEGRATION CI=0 ${JSON.stringify(process.execPath)} --import tsx ${JSON.stringify(CLI)} tui ${JSON.stringify(dump)} 2>&1; echo "EXIT:$?"; sleep 600`;
  tmux('new-session', '-d', '-s', name, '-x', '200', '-y', '24', 'sh', '-c', command);
  try {
    const shell = Number(tmux('display-message', '-p', '-t', name, '#{pane_pid}').trim());
    // the node process is the pane shell's child
    let pid = 0;
    for (let i = 0; i < 400 && pid === 0; i++) {
      const kids = readChildren(shell);
      pid = kids.find((k) => readlinkSafe(`/proc/${k}/exe`) === process.execPath) ?? 0;
      if (pid === 0) await sleep(25);
    }
    assert.ok(pid > 0, 'the explorer process started');
    await loading(pid, () => !statSafe(`/proc/${pid}`));
    process.kill(pid, 'SIGTERM');
    let screen = '';
    for (let i = 0; i < 400 && !/EXIT:\d+/.test(screen); i++) {
      await sleep(25);
      screen = tmux('capture-pane', '-p', '-J', '-t', name);
    }
    assert.match(screen, /EXIT:143/);
    checkLine(screen, 'SIGTERM');
  } finally {
    try {
      tmux('kill-server');
    } catch {
      // already gone
    }
  }
});

function readChildren(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((l) => Number(l.trim()))
      .filter((n) => n > 0);
  } catch {
    return []; // none yet
  }
}

function readlinkSafe(p: string): string {
  try {
    return readlinkSync(p);
  } catch {
    return '';
  }
}

function statSafe(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

test('LoadWatch with several dumps (jobs read them at once): the ones being read, the keys over all', () => {
  const w = new LoadWatch([
    { name: 'a.rdb', size: 100 },
    { name: 'b.rdb', size: 200 },
    { name: 'redis://h:6379', size: 50, unit: 'key' },
  ]);
  assert.equal(w.describe(), 'a.rdb at byte 0 of 100 (0 keys read, 0 of 3 dumps read)');
  w.update(0, 40, 3);
  w.update(1, 10, 1);
  assert.equal(w.describe(), 'a.rdb at byte 40 of 100, b.rdb at byte 10 of 200 (4 keys read, 0 of 3 dumps read)');
  w.fileDone(0);
  w.fileDone(1);
  w.update(2, 7, 7);
  assert.equal(w.describe(), 'redis://h:6379 at key 7 of 50 (11 keys read, 2 of 3 dumps read)');
  // serve's loader: one dump after the other, keys counted over all of them
  const s = new LoadWatch([{ name: 'a.rdb', size: 100 }, { name: 'b.rdb', size: 200 }]);
  s.onLoad(9, 1, 30);
  assert.equal(s.describe(), 'b.rdb at byte 30 of 200 (9 keys read, 1 of 2 dumps read)');
});
