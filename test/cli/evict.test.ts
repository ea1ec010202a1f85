/**
 * `rdblens evict` on dumps written by a real redis-server 7.0.15 with known idle times
 * (RESTORE ... IDLETIME under allkeys-lru) and TTLs: the exact order evicts the idlest keys
 * first, volatile-ttl the soonest to expire, the CSV lists the victims in eviction order in the
 * CSV report's columns, and a dump without LRU data says so.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { encodeCommand, startRedis, type RedisHandle } from '../helpers/redis-server.js';
import { rdblens, parseCsv } from './cli-helpers.js';
import { KEY_COLUMNS } from '../../src/report/csv.js';

const N = 300;
let lruDump = '';
let plainDump = '';
let servers: RedisHandle[] = [];
/** key -> idle seconds given */
const idle = new Map<string, number>();
/** key -> TTL ms given */
const ttl = new Map<string, number>();

before(async () => {
  const w = await startRedis({ args: ['--maxmemory-policy', 'allkeys-lru', '--dbfilename', 'lru.rdb'] });
  servers.push(w);
  await w.command('SET', 'tpl', 'v'.repeat(100));
  const payload = (await w.command('DUMP', 'tpl')) as Buffer;
  await w.command('DEL', 'tpl');
  const parts: Buffer[] = [];
  for (let i = 0; i < N; i++) {
    // old:i idle 100000 + 10 i, new:i idle 10 i; ttl:i expire in 1 h + i s (idle 50000)
    for (const [name, secs] of [
      [`old:${i}`, 100_000 + 10 * i],
      [`new:${i}`, 10 * i],
    ] as const) {
      idle.set(name, secs);
      parts.push(encodeCommand(['RESTORE', name, '0', payload, 'IDLETIME', String(secs)]));
    }
    const t = 3_600_000 + i * 1000;
    ttl.set(`ttl:${i}`, t);
    idle.set(`ttl:${i}`, 50_000);
    parts.push(encodeCommand(['RESTORE', `ttl:${i}`, String(t), payload, 'IDLETIME', '50000']));
  }
  await w.pipe(Buffer.concat(parts));
  lruDump = await w.save();
  const p = await startRedis({ args: ['--dbfilename', 'plain.rdb'] });
  servers.push(p);
  for (let i = 0; i < 50; i++) await p.command('SET', `k:${i}`, 'x'.repeat(200));
  plainDump = await p.save();
});

after(async () => {
  for (const s of servers) await s.stop();
  servers = [];
});

interface EvictJson {
  used_memory_before: number;
  used_memory_after: number;
  evicted_keys: number;
  evicted_bytes: number;
  surviving_keys: number;
  maxmemory: number;
  notes: string[];
  exact_mode?: { evicted_keys: number; overlap: number };
  sampled_mode?: { evicted_keys: number; overlap: number };
  by_prefix: { prefix: string; evicted_keys: number; keys: number }[];
}

async function evictJson(args: string[]): Promise<EvictJson> {
  const r = await rdblens(['evict', lruDump, '--json', '-q', ...args]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as EvictJson;
}

test('evict --mode exact allkeys-lru: the idlest keys go first, until under the limit', async () => {
  const probe = await evictJson(['--maxmemory', '100gb', '--policy', 'allkeys-lru']);
  assert.equal(probe.evicted_keys, 0);
  // a limit that needs about half the old: keys gone
  const perKey = 160;
  const limit = probe.used_memory_before - (N / 2) * perKey;
  const j = await evictJson(['--maxmemory', String(limit), '--policy', 'allkeys-lru', '--mode', 'exact']);
  assert.ok(j.used_memory_after <= limit);
  assert.ok(j.evicted_bytes >= probe.used_memory_before - limit);
  assert.equal(j.used_memory_before - j.evicted_bytes, j.used_memory_after);
  const csv = await rdblens(['evict', lruDump, '-q', '--maxmemory', String(limit), '--policy', 'allkeys-lru', '--mode', 'exact', '--csv']);
  const rows = parseCsv(csv.stdout);
  assert.deepEqual(rows[0], [...KEY_COLUMNS]);
  const keys = rows.slice(1).map((r) => r[2]!);
  assert.equal(keys.length, j.evicted_keys);
  // the idlest old: keys, in descending idle order
  assert.deepEqual(
    keys,
    Array.from({ length: keys.length }, (_, i) => `old:${N - 1 - i}`),
  );
  assert.ok(j.sampled_mode && j.sampled_mode.evicted_keys > 0);
});

test('evict sampled: only old: keys go; with maxmemory-samples 64 closer to the exact order than with 5', async () => {
  const probe = await evictJson(['--maxmemory', '100gb', '--policy', 'allkeys-lru']);
  const limit = probe.used_memory_before - (N / 2) * 160;
  const j64 = await evictJson(['--maxmemory', String(limit), '--policy', 'allkeys-lru', '--samples', '64']);
  const j5 = await evictJson(['--maxmemory', String(limit), '--policy', 'allkeys-lru', '--samples', '5']);
  const oldShare = (j: EvictJson) => (j.by_prefix.find((p) => p.prefix === 'old:')?.evicted_keys ?? 0) / j.evicted_keys;
  // the pool keeps the best of every sample: the idlest third of the keys is found either way
  assert.ok(oldShare(j64) > 0.95, `64 samples: ${oldShare(j64)}`);
  assert.ok(oldShare(j5) > 0.9, `5 samples: ${oldShare(j5)}`);
  // but which of the old: keys: 64 samples come near the exact order, 5 samples not
  assert.ok(j64.exact_mode!.overlap > 0.8, `64 samples: ${j64.exact_mode!.overlap}`);
  assert.ok(j64.exact_mode!.overlap > j5.exact_mode!.overlap, `5: ${j5.exact_mode!.overlap} 64: ${j64.exact_mode!.overlap}`);
});

test('evict volatile-ttl: only keys with a TTL, the soonest first; noeviction evicts nothing', async () => {
  const probe = await evictJson(['--maxmemory', '100gb', '--policy', 'volatile-ttl']);
  const limit = probe.used_memory_before - 20 * 160;
  const csv = await rdblens(['evict', lruDump, '-q', '--maxmemory', String(limit), '--policy', 'volatile-ttl', '--mode', 'exact', '--csv']);
  const keys = parseCsv(csv.stdout).slice(1).map((r) => r[2]!);
  assert.ok(keys.length >= 10, `${keys.length} keys`);
  assert.deepEqual(
    keys,
    keys.map((_, i) => `ttl:${i}`),
  );
  const none = await evictJson(['--maxmemory', String(limit), '--policy', 'noeviction']);
  assert.equal(none.evicted_keys, 0);
  const text = await rdblens(['evict', lruDump, '-q', '--maxmemory', String(limit), '--policy', 'noeviction']);
  assert.match(text.stdout, /noeviction evicts nothing, every denyoom write gets -OOM/);
});

test('evict on a dump without LRU data says so; bad flags are usage errors', async () => {
  const r = await rdblens(['evict', plainDump, '-q', '--maxmemory', '100kb', '--policy', 'allkeys-lru']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /the dump has no LRU idle times/);
  const lfu = await rdblens(['evict', plainDump, '-q', '--maxmemory', '100kb', '--policy', 'volatile-lfu']);
  assert.match(lfu.stdout, /no key has a TTL: volatile-lfu can evict nothing/);
  assert.equal((await rdblens(['evict', plainDump, '--policy', 'allkeys-lru'])).code, 2);
  assert.equal((await rdblens(['evict', plainDump, '--maxmemory', '1mb', '--policy', 'lru'])).code, 2);
});
