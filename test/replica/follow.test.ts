/**
 * rdblens following a real redis-server 7.0.15 as a replica: initial sync of every type and
 * encoding (disk-based and diskless, with requirepass / an ACL user on the primary), writes
 * during and after the sync (plain, MULTI/EXEC, Lua scripts, keys expiring), and broken links
 * (CLIENT KILL TYPE replica, a primary restart, a connection cut mid-RDB). Each ends with the
 * follower equal to the primary key by key (type, encoding, length, expiry, MEMORY USAGE).
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeCommand, type RedisHandle } from '../helpers/redis-server.js';
import { assertEqualToPrimary, caughtUp, follow, Proxy, realReplica, replicaCaughtUp, startPrimary, waitFor } from './helpers.js';
import { rng } from '../helpers/rng.js';

/** Data of every type and encoding in dbs 0 and 2 (bigString: bytes per large string, for a large RDB). */
async function populate(r: RedisHandle, bigStrings = 0): Promise<void> {
  const cmds: string[][] = [];
  for (let i = 0; i < 300; i++) cmds.push(['SET', `str:${i}`, 'x'.repeat(i % 70)]);
  for (let i = 0; i < 50; i++) cmds.push(['SET', `int:${i}`, String(i * 1000003)]);
  for (let i = 0; i < 20; i++) cmds.push(['SET', `ttl:${i}`, 'v', 'EX', String(1000 + i)]);
  cmds.push(['SET', 'raw', 'r'.repeat(5000)]);
  // random text: LZF can't shrink it, so the RDB is as large as asked
  for (let i = 0; i < bigStrings; i++) cmds.push(['SET', `big:${i}`, randomBytes(7500).toString('base64')]);
  cmds.push(['RPUSH', 'list:small', 'a', 'b', '3']);
  for (let i = 0; i < 2000; i += 100) cmds.push(['RPUSH', 'list:big', ...Array.from({ length: 100 }, (_, j) => `element-${i + j}`)]);
  cmds.push(['HSET', 'hash:small', 'f1', 'v1', 'f2', '2']);
  for (let i = 0; i < 1000; i += 100) cmds.push(['HSET', 'hash:big', ...Array.from({ length: 100 }, (_, j) => [`field:${i + j}`, `value-${i + j}`]).flat()]);
  cmds.push(['SADD', 'set:int', '1', '2', '3', '100000']);
  for (let i = 0; i < 600; i += 100) cmds.push(['SADD', 'set:big', ...Array.from({ length: 100 }, (_, j) => `member-${i + j}`)]);
  cmds.push(['ZADD', 'zset:small', '1', 'a', '2.5', 'b']);
  for (let i = 0; i < 400; i += 100) cmds.push(['ZADD', 'zset:big', ...Array.from({ length: 100 }, (_, j) => [String((i + j) / 7), `m${i + j}`]).flat()]);
  for (let i = 0; i < 300; i++) cmds.push(['XADD', 'stream', `${1000 + i}-0`, 'f', String(i), 'g', 'x'.repeat(i % 10)]);
  cmds.push(['XGROUP', 'CREATE', 'stream', 'g1', '0']);
  cmds.push(['XREADGROUP', 'GROUP', 'g1', 'c1', 'COUNT', '5', 'STREAMS', 'stream', '>']);
  cmds.push(['PEXPIRE', 'list:small', '500000']);
  cmds.push(['SELECT', '2']);
  for (let i = 0; i < 30; i++) cmds.push(['HSET', `db2:h:${i}`, 'a', String(i)]);
  cmds.push(['SELECT', '0']);
  await r.pipe(Buffer.concat(cmds.map((c) => encodeCommand(c))));
}

/**
 * Random writes the engine supports, plain and in MULTI/EXEC and Lua scripts, with keys
 * expiring (EX/PX, some within the run), until `stop()`.
 */
/**
 * An APPEND's greedy sds growth is history the RDB does not carry: a replica that loaded the
 * string after an APPEND holds it exact-fit, one that applied the APPEND holds the slack. Two
 * replicas syncing at different moments then differ legitimately, so APPEND waits until
 * `appendsFrom()` says every replica has synced (a SET of the same key before that).
 */
