/**
 * Child processes for the benches: a free loopback port, servers started as our own children
 * (killed by pid if the bench exits early), and stopping one by pid (SIGTERM, then SIGKILL).
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** GNU time, for a child's peak RSS; without it runTimed reports rssKB null. */
export const TIME_BIN = '/usr/bin/time';
export const hasTime = existsSync(TIME_BIN);

/**
 * Run `cmd args` in the repo root to completion, stdout to `outFile` (default /dev/null) or, with
 * `inherit`, to ours. Resolves {code, signal, stderr, seconds (wall), rssKB (peak, from GNU time -v;
 * null without it or with inherit)}.
 */
export function runTimed(cmd, args, { outFile = '/dev/null', inherit = false } = {}) {
  return new Promise((resolve, reject) => {
    const fd = inherit ? null : openSync(outFile, 'w');
    const timed = hasTime && !inherit;
    const t0 = process.hrtime.bigint();
    const child = spawn(timed ? TIME_BIN : cmd, timed ? ['-v', cmd, ...args] : args, { cwd: root, stdio: inherit ? 'inherit' : ['ignore', fd, 'pipe'] });
    const err = [];
    child.stderr?.on('data', (c) => err.push(c));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (fd !== null) closeSync(fd);
      const stderr = Buffer.concat(err).toString('utf8');
      const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
      resolve({ code, signal, stderr, seconds: Number(process.hrtime.bigint() - t0) / 1e9, rssKB: rss ? Number(rss[1]) : null });
    });
  });
}

const children = new Set();

/** Start `cmd args` (in the repo root) with stderr shown; it is killed by pid when the bench exits. */
export function start(cmd, args, cwd = root) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'], cwd });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Resolve once a RESP server on the port answers PING (polling every 100 ms, up to `ms`). */
export function waitPort(port, ms = 30_000) {
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

export async function stop(child) {
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
