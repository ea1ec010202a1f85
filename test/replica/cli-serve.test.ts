/**
 * `rdblens serve --replicaof` as a process against a real redis-server 7.0.15 with requirepass:
 * redis-cli sees the primary's keys and INFO replication, writes are refused, writes on the
 * primary arrive, and SIGTERM stops it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { CLI, startServeProcess } from '../helpers/serve-process.js';
import { startPrimary, waitFor } from './helpers.js';


function cli(port: number, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], (err, out) => (err ? reject(err) : resolve(out)));
  });
}

test('rdblens serve --replicaof: follows the primary, answers redis-cli, read-only', { timeout: 60_000 }, async () => {
  const r = await startPrimary();
  await r.command('SET', 'before', 'sync');
  await r.command('RPUSH', 'list', 'a', 'b', 'c');
  await r.command('CONFIG', 'SET', 'requirepass', 'pw');
  const { child, port, log } = await startServeProcess(['--port', '0', '--replicaof', `127.0.0.1:${r.port}`, '--masterauth', 'pw']);
  try {
    await waitFor('the initial sync', async () => (await cli(port, 'GET', 'before')) === 'sync\n');
    assert.equal(await cli(port, 'LLEN', 'list'), '3\n');
    await r.command('SET', 'after', 'sync');
    await waitFor('the stream', async () => (await cli(port, 'GET', 'after')) === 'sync\n');
    const info = await cli(port, 'INFO', 'replication');
    assert.match(info, /role:slave/);
    assert.match(info, new RegExp(`master_port:${r.port}`));
    assert.match(info, /master_link_status:up/);
    assert.match(await cli(port, 'SET', 'x', '1'), /READONLY/);
    // the primary sees us as a replica
    assert.match(String(await r.command('INFO', 'replication')), /connected_slaves:1/);
    const exited = new Promise<number | null>((res) => child.once('exit', res));
    process.kill(child.pid!, 'SIGTERM');
    assert.equal(await exited, 0);
    assert.match(log(), /loaded 2 keys/);
  } finally {
    if (child.exitCode === null) process.kill(child.pid!, 'SIGKILL');
    await r.stop();
  }
});

test('rdblens serve --replicaof with dump files is a usage error', { timeout: 30_000 }, async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve', 'samples/demo.rdb', '--replicaof', '127.0.0.1:1'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  assert.equal(code, 2);
  assert.match(err, /give no dump files/);
});