function writer(r: RedisHandle, seed: number, appendsFrom: () => boolean = () => true): { stop(): Promise<number> } {
  const rand = rng(seed);
  const pick = <T>(a: T[]): T => a[Math.floor(rand() * a.length)]!;
  let running = true;
  let n = 0;
  const one = (): string[] => {
    const k = Math.floor(rand() * 40);
    switch (Math.floor(rand() * 21)) {
      // issue #12: LMPOP/ZMPOP propagate as [LR]POP / ZPOP{MIN,MAX} with a count, the stores verbatim
      case 16:
        return ['LMPOP', '2', `w:l:${k % 5}`, `w:l:${(k + 1) % 5}`, pick(['LEFT', 'RIGHT']), 'COUNT', String(1 + Math.floor(rand() * 3))];
      case 17:
        return ['ZMPOP', '2', `w:z:${k % 5}`, 'zset:big', pick(['MIN', 'MAX']), ...(rand() < 0.5 ? ['COUNT', '2'] : [])];
      case 18:
        return ['ZRANGESTORE', `w:zs:${k % 3}`, pick(['zset:big', `w:z:${k % 5}`]), String(Math.floor(rand() * 50)), String(Math.floor(rand() * 200)), ...(rand() < 0.3 ? ['REV'] : [])];
      case 19:
        return ['ZDIFFSTORE', `w:zd:${k % 3}`, '2', 'zset:big', `w:z:${k % 5}`];
      case 20:
        return ['ZRANGESTORE', `w:zs:${k % 3}`, 'zset:big', String(rand() * 50), '+inf', 'BYSCORE', 'LIMIT', '0', String(Math.floor(rand() * 150))];
      case 0:
        return ['SET', `w:s:${k}`, 'v'.repeat(Math.floor(rand() * 60))];
      case 1:
        return ['SET', `w:e:${k}`, 'e', 'PX', String(50 + Math.floor(rand() * 400))];
      case 2:
        return ['INCRBY', `w:n:${k}`, String(Math.floor(rand() * 1000))];
      case 3:
        return appendsFrom() ? ['APPEND', `str:${k}`, 'appended'] : ['SET', `str:${k}`, 'x'.repeat(k)];
      case 4:
        return [pick(['LPUSH', 'RPUSH']), `w:l:${k % 5}`, ...Array.from({ length: 1 + Math.floor(rand() * 5) }, () => `e${Math.floor(rand() * 100)}`)];
      case 5:
        return [pick(['LPOP', 'RPOP']), pick(['list:big', `w:l:${k % 5}`])];
      case 6:
        return ['HSET', pick(['hash:big', `w:h:${k % 5}`]), `f${Math.floor(rand() * 200)}`, 'x'.repeat(Math.floor(rand() * 80))];
      case 7:
        return ['HDEL', `w:h:${k % 5}`, `f${Math.floor(rand() * 200)}`];
      case 8:
        return ['SADD', pick(['set:int', `w:set:${k % 5}`]), String(Math.floor(rand() * 1000))];
      case 9:
        return ['SREM', 'set:big', `member-${Math.floor(rand() * 600)}`];
      case 10:
        return ['ZADD', pick(['zset:big', `w:z:${k % 5}`]), String(rand() * 100), `m${Math.floor(rand() * 300)}`];
      case 11:
        return ['ZREM', 'zset:big', `m${Math.floor(rand() * 400)}`];
      case 12:
        return ['XADD', 'stream', 'MAXLEN', '250', '*', 'f', String(k)];
      case 13:
        return ['EXPIRE', `w:s:${k}`, String(100 + k)];
      case 14:
        return ['DEL', `w:s:${(k + 1) % 40}`];
      default:
        return ['SPOP', `w:set:${k % 5}`];
    }
  };
  const done = (async () => {
    while (running) {
      const batch: string[][] = [];
      for (let i = 0; i < 20; i++) batch.push(one());
      // a transaction and a script now and then
      batch.push(['MULTI'], ['INCR', 'w:tx'], ['RPUSH', 'w:txlist', String(n)], ['EXEC']);
      if (rand() < 0.3) batch.push(['EVAL', "redis.call('hset', KEYS[1], ARGV[1], ARGV[1]); return redis.call('incr', KEYS[2])", '2', 'w:lua:h', 'w:lua:n', String(n % 50)]);
      // pipelined over the helper's (authenticated) connection
      await Promise.all(batch.map((c) => r.command(...c)));
      n += batch.length;
      await new Promise((res) => setTimeout(res, 2));
    }
    return n;
  })();
  return {
    async stop() {
      running = false;
      return done;
    },
  };
}

/** Let every short TTL run out on the primary and have it delete them (DELs reach the follower). */
async function settle(r: RedisHandle, f: Awaited<ReturnType<typeof follow>>): Promise<void> {
  await new Promise((res) => setTimeout(res, 600));
  // touching every key expires the ones past their TTL on the primary, which propagates DEL
  for (const db of ['0', '2']) {
    await r.command('SELECT', db);
    const keys = (await r.command('KEYS', '*')) as Buffer[];
    for (const k of keys) await r.command('EXISTS', k);
  }
  await r.command('SELECT', '0');
  await caughtUp(r, f);
}

