/**
 * Child processes for the benches: a free loopback port, servers started as our own children
 * (killed by pid if the bench exits early), and stopping one by pid (SIGTERM, then SIGKILL).
 */
import { spawn } from 'node:child_process';
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
