/**
 * `rdblens serve` as a process: loads the dump, logs where it listens, answers redis-cli, and
 * shuts down on SIGTERM; a busy port is a one-line error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { CLI, startServeProcess } from '../helpers/serve-process.js';


function cli(port: number, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], (err, out) => (err ? reject(err) : resolve(out)));
  });
}

test('rdblens serve: listens, serves redis-cli, stops on SIGTERM', { timeout: 60_000 }, async () => {
  const { child, port, log: logged } = await startServeProcess(['samples/demo.rdb', '--port', '0', '--requirepass', 'pw']);
  try {
    const log = logged();
    assert.match(log, /6315 keys from 1 dump\(s\), modelling redis-7\.0/);
    assert.match(await cli(port, 'DBSIZE'), /NOAUTH/);
    assert.equal(await cli(port, '-a', 'pw', '--no-auth-warning', 'DBSIZE'), '5672\n');
    const second = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve', '--port', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    second.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((r) => second.once('exit', r));
    assert.equal(code, 1);
    assert.match(err, /address already in use/);
    const exited = new Promise<number | null>((r) => child.once('exit', r));
    process.kill(child.pid!, 'SIGTERM');
    assert.equal(await exited, 0);
  } finally {
    if (child.exitCode === null) process.kill(child.pid!, 'SIGKILL');
  }
});
