/**
 * server.dirty (INFO persistence rdb_changes_since_last_save) against a live redis-server
 * 7.0.15: the same commands on both, and the counter must be equal after every one. The
 * seeded sequences of the differential tests (test/resp/diff-gen*.ts: every data command,
 * error cases included) and a hand list for what they do not reach (FLUSHDB/FLUSHALL, SWAPDB,
 * MULTI/EXEC, blocking pops served by another client, PFCOUNT's cache write, BITFIELD).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RespClient, type RedisHandle } from '../helpers/redis-server.js';
import { redisAndOurs, type Served } from './helpers.js';
import { Rng, nextCommand } from './diff-gen.js';
import { nextDataCommand } from './diff-gen-data.js';

let redis: RedisHandle;
let ours: Served;
redisAndOurs((r, o) => {
  redis = r;
  ours = o;
});

async function dirty(cmd: (...a: string[]) => Promise<unknown>): Promise<number> {
  const info = String(await cmd("INFO", "persistence"));
  if (!/rdb_changes/.test(info)) throw new Error(`INFO persistence (${cmd === onRedis ? "redis" : "ours"}): ${info.slice(0, 200)}`);
  return Number(/rdb_changes_since_last_save:(\d+)/.exec(info)![1]);
}
const onRedis = (...a: string[]): Promise<unknown> => redis.command(...a);
const onOurs = (...a: string[]): Promise<unknown> => ours.command(...a);

/** run each command on both; the dirty counters' steps must agree */
async function compare(cmds: Iterable<string[]>): Promise<{ n: number; bumped: number; mismatches: string[] }> {
  const mismatches: string[] = [];
  await Promise.all([redis.command('RESET'), ours.command('RESET')]);
  let [da, db] = await Promise.all([dirty(onRedis), dirty(onOurs)]);
  let n = 0;
  let bumped = 0;
  let inMulti = false;
  for (const cmd of cmds) {
    await Promise.all([redis.command(...cmd), ours.command(...cmd)]);
    // INFO would be queued: the transaction's writes are compared at EXEC
    const name = cmd[0]!.toUpperCase();
    if (name === 'MULTI') inMulti = true;
    if (name === 'EXEC' || name === 'DISCARD') inMulti = false;
    if (inMulti) continue;
    const [a, b] = await Promise.all([dirty(onRedis), dirty(onOurs)]);
    if (a - da !== b - db) mismatches.push(`#${n} ${cmd.join(' ').slice(0, 100)}: redis +${a - da}, ours +${b - db}`);
    if (a !== da) bumped++;
    da = a;
    db = b;
    n++;
    if (mismatches.length > 15) break;
  }
  return { n, bumped, mismatches };
}

function* seeded(count: number, gen: (r: Rng) => string[], seed: number): Generator<string[]> {
  const r = new Rng(seed);
  for (let i = 0; i < count; i++) {
    const c = gen(r);
    if (c[0] === 'MEMORY' || c[0] === 'DEBUG') continue;
    yield c;
  }
}

test('dirty: the seeded command sequences of the differential tests', { timeout: 300_000 }, async () => {
  const ids = new Map<string, number>();
  const a = await compare(seeded(2500, (r) => nextCommand(r, ids), 7));
  const b = await compare(seeded(2500, nextDataCommand, 11));
  assert.deepEqual([...a.mismatches, ...b.mismatches], []);
  assert.ok(a.bumped > 500 && b.bumped > 500, `only ${a.bumped} / ${b.bumped} commands changed dirty`);
});

