/**
 * Protected mode (clientAcceptHandler, networking.c 7.0.15) as a client on another host sees
 * it: from a network namespace of the test's own, over a veth pair, against `rdblens serve`
 * and redis-server 7.0.15 started the same way; the bytes each sends back must be equal.
 * Without a password a non-local client gets -DENIED and the connection closes; with
 * --requirepass (also CONFIG SET requirepass) it gets -NOAUTH until AUTH; --protected-mode no
 * (also CONFIG SET protected-mode no) serves it. `--requirepass ''` is no password. Local
 * means exactly 127.0.0.1 or ::1, as Redis compares the address strings: a client from
 * 127.0.0.2 is refused too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startRedis, type RedisHandle } from '../helpers/redis-server.js';
import { startServeProcess } from '../helpers/serve-process.js';
import { makeNetNs, type NetNs } from '../helpers/netns.js';
import { serve } from '../resp/helpers.js';
import { PROTECTED_MODE_DENIED } from '../../src/resp/server.js';
import { Raw, exchange } from './raw.js';

const PING_QUIT = 'PING\r\nQUIT\r\n';
const AUTH_PING_QUIT = '*2\r\n$4\r\nAUTH\r\n$2\r\npw\r\nPING\r\nQUIT\r\n';

/** what a client in `ns` gets for `data` from host:port: the bytes, and whether it was closed */
async function remote(ns: NetNs, host: string, port: number, data: string): Promise<string> {
  const r = await ns.exchange(host, port, data);
  return `${r.reply.toString('latin1')}${r.closed ? '<closed>' : '<open>'}`;
}

async function stopAll(children: { child: import('node:child_process').ChildProcess }[], redis: RedisHandle[]): Promise<void> {
  for (const c of children) {
    if (c.child.exitCode === null && c.child.signalCode === null) {
      const gone = new Promise((r) => c.child.once('exit', r));
      process.kill(c.child.pid!, 'SIGTERM');
      await gone;
    }
  }
  await Promise.all(redis.map((r) => r.stop()));
}

test('protected mode from another host: rdblens serve --bind <veth address> answers as redis-server 7.0.15', { timeout: 120_000 }, async (t) => {
  const ns = makeNetNs(t);
  if (!ns) return;
  const procs: Awaited<ReturnType<typeof startServeProcess>>[] = [];
  const redis: RedisHandle[] = [];
  try {
    const cases: { name: string; args: string[]; send: string }[] = [
      { name: 'no password', args: [], send: PING_QUIT },
      { name: "--requirepass ''", args: ['--requirepass', ''], send: PING_QUIT },
      { name: '--requirepass pw, no AUTH', args: ['--requirepass', 'pw'], send: PING_QUIT },
      { name: '--requirepass pw, AUTH', args: ['--requirepass', 'pw'], send: AUTH_PING_QUIT },
      { name: '--protected-mode no', args: ['--protected-mode', 'no'], send: PING_QUIT },
    ];
    for (const c of cases) {
      // redis-server also listens on 127.0.0.1, where the helper checks that it is up (with
      // PING: its password is set after, as --requirepass would have set it)
      const pass = c.args.indexOf('--requirepass');
      const r = await startRedis({ args: ['--bind', ns.hostAddr, '127.0.0.1', ...(pass < 0 ? c.args : [])] });
      redis.push(r);
      if (pass >= 0) assert.equal(await r.command('CONFIG', 'SET', 'requirepass', c.args[pass + 1]!), 'OK');
      const p = await startServeProcess(['--bind', ns.hostAddr, '--port', '0', ...c.args]);
      procs.push(p);
      const want = await remote(ns, ns.hostAddr, r.port, c.send);
      const got = await remote(ns, ns.hostAddr, p.port, c.send);
      assert.equal(got, want, c.name);
      if (c.name === 'no password') {
        assert.equal(got, `${PROTECTED_MODE_DENIED}<closed>`);
        assert.match(p.log(), /warning: protected mode: listening on 10\.213\.\d+\.1 without a password, so clients from other hosts get -DENIED/);
      }
      if (c.name === '--protected-mode no') {
        assert.equal(got, '+PONG\r\n+OK\r\n<closed>');
        assert.match(p.log(), /warning: --protected-mode no and no password: anyone who reaches 10\.213\.\d+\.1 can read and write/);
      }
      if (c.name.startsWith('--requirepass pw')) assert.doesNotMatch(p.log(), /warning: (protected|--protected)/);
    }
  } finally {
    await stopAll(procs, redis);
    ns.remove();
  }
});