for (const diskless of [false, true]) {
  test(`follows a primary (${diskless ? 'diskless' : 'disk-based'} sync, ${diskless ? 'ACL user' : 'requirepass'}): every key equal, writes during and after the sync`, { timeout: 120_000 }, async () => {
    const r = await startPrimary(['--repl-diskless-sync', diskless ? 'yes' : 'no', '--repl-diskless-sync-delay', '0']);
    let f: Awaited<ReturnType<typeof follow>> | null = null;
    let rep: RedisHandle | null = null;
    try {
      await populate(r);
      await r.command('CONFIG', 'SET', 'requirepass', 'secret');
      if (diskless) await r.command('ACL', 'SETUSER', 'repl', 'on', '>replpass', '+@all', '~*');
      // writes run from before the link starts to after the sync
      let synced = false;
      const w = writer(r, diskless ? 7 : 3, () => synced);
      f = await follow(r.port, diskless ? { masteruser: 'repl', masterauth: 'replpass' } : { masterauth: 'secret' });
      rep = await realReplica(r, diskless ? ['--masteruser', 'repl', '--masterauth', 'replpass'] : ['--masterauth', 'secret']);
      await f.follower.firstSync;
      await replicaCaughtUp(r, rep);
      synced = true;
      await new Promise((res) => setTimeout(res, 400));
      const sent = await w.stop();
      assert.ok(sent > 100, `only ${sent} commands written`);
      await settle(r, f);
      const info = String(await f.command('INFO', 'replication'));
      assert.match(info, /role:slave/);
      assert.match(info, /master_link_status:up/);
      assert.match(info, /rdblens_unsupported_commands:0/, info);
      assert.ok(f.follower.applied > 50, `only ${f.follower.applied} commands applied`);
      const n = await assertEqualToPrimary(r, f, [0, 2], rep);
      assert.ok(n > 400, `${n} keys compared`);
      // read-only to clients while following
      const refused = await f.command('SET', 'x', '1');
      assert.ok(refused instanceof Error && /^READONLY/.test(refused.message), String(refused));
    } finally {
      await f?.stop();
      await rep?.stop();
      await r.stop();
    }
  });
}

test('CLIENT KILL TYPE replica: reconnects with a partial resync, nothing lost', { timeout: 60_000 }, async () => {
  const r = await startPrimary();
  let f: Awaited<ReturnType<typeof follow>> | null = null;
  let rep: RedisHandle | null = null;
  let w: ReturnType<typeof writer> | null = null;
  try {
    await populate(r);
    // like the follower, the real replica loads the RDB (see realReplica)
    rep = await realReplica(r);
    f = await follow(r.port);
    await f.follower.firstSync;
    await caughtUp(r, f);
    w = writer(r, 11);
    await new Promise((res) => setTimeout(res, 200));
    // both replicas: the real one and rdblens
    const killed = await r.command('CLIENT', 'KILL', 'TYPE', 'replica');
    assert.equal(killed, 2);
    await new Promise((res) => setTimeout(res, 500));
    await w.stop();
    w = null;
    await waitFor('partial resync', () => f!.follower.link.syncs.partial >= 1);
    await settle(r, f);
    assert.equal(f.follower.link.syncs.full, 1, 'no second full sync');
    await assertEqualToPrimary(r, f, [0, 2], rep);
  } finally {
    await w?.stop();
    await f?.stop();
    await rep?.stop();
    await r.stop();
  }
});

test('the primary restarted: the follower resyncs and ends equal', { timeout: 90_000 }, async () => {
  const r1 = await startPrimary([], { keepDir: true });
  const proxy = new Proxy(r1.port);
  await proxy.listen();
  let r2: RedisHandle | null = null;
  let f: Awaited<ReturnType<typeof follow>> | null = null;
  try {
    await populate(r1);
    f = await follow(proxy.port);
    await f.follower.firstSync;
    await caughtUp(r1, f);
    await r1.command('SET', 'before-restart', '1');
    await r1.save();
    await r1.stop();
    proxy.dropAll();
    r2 = await startPrimary([], { dir: r1.dir });
    proxy.retarget(r2.port);
    assert.equal(String(await r2.command('GET', 'before-restart')), '1');
    await r2.command('SET', 'after-restart', '2');
    await r2.command('DEL', 'str:1');
    await waitFor('resync with the restarted primary', () => f!.follower.link.state === 'connected' && f!.follower.link.syncs.reconnects >= 1);
    await caughtUp(r2, f);
    await assertEqualToPrimary(r2, f, [0, 2]);
  } finally {
    await f?.stop();
    await proxy.close();
    await r2?.stop();
    await r1.stop();
    await rm(r1.dir, { recursive: true, force: true });
  }
});

for (const diskless of [false, true]) {
  test(`a connection cut mid-RDB (${diskless ? 'diskless' : 'disk-based'}): the follower resyncs from scratch and ends equal`, { timeout: 90_000 }, async () => {
    const r = await startPrimary(['--repl-diskless-sync', diskless ? 'yes' : 'no', '--repl-diskless-sync-delay', '0']);
    const proxy = new Proxy(r.port);
    await proxy.listen();
    let f: Awaited<ReturnType<typeof follow>> | null = null;
    let rep: RedisHandle | null = null;
    try {
      await populate(r, 300);
      rep = await realReplica(r);
      proxy.cutAfter(1_000_000);
      f = await follow(proxy.port);
      await f.follower.firstSync;
      assert.equal(proxy.cuts, 1, 'the first transfer was cut');
      assert.ok(f.follower.link.syncs.full >= 2, 'a second full sync after the cut');
      await r.command('SET', 'after', 'cut');
      await caughtUp(r, f);
      const n = await assertEqualToPrimary(r, f, [0, 2], rep);
      assert.ok(n > 600);
    } finally {
      await f?.stop();
      await proxy.close();
      await rep?.stop();
      await r.stop();
    }
  });
}