test('dirty: flushes, SWAPDB, transactions, PFCOUNT, BITFIELD, SETBIT', async () => {
  const r = await compare([
    ['MSET', 'a', '1', 'b', '2', 'c', '3'], ['SELECT', '1'], ['SET', 'x', '1'], ['SELECT', '0'], ['FLUSHDB'], ['FLUSHDB'],
    ['MSET', 'a', '1', 'b', '2'], ['SWAPDB', '0', '1'], ['FLUSHALL'], ['FLUSHALL'],
    ['MULTI'], ['SET', 'k', 'v'], ['LPUSH', 'l', 'a', 'b', 'c'], ['INCR', 'n'], ['EXEC'],
    ['PFADD', 'h', 'a', 'b', 'c'], ['PFCOUNT', 'h'], ['PFCOUNT', 'h'], ['PFADD', 'h', 'a'], ['PFCOUNT', 'h', 'h'],
    ['BITFIELD', 'bf', 'SET', 'u8', '0', '200', 'INCRBY', 'u8', '0', '0', 'GET', 'u8', '0'], ['BITFIELD', 'bf', 'SET', 'u8', '0', '200'],
    ['SETBIT', 'sb', '7', '1'], ['SETBIT', 'sb', '7', '1'], ['SETBIT', 'sb', '100', '0'], ['SETBIT', 'sb', '3', '0'],
    ['ZADD', 'z', '1', 'a', '2', 'b'], ['ZADD', 'z', '1', 'a', '3', 'b', '4', 'c'], ['ZADD', 'z', 'GT', '0', 'a', '5', 'a'], ['ZINCRBY', 'z', '0', 'a'],
    ['GEOADD', 'g', '13.36', '38.11', 'p', '15.08', '37.50', 'q'], ['GEOADD', 'g', 'XX', 'CH', '13.36', '38.12', 'p'],
    ['SMOVE', 'nos', 'd', 'm'], ['SADD', 's1', 'm', 'n'], ['SADD', 's2', 'm'], ['SMOVE', 's1', 's2', 'm'], ['SMOVE', 's1', 's2', 'n'], ['SMOVE', 's2', 's2', 'n'],
    ['GETEX', 'k', 'PERSIST'], ['GETEX', 'k', 'EX', '100'], ['GETEX', 'k', 'PERSIST'], ['GETEX', 'k'], ['SET', 'k', 'v', 'NX', 'GET'], ['SET', 'k2', 'v', 'XX', 'GET'],
    ['SORT', 'l', 'ALPHA', 'STORE', 'sorted'], ['SORT', 'nolist', 'STORE', 'sorted'], ['LTRIM', 'sorted', '1', '1'], ['RESTORE', 'r', '0', '\x00\x01a\x09\x00\xb2\x24\xb9\xaf\x37\x5d\xb4\xea'],
  ]);
  assert.deepEqual(r.mismatches, []);
  assert.ok(r.bumped > 20, `only ${r.bumped} bumps`);
});

test('dirty: blocking pops count when served', async () => {
  const run = async (port: number, info: () => Promise<number>): Promise<number[]> => {
    const blocked = new RespClient(port);
    const out: number[] = [await info()];
    try {
      const pending = [blocked.command(['BLPOP', 'bl', '0']), blocked.command(['BLMPOP', '0', '1', 'bl2', 'LEFT', 'COUNT', '3']), blocked.command(['BZPOPMIN', 'bz', '0'])];
      await new Promise((r) => setTimeout(r, 100));
      out.push(await info());
      const cmd = port === redis.port ? onRedis : onOurs;
      await cmd('RPUSH', 'bl', 'a', 'b');
      await pending[0];
      out.push(await info());
      await cmd('RPUSH', 'bl2', 'a', 'b', 'c', 'd');
      await pending[1];
      out.push(await info());
      await cmd('ZADD', 'bz', '1', 'm');
      await pending[2];
      out.push(await info());
      await cmd('FLUSHALL');
    } finally {
      blocked.close();
    }
    return out.map((x) => x - out[0]!);
  };
  const want = await run(redis.port, () => dirty(onRedis));
  const got = await run(ours.port, () => dirty(onOurs));
  assert.deepEqual(got, want);
  assert.deepEqual(want, [0, 0, 2, 9, 11]);
});
