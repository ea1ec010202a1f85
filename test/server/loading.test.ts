/**
 * While the dumps load, serve answers as redis-server does while it loads: -LOADING (the exact
 * line of shared.loadingerr) for a command without the "loading" flag, INFO with loading:1; then
 * the keys. The reference: redis-server 7.0.15 loading a corpus dump slowly (key-load-delay).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findFreePort, needProgram } from '../helpers/redis-server.js';
import { corpusPath } from '../helpers/corpus.js';
import { RespServer } from '../../src/resp/server.js';
import { loadSources } from '../../src/source/load.js';

const DUMP = corpusPath('generated/redis-7.0.15/mixed-large.rdb');

/** The raw reply bytes of one command on a fresh connection (the first CRLF-ended line, or a whole bulk). */
function raw(port: number, argv: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    let b = '';
    s.once('error', reject);
    s.on('connect', () => s.write(`*${argv.length}\r\n${argv.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`));
    s.on('data', (d) => {
      b += d.toString('latin1');
      const eol = b.indexOf('\r\n');
      if (eol < 0) return;
      if (b[0] === '$' && b.length < eol + 2 + Number(b.slice(1, eol)) + 2) return;
      s.destroy();
      resolve(b);
    });
  });
}

async function retry<T>(fn: () => Promise<T>, ms = 10_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (Date.now() - t0 > ms) throw e;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

/** redis-server's replies to PING, GET and INFO persistence while it loads the corpus dump. */
async function redisWhileLoading(): Promise<{ ping: string; get: string; info: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'rdblens-loading-'));
  copyFileSync(DUMP, path.join(dir, 'dump.rdb'));
  const port = await findFreePort();
  // 200 µs per key: the 50k keys take ~10 s; events are processed every 1 KB read
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir, '--dbfilename', 'dump.rdb', '--key-load-delay', '200', '--loading-process-events-interval-bytes', '1024'], { stdio: 'ignore' });
  try {
    const ping = await retry(() => raw(port, ['PING']));
    const get = await raw(port, ['GET', 'x']);
    const info = await raw(port, ['INFO', 'persistence']);
    return { ping, get, info };
  } finally {
    process.kill(child.pid!, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

test('while loading: -LOADING byte for byte as redis-server 7.0.15, INFO served with loading:1; then the keys', async (t) => {
  if (!needProgram('redis-server', t)) return;
  const ref = await redisWhileLoading();
  assert.equal(ref.ping, '-LOADING Redis is loading the dataset in memory\r\n', 'the reference was caught loading');
  assert.match(ref.info, /\r\nloading:1\r\n/);

  const server = new RespServer({ port: 0 });
  await server.listen();
  try {
    server.instance.loading = true;
    assert.equal(await raw(server.port, ['PING']), ref.ping);
    assert.equal(await raw(server.port, ['GET', 'x']), ref.get);
    const info = await raw(server.port, ['INFO', 'persistence']);
    assert.match(info, /\r\nloading:1\r\n/);
    const loaded = await loadSources([DUMP]);
    server.instance.replaceDataset(loaded);
    server.instance.loading = false;
    assert.equal(await raw(server.port, ['PING']), '+PONG\r\n');
    assert.equal(await raw(server.port, ['DBSIZE']), `:${loaded.dbs.get(0)!.size}\r\n`);
    assert.match(await raw(server.port, ['INFO', 'persistence']), /\r\nloading:0\r\n/);
  } finally {
    await server.close();
  }
});
