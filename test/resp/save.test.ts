/**
 * SAVE, BGSAVE, LASTSAVE and SHUTDOWN. The file SAVE / BGSAVE write is loaded by a live
 * redis-server 7.0.15, which must then hold the same keys, values (DUMP payloads), TTLs and
 * function libraries; the replies (including SHUTDOWN's errors) and INFO persistence's
 * counters must be redis-server's. SHUTDOWN stops a spawned `rdblens serve` process.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startRedis, RespClient, type RedisHandle } from '../helpers/redis-server.js';
import { startServeProcess } from '../helpers/serve-process.js';
import { serve, type Served } from './helpers.js';

const LIB = "#!lua name=savelib\nredis.register_function('f1', function() return 1 end)";

async function fill(s: { command(...a: string[]): Promise<unknown> }): Promise<void> {
  await s.command('SET', 'str', 'hello');
  await s.command('SET', 'int', '12345');
  await s.command('SET', 'ttl', 'v', 'PXAT', String(Date.now() + 3_600_000));
  await s.command('RPUSH', 'list', 'a', 'b', '3');
  await s.command('SADD', 'iset', '1', '2', '3');
  await s.command('SADD', 'set', 'x', 'y');
  await s.command('HSET', 'hash', 'f', 'v', 'g', 'w');
  await s.command('ZADD', 'zset', '1.5', 'm', '2', 'n');
  await s.command('XADD', 'stream', '1-1', 'k', 'v');
  await s.command('SELECT', '3');
  await s.command('SET', 'in3', 'x'.repeat(100));
  await s.command('SELECT', '0');
  await s.command('FUNCTION', 'LOAD', LIB);
}

/** what a server holds: per db, key → DUMP payload (hex) and TTL bucket; the libraries */
async function contents(s: { command(...a: string[]): Promise<unknown> }): Promise<unknown> {
  const out: Record<string, string> = {};
  for (const db of ['0', '3']) {
    await s.command('SELECT', db);
    const keys = ((await s.command('KEYS', '*')) as Buffer[]).map(String).sort();
    for (const k of keys) {
      const ttl = (await s.command('PTTL', k)) as number;
      // a hashtable set's DUMP follows its dict order (redis-server's random hash seed): its members instead
      const enc = String(await s.command('OBJECT', 'ENCODING', k));
      const value = enc === 'hashtable' ? ((await s.command('SMEMBERS', k)) as Buffer[]).map(String).sort().join(',') : ((await s.command('DUMP', k)) as Buffer).toString('hex');
      out[`${db}/${k}`] = `${enc} ${value} ttl:${ttl < 0 ? ttl : Math.round(ttl / 100_000)}`;
    }
  }
  await s.command('SELECT', '0');
  out.functions = String(((await s.command('FUNCTION', 'LIST')) as unknown[][]).map((l) => String(l[1])));
  return out;
}

function persistence(info: unknown): Record<string, string> {
  const o: Record<string, string> = {};
  for (const l of String(info).split('\r\n')) {
    const [k, v] = l.split(':');
    if (v !== undefined) o[k!] = v;
  }
  return o;
}

async function loadIn(dir: string): Promise<RedisHandle> {
  return startRedis({ dir, keepDir: true, args: ['--dbfilename', 'dump.rdb'] });
}

test('SAVE writes dir/dbfilename; redis-server loads it with the same keys, values, TTLs, libraries', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rdblens-save-'));
  const ours: Served = await serve([], { target: 'redis-7.0', dir });
  const ref = await startRedis();
  let loaded: RedisHandle | null = null;
  try {
    await fill(ours);
    await fill(ref);
    const want = await contents(ref);
    assert.deepEqual(await contents(ours), want);
    const before = persistence(await ours.command('INFO', 'persistence'));
    assert.ok(Number(before.rdb_changes_since_last_save) > 10);
    assert.equal(await ours.command('SAVE'), 'OK');
    assert.equal(await ref.command('SAVE'), 'OK');
    const [a, b] = [persistence(await ours.command('INFO', 'persistence')), persistence(await ref.command('INFO', 'persistence'))];
    for (const k of ['rdb_changes_since_last_save', 'rdb_saves', 'rdb_last_bgsave_status', 'rdb_bgsave_in_progress']) assert.equal(a[k], b[k], k);
    assert.ok(Math.abs(Number(a.rdb_last_save_time) - Date.now() / 1000) < 5);
    assert.equal(await ours.command('LASTSAVE'), Number(a.rdb_last_save_time));
    assert.deepEqual(readdirSync(dir), ['dump.rdb']);
    await ours.stop();
    loaded = await loadIn(dir);
    assert.deepEqual(await contents(loaded), want);
  } finally {
    await loaded?.stop();
    await ref.stop();
    await ours.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('BGSAVE: started, then in progress until written; the file loads in redis-server; dirty counts what came after', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rdblens-bgsave-'));
  const ours: Served = await serve([], { target: 'redis-7.0', dir });
  let loaded: RedisHandle | null = null;
  try {
    await fill(ours);
    const want = await contents(ours);
    const c = new RespClient(ours.port);
    // the write after BGSAVE is not in the snapshot and stays counted
    const [started, , again] = await Promise.all([c.command(['BGSAVE']), c.command(['SET', 'after', '1']), c.command(['BGSAVE'])]);
    assert.equal(String(started), 'Background saving started');
    assert.equal((again as Error).message, 'ERR Background save already in progress');
    for (let i = 0; i < 100 && persistence(await ours.command('INFO', 'persistence')).rdb_bgsave_in_progress !== '0'; i++) await new Promise((r) => setTimeout(r, 20));
    const p = persistence(await ours.command('INFO', 'persistence'));
    assert.equal(p.rdb_bgsave_in_progress, '0');
    assert.equal(p.rdb_changes_since_last_save, '1');
    assert.equal(p.rdb_last_bgsave_status, 'ok');
    assert.equal((await ours.command('BGSAVE', 'X')) instanceof Error, true);
    c.close();
    await ours.stop();
    loaded = await loadIn(dir);
    assert.deepEqual(await contents(loaded), want);
  } finally {
    await loaded?.stop();
    await ours.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("SHUTDOWN's errors are redis-server's; SHUTDOWN NOSAVE stops rdblens serve (exit 0), writing nothing", async () => {
  const ref = await startRedis();
  const proc = await startServeProcess(['--port', '0']);
  const ours = new RespClient(proc.port);
  try {
    for (const args of [['SHUTDOWN', 'ABORT'], ['SHUTDOWN', 'FOO'], ['SHUTDOWN', 'NOSAVE', 'SAVE'], ['SHUTDOWN', 'ABORT', 'NOW'], ['SHUTDOWN', 'ABORT', 'FORCE']]) {
      const [a, b] = await Promise.all([ref.command(...args), ours.command(args)]);
      assert.deepEqual(b, a, args.join(' '));
    }
    const exited = new Promise<number | null>((r) => proc.child.once('exit', (code) => r(code)));
    await ours.command(['SHUTDOWN', 'NOSAVE']).catch(() => null);
    assert.equal(await exited, 0);
    assert.match(proc.log(), /User requested shutdown/);
    assert.equal(existsSync('dump.rdb'), false);
  } finally {
    ours.close();
    if (proc.child.exitCode === null) process.kill(proc.child.pid!, 'SIGKILL');
    await ref.stop();
  }
});
