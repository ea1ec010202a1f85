/**
 * `serve` with maxmemory against a real redis-server 7.0.15 fed the same writes: keys written in
 * three phases a few seconds apart (the LRU clock ticks in seconds), the middle phase read again,
 * then more writes past the limit. Both must stay under the limit, evict about as many keys,
 * keep the same kinds of keys (by prefix, i.e. by last access); with maxmemory-samples 64 both
 * evict every one of the idlest keys. (The evicted sets' overlap is logged: within one phase
 * the keys are equally idle to the second, so which of them go is a draw in both.) Plus the -OOM refusals, CONFIG SET and the INFO fields.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { startRedis, encodeCommand, type RedisHandle } from '../helpers/redis-server.js';
import { serve, type Served } from './helpers.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function pipe(port: number, data: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('redis-cli', ['-h', '127.0.0.1', '-p', String(port), '--pipe'], { maxBuffer: 64 << 20 }, (err, out) => (err ? reject(err) : resolve(out)));
    child.stdin!.end(data);
  });
}

type Cmd = (...args: (string | Buffer)[]) => Promise<unknown>;

interface Target {
  port: number;
  command: Cmd;
}

function num(info: string, field: string): number {
  const m = new RegExp(`^${field}:(\\d+)`, 'm').exec(info);
  if (!m) throw new Error(`no ${field} in INFO`);
  return Number(m[1]);
}

const N = { cold: 6000, warm: 6000, hot: 6000 };

function writes(prefix: string, n: number, seed: number): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; i < n; i++) parts.push(encodeCommand(['SET', `${prefix}:${i}`, 'v'.repeat(40 + ((i * 37 + seed) % 200))]));
  return Buffer.concat(parts);
}

function reads(prefix: string, n: number): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; i < n; i++) parts.push(encodeCommand(['GET', `${prefix}:${i}`]));
  return Buffer.concat(parts);
}

/** used_memory of each target just before the limit was set */
const baselines: number[] = [];

/** The same workload on both, phase by phase. */
async function workload(targets: Target[], maxmemory: number): Promise<void> {
  const each = (f: (t: Target) => Promise<unknown>) => Promise.all(targets.map(f));
  await each((t) => pipe(t.port, writes('cold', N.cold, 1)));
  await sleep(2100);
  await each((t) => pipe(t.port, writes('warm', N.warm, 2)));
  await sleep(2100);
  await each((t) => pipe(t.port, reads('warm', N.warm)));
  await sleep(2100);
  // the live model's used_memory is not Redis's to the byte (docs/eviction.md): each side gets the
  // limit that leaves it as much to free as the first (redis-server) has
  const used = await Promise.all(targets.map(async (t) => num(String(await t.command('INFO', 'memory')), 'used_memory')));
  await each((t) => t.command('CONFIG', 'SET', 'maxmemory', String(maxmemory - used[0]! + used[targets.indexOf(t)]!)));
  baselines.splice(0, baselines.length, ...used);
  // one write at a time: a pipe's buffers would count in used_memory and cost keys of their own
  await each(async (t) => {
    for (let i = 0; i < N.hot; i++) await t.command('SET', `hot:${i}`, 'v'.repeat(40 + ((i * 37 + 3) % 200)));
  });
  // the time procs finish
  for (const t of targets) {
    let last = -1;
    for (let i = 0; i < 100; i++) {
      const n = num((await t.command('INFO', 'stats')) as string, 'evicted_keys');
      if (n === last) break;
      last = n;
      await sleep(30);
    }
  }
}

async function keysOf(t: Target): Promise<Set<string>> {
  const out = new Set<string>();
  let cursor = '0';
  do {
    const [next, keys] = (await t.command('SCAN', cursor, 'COUNT', '100')) as [Buffer, Buffer[]];
    cursor = next.toString();
    for (const k of keys) out.add(k.toString());
  } while (cursor !== '0');
  return out;
}

function allKeys(): string[] {
  return Object.entries(N).flatMap(([p, n]) => Array.from({ length: n }, (_, i) => `${p}:${i}`));
}

async function outcome(t: Target): Promise<{ used: number; evictedKeys: number; left: Set<string>; evicted: Set<string> }> {
  const used = num((await t.command('INFO', 'memory')) as string, 'used_memory');
  const evictedKeys = num((await t.command('INFO', 'stats')) as string, 'evicted_keys');
  const left = await keysOf(t);
  return { used, evictedKeys, left, evicted: new Set(allKeys().filter((k) => !left.has(k))) };
}

function byPrefix(left: Set<string>): Record<string, number> {
  const out: Record<string, number> = { cold: 0, warm: 0, hot: 0 };
  for (const k of left) out[k.split(':')[0]!]! += 1 / left.size;
  return out;
}

