/**
 * Stream consumer groups and XREAD/XREADGROUP BLOCK against a live redis-server 7.0.15:
 * - a seeded random mix of group commands (test/resp/diff-gen-cgroups.ts) goes to both; the
 *   replies must be equal (errors included; idle and delivery times masked) and MEMORY USAGE
 *   SAMPLES 0 exactly equal, after every write and for every key at the end;
 * - the same with the groups written by redis-server, SAVEd, and loaded from its dump.rdb:
 *   the loaded groups answer and change as the server's own;
 * - blocking scenarios on raw connections, byte for byte (test/server/both.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startRedis, type RedisHandle, type RespReply } from '../helpers/redis-server.js';
import { serve, redisAndOurs, type Served } from '../resp/helpers.js';
import { GroupGen, maskTimes, Rng } from '../resp/diff-gen-cgroups.js';
import { both } from './both.js';
import type { Raw } from './raw.js';

const show = (x: RespReply): unknown =>
  x instanceof Error ? `ERR:${x.message}` : Buffer.isBuffer(x) ? x.toString('latin1') : Array.isArray(x) ? x.map(show) : x;

const COUNT = Number(process.env.DIFF_COMMANDS ?? 1500);

interface Pair {
  redis: { command(...a: (string | Buffer)[]): Promise<RespReply> };
  ours: { command(...a: (string | Buffer)[]): Promise<RespReply> };
}

/** run `n` generated commands on both; the failures (at most 20) */
async function runMix(p: Pair, gen: GroupGen, n: number, failures: string[]): Promise<number> {
  let memChecks = 0;
  const history: string[] = [];
  for (let i = 0; i < n && failures.length <= 20; i++) {
    const cmd = gen.next();
    const [a, b] = await Promise.all([p.redis.command(...cmd), p.ours.command(...cmd)]);
    history.push(cmd.join(' ').slice(0, 100));
    if (cmd[0] === 'MEMORY' && typeof a === 'number') memChecks++;
    const want = JSON.stringify(maskTimes(cmd, show(a)));
    const got = JSON.stringify(maskTimes(cmd, show(b)));
    if (want !== got) failures.push(`#${i} ${cmd.join(' ')}: redis ${want.slice(0, 400)} ours ${got.slice(0, 400)} [after: ${history.slice(-6, -1).join(' | ')}]`);
  }
  return memChecks;
}

/** every key: MEMORY USAGE exactly, and the whole stream with its groups (XINFO STREAM FULL COUNT 0) */
async function compareAll(p: Pair, failures: string[]): Promise<number> {
  const keys = ((await p.redis.command('KEYS', '*')) as Buffer[]).map((k) => k.toString()).sort();
  const ourKeys = ((await p.ours.command('KEYS', '*')) as Buffer[]).map((k) => k.toString()).sort();
  assert.deepEqual(ourKeys, keys);
  for (const k of keys) {
    const [a, b] = await Promise.all([p.redis.command('MEMORY', 'USAGE', k, 'SAMPLES', '0'), p.ours.command('MEMORY', 'USAGE', k, 'SAMPLES', '0')]);
    if (a !== b) failures.push(`final MEMORY USAGE ${k}: redis ${String(a)} ours ${String(b)}`);
    const cmd = ['XINFO', 'STREAM', k, 'FULL', 'COUNT', '0'];
    const [fa, fb] = await Promise.all([p.redis.command(...cmd), p.ours.command(...cmd)]);
    const want = JSON.stringify(maskTimes(cmd, show(fa)));
    const got = JSON.stringify(maskTimes(cmd, show(fb)));
    if (want !== got) failures.push(`final XINFO STREAM ${k} FULL: redis ${want.slice(0, 600)} ours ${got.slice(0, 600)}`);
  }
  return keys.length;
}

