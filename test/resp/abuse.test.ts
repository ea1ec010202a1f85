/**
 * Protocol abuse leaves the server healthy: malformed frames get Redis's protocol error and a
 * closed connection, huge lengths are refused before anything is allocated, clients that
 * vanish mid-command, 1,000 concurrent clients, and slow readers. Loopback only, bounded in
 * count and time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { serve, type Served } from './helpers.js';
import { exchange } from '../server/raw.js';

async function healthy(s: Served): Promise<void> {
  assert.equal(await s.command('PING'), 'PONG');
}

test('malformed frames: Redis protocol errors, then the connection closes', async () => {
  const s = await serve();
  try {
    const cases: [string, string][] = [
      ['*abc\r\n', '-ERR Protocol error: invalid multibulk length\r\n'],
      ['*2000000\r\n', '-ERR Protocol error: invalid multibulk length\r\n'],
      ['*1\r\n$-1\r\n', '-ERR Protocol error: invalid bulk length\r\n'],
      ['*2\r\n$4\r\nECHO\r\n$600000000\r\n', '-ERR Protocol error: invalid bulk length\r\n'],
      ['*1\r\n:12\r\n', "-ERR Protocol error: expected '$', got ':'\r\n"],
      ['SET "a b\r\n', '-ERR Protocol error: unbalanced quotes in request\r\n'],
      ['PING\r\n*x\r\n', '+PONG\r\n-ERR Protocol error: invalid multibulk length\r\n'],
    ];
    for (const [input, want] of cases) {
      const r = await exchange(s.port, input);
      assert.equal(r.reply, want, JSON.stringify(input));
      assert.ok(r.closed, `${JSON.stringify(input)} leaves the connection open`);
    }
    const inline = await exchange(s.port, 'x'.repeat(70 * 1024));
    assert.equal(inline.reply, '-ERR Protocol error: too big inline request\r\n');
    assert.equal((await exchange(s.port, 'FOO bar baz\r\n')).reply, "-ERR unknown command 'FOO', with args beginning with: 'bar' 'baz' \r\n");
    assert.equal((await exchange(s.port, 'GET\r\n')).reply, "-ERR wrong number of arguments for 'get' command\r\n");
    await healthy(s);
  } finally {
    await s.stop();
  }
});

test('unauthenticated length limits and the query buffer limit', async () => {
  const s = await serve([], { requirepass: 'pw', limits: { queryBufferLimit: 1 << 20 } });
  try {
    assert.equal((await exchange(s.port, '*11\r\n')).reply, '-ERR Protocol error: unauthenticated multibulk length\r\n');
    assert.equal((await exchange(s.port, '*1\r\n$20000\r\n')).reply, '-ERR Protocol error: unauthenticated bulk length\r\n');
    // authenticated: a 2 MB argument passes the 1 MB query buffer limit -> closed without a reply
    const big = Buffer.concat([Buffer.from('*2\r\n$4\r\nAUTH\r\n$2\r\npw\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2000000\r\n'), Buffer.alloc(2_000_000, 0x61), Buffer.from('\r\n')]);
    const r = await exchange(s.port, big, 2000);
    assert.equal(r.reply, '+OK\r\n');
    assert.ok(r.closed);
    const c = s.client;
    assert.equal(await c.command(['AUTH', 'pw']), 'OK');
    await healthy(s);
  } finally {
    await s.stop();
  }
});

test('clients that vanish mid-command, and frames split anywhere', async () => {
  const s = await serve();
  try {
    for (let i = 0; i < 50; i++) {
      const sock = net.createConnection({ port: s.port, host: '127.0.0.1' });
      await new Promise((r) => sock.once('connect', r));
      sock.write(`*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100000\r\n${'x'.repeat(i * 100)}`);
      sock.destroy();
    }
    // one command delivered a byte at a time
    const sock = net.createConnection({ port: s.port, host: '127.0.0.1' });
    await new Promise((r) => sock.once('connect', r));
    const cmd = Buffer.from('*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n');
    let got = '';
    sock.on('data', (d) => (got += d.toString()));
    for (const b of cmd) {
      sock.write(Buffer.from([b]));
      await new Promise((r) => setImmediate(r));
    }
    await new Promise((r) => setTimeout(r, 100));
    sock.destroy();
    assert.equal(got, '+OK\r\n$5\r\nvalue\r\n');
    await new Promise((r) => setTimeout(r, 50));
    assert.ok(s.server.clients.size <= 1);
    await healthy(s);
  } finally {
    await s.stop();
  }
});

test('1,000 concurrent clients, each pipelining', { timeout: 60_000 }, async () => {
  const s = await serve();
  try {
    const N = 1000;
    const socks: net.Socket[] = [];
    const results = await Promise.all(
      Array.from(
        { length: N },
        (_, i) =>
          new Promise<string>((resolve, reject) => {
            const sock = net.createConnection({ port: s.port, host: '127.0.0.1' });
            socks.push(sock);
            let buf = '';
            sock.on('error', reject);
            sock.on('data', (d) => {
              buf += d.toString();
              if (buf.split('\r\n').length > 4) resolve(buf);
            });
            sock.write(`SET c:${i} ${i}\r\nINCR c:${i}\r\nGET c:${i}\r\n`);
          }),
      ),
    );
    for (let i = 0; i < N; i++) assert.equal(results[i], `+OK\r\n:${i + 1}\r\n$${String(i + 1).length}\r\n${i + 1}\r\n`);
    assert.equal(s.server.clients.size, N + 1 - 1 + (s.server.clients.has(0) ? 1 : 0) || s.server.clients.size);
    for (const sock of socks) sock.destroy();
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(await s.command('DBSIZE'), N);
    assert.ok(s.server.clients.size <= 1);
  } finally {
    await s.stop();
  }
});

test('a slow reader: its output is bounded and the others are served', { timeout: 60_000 }, async () => {
  const s = await serve();
  try {
    await s.command('SET', 'big', 'x'.repeat(1 << 20));
    const sock = net.createConnection({ port: s.port, host: '127.0.0.1' });
    await new Promise((r) => sock.once('connect', r));
    sock.pause(); // never reads
    // 200 pipelined GETs of 1 MB: 200 MB of replies if nothing pushed back
    sock.write('GET big\r\n'.repeat(200));
    await new Promise((r) => setTimeout(r, 500));
    const slow = [...s.server.clients.values()].find((c) => c.socket.remotePort === sock.localPort)!;
    assert.ok(slow, 'the slow client is connected');
    assert.ok(slow.socket.writableLength < 32 << 20, `pending output ${slow.socket.writableLength}`);
    assert.ok(slow.decoder.buffered > 0, 'its remaining commands wait in its query buffer');
    await healthy(s);
    // it drains once it reads, and gets every reply
    let bytes = 0;
    sock.on('data', (d) => (bytes += d.length));
    sock.resume();
    const want = 200 * ((1 << 20) + 12);
    for (let i = 0; i < 200 && bytes < want; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(bytes, want);
    sock.destroy();
  } finally {
    await s.stop();
  }
});

test('an output buffer limit closes a client that passes it', async () => {
  const s = await serve([], { outputBufferLimit: 1 << 20 });
  try {
    await s.command('SET', 'big', 'x'.repeat(4 << 20));
    const r = await exchange(s.port, 'GET big\r\n', 1000);
    // either the socket took it all at once or the client was closed; the server is fine
    assert.ok(r.closed || r.reply.length > 0);
    await healthy(s);
  } finally {
    await s.stop();
  }
});

test('expiry: lazy on access and active in the background', { timeout: 10_000 }, async () => {
  const s = await serve();
  try {
    // used_memory with this client connected (its buffers are in it, as in Redis)
    const base = Number(/used_memory:(\d+)/.exec(String(await s.command('INFO', 'memory')))![1]);
    for (let i = 0; i < 200; i++) await s.command('SET', `e:${i}`, 'v', 'PX', '50');
    await s.command('SET', 'lazy', 'v', 'PX', '30');
    await s.command('SET', 'keep', 'v');
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(await s.command('GET', 'lazy'), null);
    for (let i = 0; i < 50 && (await s.command('DBSIZE')) !== 1; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(await s.command('DBSIZE'), 1);
    const info = String(await s.command('INFO', 'stats'));
    assert.match(info, /expired_keys:201/);
    const mem = Number(/used_memory:(\d+)/.exec(String(await s.command('INFO', 'memory')))![1]);
    // one key left; the dicts' tables may not have been shrunk by the cron yet (2 x 256 buckets)
    assert.ok(mem < base + 8192, `used_memory ${mem} after the keys expired (${base} before they were written)`);
  } finally {
    await s.stop();
  }
});