test('CONFIG SET protected-mode / requirepass from the loopback interface change what another host gets; the counters agree with redis-server', { timeout: 60_000 }, async (t) => {
  const ns = makeNetNs(t);
  if (!ns) return;
  const r = await startRedis({ args: ['--bind', '0.0.0.0'] });
  const s = await serve([], { host: '0.0.0.0' });
  try {
    const both = async (...args: string[]): Promise<void> => {
      const want = await r.command(...args);
      const got = await s.command(...args);
      assert.deepEqual(got, want, args.join(' '));
    };
    const compare = async (what: string, data: string): Promise<string> => {
      const want = await remote(ns, ns.hostAddr, r.port, data);
      const got = await remote(ns, ns.hostAddr, s.port, data);
      assert.equal(got, want, what);
      return got;
    };
    await both('CONFIG', 'GET', 'protected-mode');
    assert.match(await compare('default', PING_QUIT), /^-DENIED /);
    await both('CONFIG', 'SET', 'protected-mode', 'no');
    await both('CONFIG', 'GET', 'protected-mode');
    assert.equal(await compare('protected-mode no', PING_QUIT), '+PONG\r\n+OK\r\n<closed>');
    await both('CONFIG', 'SET', 'protected-mode', 'yes');
    await both('CONFIG', 'SET', 'requirepass', 'pw');
    assert.match(await compare('requirepass pw', PING_QUIT), /^-NOAUTH /);
    await compare('requirepass pw, AUTH', AUTH_PING_QUIT);
    // the loopback client connected before the password: still authenticated, as in Redis
    await both('CONFIG', 'SET', 'requirepass', '');
    await both('CONFIG', 'GET', 'requirepass');
    assert.match(await compare("requirepass ''", PING_QUIT), /^-DENIED /);
    await both('CONFIG', 'SET', 'protected-mode', 'maybe');
    const stat = (info: unknown, name: string): string => new RegExp(`^${name}:(\\d+)`, 'm').exec(String(info))![1]!;
    const [ri, si] = [await r.command('INFO', 'stats'), await s.command('INFO', 'stats')];
    for (const f of ['total_connections_received', 'rejected_connections']) assert.equal(stat(si, f), stat(ri, f), f);
    assert.equal(stat(si, 'rejected_connections'), '2');
  } finally {
    await s.stop();
    await r.stop();
    ns.remove();
  }
});

/** PING from `localAddress` to 127.0.0.1:port: the bytes until the server closes */
async function fromLoopbackAlias(localAddress: string, port: number): Promise<string> {
  const r = await exchange(port, PING_QUIT, 3000, localAddress);
  assert.ok(r.closed);
  return r.reply;
}

test('only 127.0.0.1 and ::1 are local: a client from 127.0.0.2 is refused, as by redis-server 7.0.15', async () => {
  const r = await startRedis();
  const s = await serve();
  try {
    const want = await fromLoopbackAlias('127.0.0.2', r.port);
    assert.equal(want, PROTECTED_MODE_DENIED);
    assert.equal(await fromLoopbackAlias('127.0.0.2', s.port), want);
    assert.equal(await fromLoopbackAlias('127.0.0.1', s.port), await fromLoopbackAlias('127.0.0.1', r.port));
  } finally {
    await s.stop();
    await r.stop();
  }
});

test("--requirepass '' is no password, as for redis-server 7.0.15", { timeout: 60_000 }, async () => {
  const r = await startRedis({ args: ['--requirepass', ''] });
  const p = await startServeProcess(['--port', '0', '--requirepass', '']);
  const [a, b] = [await Raw.open(r.port), await Raw.open(p.port)];
  try {
    for (const cmd of [['PING'], ['AUTH', 'x'], ['AUTH', 'default', 'x'], ['AUTH', 'nobody', 'x'], ['CONFIG', 'GET', 'requirepass'], ['DBSIZE']]) {
      const want = await a.cmd(...cmd);
      assert.equal(await b.cmd(...cmd), want, cmd.join(' '));
    }
    assert.equal(await b.cmd('PING'), '+PONG\r\n');
  } finally {
    a.close();
    b.close();
    await stopAll([p], [r]);
  }
});