for (const seed of [20261203, 99]) {
  test(`consumer groups (seed ${seed}): ${COUNT} random commands, replies and MEMORY USAGE vs redis-server 7.0`, { timeout: 300_000 }, async () => {
    const redis = await startRedis();
    const ours = await serve([], { target: 'redis-7.0' });
    try {
      const failures: string[] = [];
      const memChecks = await runMix({ redis, ours }, new GroupGen(new Rng(seed)), COUNT, failures);
      const keys = await compareAll({ redis, ours }, failures);
      assert.ok(memChecks > COUNT / 40, `only ${memChecks} MEMORY USAGE checks`);
      assert.ok(keys >= 3, `only ${keys} keys at the end`);
      // the mix reached the groups: some pending entries and consumers at the end
      const info = show(await redis.command('XINFO', 'GROUPS', 'x:0'));
      assert.ok(Array.isArray(info) && info.length > 0, `no groups on x:0 at the end: ${JSON.stringify(info)}`);
      assert.deepEqual(failures, []);
    } finally {
      await ours.stop();
      await redis.stop();
    }
  });
}

test('consumer groups loaded from a dump.rdb: MEMORY USAGE as loaded, then the same replies and memory as redis-server', { timeout: 300_000 }, async () => {
  const redis = await startRedis({ args: ['--enable-debug-command', 'yes'] });
  let ours: Served | null = null;
  try {
    const gen = new GroupGen(new Rng(4242));
    for (let i = 0; i < 800; i++) await redis.command(...gen.next());
    // both sides then hold what loading the dump gives (a server that wrote a stream itself
    // still has its last node's preallocated room, src/memory/stream.ts)
    assert.equal(await redis.command('DEBUG', 'RELOAD'), 'OK');
    const dump = await redis.save();
    ours = await serve([dump], { target: 'redis-7.0' });
    const failures: string[] = [];
    const p = { redis, ours };
    await compareAll(p, failures);
    await runMix(p, gen, 800, failures);
    await compareAll(p, failures);
    assert.deepEqual(failures, []);
  } finally {
    await ours?.stop();
    await redis.stop();
  }
});

// ------------------------------------------------------------------ blocking

let redis: RedisHandle;
let ours: Served;
redisAndOurs((r, o) => {
  redis = r;
  ours = o;
});

/** until INFO clients shows `n` blocked clients (the waiter has blocked) */
async function blocked(r: Raw, n: number): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const info = await r.cmd('INFO', 'clients');
    if (new RegExp(`blocked_clients:${n}\\r`).test(info)) return;
    await new Promise((res) => setTimeout(res, 5));
  }
  throw new Error(`never ${n} blocked clients`);
}

