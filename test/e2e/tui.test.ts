/**
 * The real `rdblens` explorer in a real terminal: tmux runs it on samples/demo.rdb, keys go in
 * with send-keys, the screen comes back with capture-pane. The session lives on its own tmux
 * socket under a unique name and is killed by that name whatever happens.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/corpus.js';

const NAME = `rdblens-e2e-${process.pid}-${randomBytes(4).toString('hex')}`;
const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', NAME, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const screen = (): string => tmux('capture-pane', '-p', '-t', NAME);
const keys = (...k: string[]): void => void tmux('send-keys', '-t', NAME, ...k);

async function waitFor(pred: string | RegExp, timeoutMs = 60_000): Promise<string> {
  const start = Date.now();
  for (;;) {
    const s = screen();
    if (typeof pred === 'string' ? s.includes(pred) : pred.test(s)) {
      // let the frame finish (Ink writes a frame at most every 33 ms)
      await new Promise((r) => setTimeout(r, 150));
      return screen();
    }
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${pred}; screen:\n${s}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('rdblens tui in tmux: views, keys, filter, resize, and q restores the terminal', { timeout: 180_000 }, async () => {
  const cli = path.join(REPO_ROOT, 'cli/rdblens.ts');
  const demo = path.join(REPO_ROOT, 'samples/demo.rdb');
  // CI=0: Ink renders only the last frame when it believes it runs in CI (is-in-ci)
  const command = `cd ${JSON.stringify(REPO_ROOT)} && env -u CONTINUOUS_INTEGRATION CI=0 ${JSON.stringify(process.execPath)} --import tsx ${JSON.stringify(cli)} ${JSON.stringify(demo)} --now 2029-06-01T00:00:00Z; echo "EXIT:$?"; sleep 600`;
  tmux('new-session', '-d', '-s', NAME, '-x', '80', '-y', '24', 'sh', '-c', command);
  const socket = tmux('display-message', '-p', '-t', NAME, '#{socket_path}').trim();
  try {
    // the overview once loaded (the loading screen shows the tabs too, under "loading <file>")
    let s = await waitFor('used_memory');
    assert.match(s, /rdblens demo\.rdb +6,315 keys · used_memory ≈ 5\.\d+ MiB/);
    assert.match(s, /Memory by type/);
    assert.match(s.split('\n')[22]!, /↑↓ scroll {2}\/ filter {2}e export {2}1-6 views {2}\? help {2}q quit/);

    keys('3');
    s = await waitFor('by memory, largest first');
    assert.match(s, /› +1 leaderboard:global +0 zset +521 KiB +5,000/);

    keys('Down', 'Down', 'Enter');
    s = await waitFor('MEMORY USAGE');
    assert.match(s, /Key +events:audit/);
    assert.match(s, /Type +stream · encoding stream/);
    assert.match(s, /First entries \(200 of 1,050\)/);

    keys('Escape');
    await waitFor(/› +3 events:audit/);
    keys('4');
    s = await waitFor('(all keys) 6,315 keys');
    assert.match(s, /› leaderboard: ▸ +82 /);
    keys('Enter');
    s = await waitFor('level 1/3');
    assert.match(s, /leaderboard:chess: ▸/);
    keys('BSpace');
    await waitFor('level 0/3');

    keys('/', 'user:*', 'Enter');
    s = await waitFor('filter user:*: 1,358 keys');
    keys('3');
    s = await waitFor('1,358 of 6,315 keys match user:*');

    tmux('resize-window', '-t', NAME, '-x', '110', '-y', '30');
    s = await waitFor(/encoding +memory ▼/);
    assert.equal(s.split('\n').filter((l) => /^[› ] +\d+ user:/.test(l)).length, 23, 'a taller page');

    keys('?');
    await waitFor('Everywhere');
    keys('q');
    s = await waitFor('EXIT:0');
    // the alternate screen is gone: the explorer's lines are not on the terminal any more
    assert.doesNotMatch(s, /1 Overview/);
  } finally {
    try {
      tmux('kill-session', '-t', NAME);
    } catch {
      // already gone
    }
    // the server of this private socket exits with its only session; its socket file stays
    if (socket.includes(NAME)) rmSync(socket, { force: true });
  }
});