async function run(policy: string, samples: number, log: (s: string) => void): Promise<void> {
  const redis: RedisHandle = await startRedis({ args: ['--maxmemory-policy', policy, '--maxmemory-samples', String(samples)] });
  let ours: Served | null = null;
  try {
    ours = await serve([], { eviction: { 'maxmemory-policy': policy as 'allkeys-lru', 'maxmemory-samples': samples } });
    const r: Target = { port: redis.port, command: (...a) => redis.command(...a) };
    const o: Target = { port: ours.port, command: (...a) => ours!.command(...a) };
    const maxmemory = 3 * 1024 * 1024;
    await workload([r, o], maxmemory);
    const a = await outcome(r);
    const b = await outcome(o);
    const both = [...a.evicted].filter((k) => b.evicted.has(k)).length;
    const overlap = both / Math.max(a.evicted.size, b.evicted.size);
    const oursLimit = maxmemory - baselines[0]! + baselines[1]!;
    log(
      `${policy} samples ${samples}: used_memory before the limit redis ${baselines[0]} ours ${baselines[1]}; used after redis ${a.used} ours ${b.used} (limits ${maxmemory} / ${oursLimit}); evicted_keys redis ${a.evictedKeys} ours ${b.evictedKeys}; ` +
        `survivors by prefix redis ${JSON.stringify(byPrefix(a.left))} ours ${JSON.stringify(byPrefix(b.left))}; evicted sets overlap ${(overlap * 100).toFixed(1)}%`,
    );
    // Redis checks before each command: INFO's figure includes its own request's buffers
    assert.ok(a.used <= maxmemory + 4096, `redis used ${a.used}`);
    assert.ok(b.used <= oursLimit + 4096, `ours used ${b.used}`);
    const gap = Math.abs(a.evictedKeys - b.evictedKeys) / a.evictedKeys;
    assert.ok(gap < 0.05, `evicted_keys redis ${a.evictedKeys} ours ${b.evictedKeys}`);
    const pa = byPrefix(a.left);
    const pb = byPrefix(b.left);
    for (const p of Object.keys(pa)) assert.ok(Math.abs(pa[p]! - pb[p]!) < 0.05, `${p}: redis ${pa[p]} ours ${pb[p]}`);
    // the LRU clock ticks in seconds: the warm keys all look equally idle, so which of them go is
    // a draw in both; the idlest (cold) ones must all go first with 64 samples
    if (samples >= 64) {
      assert.equal(pa.cold, 0);
      assert.equal(pb.cold, 0);
    }
  } finally {
    await ours?.stop();
    await redis.stop();
  }
}

test('serve allkeys-lru vs redis-server: same writes, same limit, samples 5 and 64', { timeout: 120_000 }, async (t) => {
  await run('allkeys-lru', 5, (s) => t.diagnostic(s));
  await run('allkeys-lru', 64, (s) => t.diagnostic(s));
});

test('serve: -OOM under noeviction and with nothing to evict, CONFIG SET/GET, INFO fields as redis-server', { timeout: 60_000 }, async () => {
  const redis = await startRedis();
  const ours = await serve();
  try {
    const both = async (...args: string[]) => [await redis.command(...args), await ours.command(...args)] as const;
    const same = async (...args: string[]) => {
      const [a, b] = await both(...args);
      assert.deepEqual(b instanceof Error ? `ERR:${b.message}` : b, a instanceof Error ? `ERR:${a.message}` : a, args.join(' '));
      return a;
    };
    await same('SET', 'a', '1');
    await same('CONFIG', 'SET', 'maxmemory', '1');
    const oom = await same('SET', 'b', '2');
    assert.ok(oom instanceof Error && /^OOM command not allowed when used memory > 'maxmemory'\.$/.test(oom.message), String(oom));
    // not denyoom: reads and DEL go through
    await same('GET', 'a');
    await same('CONFIG', 'SET', 'maxmemory-policy', 'volatile-lru');
    await same('SET', 'c', '3');
    await same('CONFIG', 'SET', 'maxmemory-policy', 'bogus');
    await same('CONFIG', 'SET', 'maxmemory-samples', '0');
    await same('CONFIG', 'SET', 'maxmemory-eviction-tenacity', '101');
    await same('CONFIG', 'SET', 'maxmemory', 'lots');
    await same('CONFIG', 'SET', 'no-such-option', '1');
    await same('CONFIG', 'SET', 'lfu-log-factor', '20', 'lfu-decay-time', '3');
    // CONFIG GET's order is the config dict's: compare as pairs
    const pairs = (r: unknown) => {
      const a = (r as Buffer[]).map(String);
      return Array.from({ length: a.length / 2 }, (_, i) => `${a[2 * i]}=${a[2 * i + 1]}`).sort();
    };
    for (const pat of ['lfu-*', 'maxmemory*']) {
      const [a, b] = await both('CONFIG', 'GET', pat);
      const want = pairs(a);
      assert.deepEqual(pairs(b), want, pat);
    }
    // allkeys: the one key goes, the write then fits nowhere but is let through after the eviction
    await same('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-random');
    await same('OBJECT', 'FREQ', 'a');
    await same('CONFIG', 'SET', 'maxmemory', '0');
    for (const section of ['memory', 'stats']) {
      const names = (s: unknown) => String(s).split('\r\n').filter((l) => /^(maxmemory|mem_not_counted|evicted|total_eviction|current_eviction)/.test(l)).map((l) => l.split(':')[0]);
      const [a, b] = await both('INFO', section);
      assert.deepEqual(names(b), names(a));
    }
    const info = String(await ours.command('INFO', 'memory'));
    assert.match(info, /\r\nmaxmemory_policy:allkeys-random\r\n/);
    assert.match(info, /\r\nmaxmemory:0\r\nmaxmemory_human:0B\r\n/);
  } finally {
    await ours.stop();
    await redis.stop();
  }
});