test('XREAD / XREADGROUP BLOCK: served by XADD, errors on DESTROY, DEL and SET, timeouts, MULTI, RESP3, FIFO', () =>
  both(redis.port, ours.port, async (open, log) => {
    const r = await open();
    const a = await open();
    const b = await open();
    log(await r.cmd('XADD', 's', '1-0', 'f', 'v'));
    log(await r.cmd('XGROUP', 'CREATE', 's', 'g', '$'));
    // XREADGROUP > blocks, XADD serves it (and creates the consumer, the PEL entry)
    a.send('XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '0', 'STREAMS', 's', '>');
    await blocked(r, 1);
    log(await r.cmd('XADD', 's', '2-0', 'f', 'w'));
    log(await a.read());
    log(await r.cmd('XPENDING', 's', 'g'));
    log(await r.cmd('MEMORY', 'USAGE', 's', 'SAMPLES', '0'));
    // two group readers: the first gets the entry, the second stays blocked until the next one
    a.send('XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '1', 'BLOCK', '0', 'STREAMS', 's', '>');
    await blocked(r, 1);
    b.send('XREADGROUP', 'GROUP', 'g', 'bob', 'NOACK', 'BLOCK', '0', 'STREAMS', 's', '>');
    await blocked(r, 2);
    log(await r.cmd('XADD', 's', '3-0', 'f', 'x'));
    log(await a.read());
    await blocked(r, 1);
    log(await r.cmd('XADD', 's', '4-0', 'f', 'y'));
    log(await b.read());
    log(await r.cmd('XINFO', 'GROUPS', 's'));
    // XGROUP DESTROY unblocks with -NOGROUP, DEL and SET with -UNBLOCKED
    a.send('XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '0', 'STREAMS', 's', '>');
    await blocked(r, 1);
    log(await r.cmd('XGROUP', 'DESTROY', 's', 'g'));
    log(await a.read());
    log(await r.cmd('XGROUP', 'CREATE', 's', 'g', '$'));
    a.send('XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '0', 'STREAMS', 's', '>');
    await blocked(r, 1);
    log(await r.cmd('DEL', 's'));
    log(await a.read());
    log(await r.cmd('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM'));
    a.send('XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '0', 'STREAMS', 's', '>');
    await blocked(r, 1);
    log(await r.cmd('SET', 's', 'string'));
    log(await a.read());
    // XREAD $ and an explicit ID; a write that adds nothing keeps it blocked
    log(await r.cmd('DEL', 's'));
    log(await r.cmd('XADD', 't', '5-0', 'f', 'v'));
    a.send('XREAD', 'BLOCK', '0', 'STREAMS', 'nokey', 't', '0', '$');
    await blocked(r, 1);
    log(await r.cmd('XADD', 'other', '1-0', 'a', 'b'));
    log(await r.cmd('XDEL', 't', '5-0'));
    log(String(a.pending));
    log(await r.cmd('XADD', 't', '6-0', 'f', 'v2'));
    log(await a.read());
    a.send('XREAD', 'COUNT', '1', 'BLOCK', '0', 'STREAMS', 'nokey', '0-0');
    await blocked(r, 1);
    log(await r.cmd('XADD', 'nokey', '1-0', 'a', '1'));
    log(await a.read());
    // timeouts and errors of the BLOCK argument, MULTI answers at once
    log(await a.cmd('XREAD', 'BLOCK', '10', 'STREAMS', 't', '$'));
    log(await a.cmd('XREADGROUP', 'GROUP', 'nog', 'c', 'BLOCK', '10', 'STREAMS', 't', '>'));
    log(await a.cmd('XREAD', 'BLOCK', '-1', 'STREAMS', 't', '$'));
    log(await a.cmd('XREAD', 'BLOCK', 'x', 'STREAMS', 't', '$'));
    log(await a.cmd('MULTI'));
    log(await a.cmd('XREAD', 'BLOCK', '0', 'STREAMS', 't', '$'));
    log(await a.cmd('EXEC'));
    // RESP3: a map of one stream
    log(await b.cmd('HELLO', '3').then((x) => x.slice(0, 1)));
    log(await r.cmd('XGROUP', 'CREATE', 't', 'g3', '$'));
    b.send('XREADGROUP', 'GROUP', 'g3', 'carol', 'BLOCK', '0', 'STREAMS', 't', '>');
    await blocked(r, 1);
    log(await r.cmd('XADD', 't', '7-0', 'f', 'v3'));
    log(await b.read());
    log(await b.cmd('XREAD', 'STREAMS', 't', '0'));
    log(await b.cmd('XINFO', 'STREAM', 't'));
    log(await r.cmd('MEMORY', 'USAGE', 't', 'SAMPLES', '0'));
  }));

test('keyspace notifications of the group commands (xgroup-*, xsetid; XREADGROUP creating a consumer)', () =>
  both(redis.port, ours.port, async (open, log) => {
    const r = await open();
    const sub = await open();
    log(await r.cmd('CONFIG', 'SET', 'notify-keyspace-events', 'Et'));
    sub.send('PSUBSCRIBE', '__keyevent@0__:*', 'end');
    log(await sub.read());
    log(await sub.read());
    for (const c of [
      ['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM'], ['XADD', 's', '1-0', 'f', 'v'], ['XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '>'],
      ['XGROUP', 'CREATECONSUMER', 's', 'g', 'bob'], ['XGROUP', 'CREATECONSUMER', 's', 'g', 'bob'], ['XCLAIM', 's', 'g', 'carol', '0', '1-0'],
      ['XACK', 's', 'g', '1-0'], ['XGROUP', 'SETID', 's', 'g', '0'], ['XGROUP', 'DELCONSUMER', 's', 'g', 'alice'], ['XSETID', 's', '5-0'],
      ['XGROUP', 'DESTROY', 's', 'g'], ['XGROUP', 'DESTROY', 's', 'g'], ['PUBLISH', 'end', 'x'],
    ]) log(c.join(' ') + ' => ' + (await r.cmd(...c)));
    // every event up to the marker, in order
    for (;;) {
      const m = await sub.read();
      log(m);
      if (m.includes('end')) break;
    }
    log(await r.cmd('CONFIG', 'SET', 'notify-keyspace-events', ''));
  }));
