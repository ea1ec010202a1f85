/**
 * Before AUTH (processMultibulkBuffer, networking.c 7.0.15, when authRequired): a multibulk
 * count over 10 gets "Protocol error: unauthenticated multibulk length", a bulk length over
 * 16384 "unauthenticated bulk length", and the connection closes. Each request below goes to
 * rdblens and to redis-server 7.0.15 with requirepass on a fresh connection; the bytes back
 * and whether the server closed the connection must be equal.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startRedis } from '../helpers/redis-server.js';
import { serve } from '../resp/helpers.js';
import { Raw, encode, exchange } from './raw.js';

const QUIT = 'QUIT\r\n';
const AUTH = encode(['AUTH', 'pw']).toString('latin1');
const args = (n: number): string => encode(['ECHO', ...Array.from({ length: n - 1 }, (_, i) => `a${i}`)]).toString('latin1');

const CASES: [string, string][] = [
  ['*11 before AUTH', '*11\r\n'],
  ['*10 before AUTH (at the limit)', args(10) + QUIT],
  ['*2000000 before AUTH', '*2000000\r\n'],
  ['*3000000000 before AUTH (past INT_MAX)', '*3000000000\r\n'],
  ['*abc before AUTH', '*abc\r\n'],
  ['$16385 before AUTH', '*2\r\n$4\r\nECHO\r\n$16385\r\n'],
  ['$16384 before AUTH (at the limit)', `*2\r\n$4\r\nECHO\r\n$16384\r\n${'x'.repeat(16384)}\r\n` + QUIT],
  ['$600000000 before AUTH (past proto-max-bulk-len)', '*2\r\n$4\r\nECHO\r\n$600000000\r\n'],
  ['$16385 as the command name', '*1\r\n$16385\r\n'],
  ['an inline request of 12 words (no limit inline)', 'SET a b c d e f g h i j k\r\n' + QUIT],
  ['AUTH, then *11 in the same write', AUTH + args(11) + QUIT],
  ['AUTH, then $20000', AUTH + `*2\r\n$4\r\nECHO\r\n$20000\r\n${'y'.repeat(20000)}\r\n` + QUIT],
  ['a wrong password, then *11', encode(['AUTH', 'nope']).toString('latin1') + '*11\r\n'],
  ['HELLO 2 AUTH default pw, then *11', encode(['HELLO', '2', 'AUTH', 'default', 'pw']).toString('latin1') + args(11) + QUIT],
  ['AUTH, RESET, then *11', AUTH + 'RESET\r\n*11\r\n'],
];

test('unauthenticated multibulk and bulk lengths: byte for byte as redis-server 7.0.15 with requirepass', { timeout: 60_000 }, async () => {
  const r = await startRedis();
  const s = await serve([], { requirepass: 'pw' });
  try {
    // set after start so the helper's PING (its readiness check) needs no AUTH
    assert.equal(await r.command('CONFIG', 'SET', 'requirepass', 'pw'), 'OK');
    assert.equal(await s.command('AUTH', 'pw'), 'OK');
    for (const [name, data] of CASES) {
      const want = await exchange(r.port, data, 2000);
      const got = await exchange(s.port, data, 2000);
      // HELLO's map holds the client id: the two servers number their clients differently
      const norm = (x: string): string => x.replace(/\$2\r\nid\r\n:\d+\r\n/, '$2\r\nid\r\n:N\r\n');
      assert.deepEqual({ ...got, reply: norm(got.reply) }, { ...want, reply: norm(want.reply) }, name);
      if (name.endsWith('before AUTH') && name.startsWith('*1')) assert.equal(got.reply, '-ERR Protocol error: unauthenticated multibulk length\r\n');
    }
    // the password cleared at run time: no limit for a client that never authenticated (authRequired)
    assert.equal(await r.command('CONFIG', 'SET', 'requirepass', ''), 'OK');
    assert.equal(await s.command('CONFIG', 'SET', 'requirepass', ''), 'OK');
    const want = await exchange(r.port, args(11) + QUIT, 2000);
    assert.deepEqual(await exchange(s.port, args(11) + QUIT, 2000), want);
    assert.match(want.reply, /^\*10\r\n|^-ERR wrong number/);
  } finally {
    await s.stop();
    await r.stop();
  }
});

test('a client that connected while a password was set and never authenticated: CONFIG SET requirepass "" lifts the limits and NOAUTH, as in redis-server 7.0.15', { timeout: 30_000 }, async () => {
  const r = await startRedis();
  const s = await serve([], { requirepass: 'pw' });
  try {
    assert.equal(await r.command('CONFIG', 'SET', 'requirepass', 'pw'), 'OK');
    assert.equal(await s.command('AUTH', 'pw'), 'OK');
    const a = await Raw.open(r.port);
    const b = await Raw.open(s.port);
    try {
      assert.equal(await b.cmd('PING'), await a.cmd('PING'));
      assert.equal(await r.command('CONFIG', 'SET', 'requirepass', ''), 'OK');
      assert.equal(await s.command('CONFIG', 'SET', 'requirepass', ''), 'OK');
      const many = Array.from({ length: 12 }, (_, i) => `k${i}`);
      const want = await a.cmd('DEL', ...many);
      assert.equal(await b.cmd('DEL', ...many), want);
      assert.equal(want, ':0\r\n');
      assert.equal(await b.cmd('PING'), await a.cmd('PING'));
    } finally {
      a.close();
      b.close();
    }
  } finally {
    await s.stop();
    await r.stop();
  }
});
