/**
 * The eviction engine's parts against evict.c 7.0.15's arithmetic, and the pool's behaviour on a
 * small keyspace whose right answer is known.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_EVICTION_CONFIG,
  EVPOOL_SIZE,
  EVICT_FAIL,
  EVICT_OK,
  EVICT_RUNNING,
  EvictionPool,
  Evictor,
  LFUDecrAndReturn,
  LFUGetTimeInMinutes,
  LFULogIncr,
  LFU_INIT_VAL,
  LRU_CLOCK_MAX,
  estimateObjectIdleTime,
  evictionRandom,
  getLRUClock,
  loadedObjectLru,
  parseEvictionSetting,
  type EvictionConfig,
  type EvictionKeyspace,
} from '../../src/memory/evict.js';

/** A tiny keyspace: one db, keys k0..k(n-1), given sizes, lru fields and expiries. */
class ToyKeyspace implements EvictionKeyspace {
  readonly dbCount = 1;
  live: boolean[];
  used: number;
  order: number[] = [];
  constructor(
    readonly lru: number[],
    readonly expire: number[],
    readonly size: number[],
    base = 0,
  ) {
    this.live = lru.map(() => true);
    this.used = base + size.reduce((a, b) => a + b, 0);
  }
  private ids(volatile: boolean): number[] {
    return this.live.flatMap((l, i) => (l && (!volatile || this.expire[i]! >= 0) ? [i] : []));
  }
  dictSize(_db: number, volatile: boolean): number {
    return this.ids(volatile).length;
  }
  sampleKeys(_db: number, volatile: boolean, count: number, out: Int32Array): number {
    // every key: the pool then sees the whole keyspace
    const ids = this.ids(volatile).slice(0, count);
    ids.forEach((id, i) => (out[i] = id));
    return ids.length;
  }
  randomKey(_db: number, volatile: boolean, rand: () => number): number {
    const ids = this.ids(volatile);
    return ids[Math.floor(rand() * ids.length)]!;
  }
  keyOf(_db: number, id: number): Uint8Array {
    return Buffer.from(`k${id}`);
  }
  find(_db: number, key: Uint8Array, volatile: boolean): number {
    const id = Number(Buffer.from(key).toString().slice(1));
    return this.live[id] && (!volatile || this.expire[id]! >= 0) ? id : -1;
  }
  lruOf(_db: number, id: number): number {
    return this.lru[id]!;
  }
  expireOf(_db: number, id: number): number {
    return this.expire[id]!;
  }
  evict(_db: number, id: number): number {
    this.live[id] = false;
    this.used -= this.size[id]!;
    this.order.push(id);
    return this.size[id]!;
  }
  usedMemory(): number {
    return this.used;
  }
  notCountedForEvict(): number {
    return 0;
  }
}

const cfg = (o: Partial<EvictionConfig>): EvictionConfig => ({ ...DEFAULT_EVICTION_CONFIG, ...o });
const NOW = Date.UTC(2026, 0, 1);
const fixedClock = { nowMs: () => NOW, monoUs: () => 0 };

test('LRU clock: resolution 1000 ms, 24 bits, idle time across the wrap', () => {
  assert.equal(getLRUClock(NOW), Math.floor(NOW / 1000) % (LRU_CLOCK_MAX + 1));
  assert.equal(estimateObjectIdleTime(100, 160), 60_000);
  // the object's field is ahead of the clock: the clock wrapped once (estimateObjectIdleTime)
  assert.equal(estimateObjectIdleTime(LRU_CLOCK_MAX - 10, 5), (5 + 10) * 1000);
  // a key loaded with 3600 s idle reads back as 3600 s idle at the load time
  const lru = loadedObjectLru('allkeys-lru', -1, 3600, NOW);
  assert.equal(estimateObjectIdleTime(lru, getLRUClock(NOW)), 3_600_000);
  // without an idle time, a new object's field: idle 0
  assert.equal(estimateObjectIdleTime(loadedObjectLru('allkeys-lru', 7, -1, NOW), getLRUClock(NOW)), 0);
});

test('LFU: LFULogIncr probabilities, LFUDecrAndReturn periods, LFU_INIT_VAL on load without a counter', () => {
  // at or below LFU_INIT_VAL every access counts
  assert.equal(LFULogIncr(3, 10, () => 0.999999), 4);
  assert.equal(LFULogIncr(255, 10, () => 0), 255);
  // counter 15, factor 10: p = 1 / (10*10 + 1)
  assert.equal(LFULogIncr(15, 10, () => 1 / 101 - 1e-9), 16);
  assert.equal(LFULogIncr(15, 10, () => 1 / 101 + 1e-9), 15);
  const lru = loadedObjectLru('allkeys-lfu', 20, -1, NOW);
  assert.equal(lru >>> 8, LFUGetTimeInMinutes(NOW));
  assert.equal(LFUDecrAndReturn(lru, NOW, 1), 20);
  // 7 minutes later, decay time 1: 7 periods; decay time 3: 2 periods; 0: never
  assert.equal(LFUDecrAndReturn(lru, NOW + 7 * 60_000, 1), 13);
  assert.equal(LFUDecrAndReturn(lru, NOW + 7 * 60_000, 3), 18);
  assert.equal(LFUDecrAndReturn(lru, NOW + 7 * 60_000, 0), 20);
  assert.equal(LFUDecrAndReturn(lru, NOW + 60 * 60_000, 1), 0);
  assert.equal(loadedObjectLru('volatile-lfu', -1, 99, NOW) & 255, LFU_INIT_VAL);
});

test('config: ranges and names as config.c', () => {
  assert.equal(parseEvictionSetting('maxmemory', '100mb'), 100 * 1024 * 1024);
  assert.equal(parseEvictionSetting('maxmemory', '1k'), 1000);
  assert.equal(parseEvictionSetting('maxmemory-policy', 'ALLKEYS-LFU'), 'allkeys-lfu');
  assert.throws(() => parseEvictionSetting('maxmemory-policy', 'lru'), /must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction/);
  assert.throws(() => parseEvictionSetting('maxmemory-samples', '0'), /between 1 and 2147483647/);
  assert.throws(() => parseEvictionSetting('maxmemory-eviction-tenacity', '101'), /between 0 and 100/);
  assert.throws(() => parseEvictionSetting('maxmemory', 'lots'), /memory value/);
});

test('evictionTimeLimitUs: linear to 500 µs at 10, 15 % geometric after, unlimited at 100', () => {
  const ks = new ToyKeyspace([], [], []);
  const at = (t: number) => new Evictor(ks, cfg({ 'maxmemory-eviction-tenacity': t })).evictionTimeLimitUs();
  assert.equal(at(0), 0);
  assert.equal(at(10), 500);
  assert.equal(at(11), 575);
  assert.equal(at(99), Math.floor(500 * Math.pow(1.15, 89)));
  assert.equal(at(100), Number.MAX_SAFE_INTEGER);
});

test('the pool keeps the EVPOOL_SIZE best candidates in ascending order', () => {
  const n = 40;
  // key i idle i*10 s
  const now = getLRUClock(NOW);
  const ks = new ToyKeyspace(
    Array.from({ length: n }, (_, i) => now - i * 10),
    Array(n).fill(-1),
    Array(n).fill(100),
  );
  const pool = new EvictionPool();
  pool.populate(ks, 0, false, cfg({ 'maxmemory-policy': 'allkeys-lru', 'maxmemory-samples': n }), NOW, Math.random);
  const keys = pool.entries.map((e) => (e.key ? Number(e.key.toString().slice(1)) : -1));
  assert.equal(keys.length, EVPOOL_SIZE);
  assert.deepEqual(keys, Array.from({ length: EVPOOL_SIZE }, (_, i) => n - EVPOOL_SIZE + i));
  assert.deepEqual(
    pool.entries.map((e) => e.idle),
    keys.map((k) => k * 10_000),
  );
});

test('performEvictions: LRU evicts the idlest first until under the limit', () => {
  const now = getLRUClock(NOW);
  const n = 30;
  const ks = new ToyKeyspace(
    Array.from({ length: n }, (_, i) => now - ((i * 7) % n) * 60),
    Array(n).fill(-1),
    Array(n).fill(1000),
    5000,
  );
  // 35000 used, limit 28000: seven keys go, the seven idlest
  const ev = new Evictor(ks, cfg({ maxmemory: 28000, 'maxmemory-policy': 'allkeys-lru', 'maxmemory-samples': 64 }), fixedClock);
  assert.equal(ev.performEvictions(), EVICT_OK);
  assert.equal(ks.used, 28000);
  assert.equal(ev.stats.evictedKeys, 7);
  const idle = (i: number) => ((i * 7) % n) * 60;
  assert.deepEqual(
    ks.order.map(idle),
    [29, 28, 27, 26, 25, 24, 23].map((x) => x * 60),
  );
});

test('performEvictions: volatile-ttl takes the soonest expiry; volatile-* skip keys without a TTL and fail when none is left', () => {
  const n = 10;
  const expire = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? -1 : NOW + (n - i) * 1000));
  const ks = new ToyKeyspace(Array(n).fill(0), expire, Array(n).fill(10));
  const ev = new Evictor(ks, cfg({ maxmemory: 75, 'maxmemory-policy': 'volatile-ttl', 'maxmemory-samples': 10 }), fixedClock);
  assert.equal(ev.performEvictions(), EVICT_OK);
  assert.deepEqual(ks.order, [9, 7, 5]);
  ev.cfg = cfg({ maxmemory: 10, 'maxmemory-policy': 'volatile-random' });
  assert.equal(ev.performEvictions(), EVICT_FAIL);
  assert.deepEqual(ks.order.slice(3).sort(), [1, 3]);
  assert.equal(ks.live.filter(Boolean).length, 5);
  ev.cfg = cfg({ maxmemory: 10, 'maxmemory-policy': 'noeviction' });
  assert.equal(ev.performEvictions(), EVICT_FAIL);
  assert.ok(ev.stats.lastEvictionExceededTime !== 0);
});

test('performEvictions: the tenacity time limit stops a round every 16 keys and the time proc goes on', () => {
  const n = 100;
  const ks = new ToyKeyspace(Array(n).fill(0), Array(n).fill(-1), Array(n).fill(1));
  let t = 0;
  // each clock read advances 100 µs: a round of 16 keys is over tenacity 0's limit
  const clock = { nowMs: () => NOW, monoUs: () => (t += 100) };
  let scheduled = 0;
  const ev = new Evictor(ks, cfg({ maxmemory: 50, 'maxmemory-policy': 'allkeys-random', 'maxmemory-eviction-tenacity': 0 }), clock, evictionRandom(3));
  ev.scheduleTimeProc = () => scheduled++;
  assert.equal(ev.performEvictions(), EVICT_RUNNING);
  assert.equal(ks.order.length, 16);
  assert.equal(scheduled, 1);
  let rounds = 0;
  while (ev.evictionTimeProc()) rounds++;
  assert.equal(ks.used, 50);
  assert.equal(ev.stats.evictedKeys, 50);
  // 16, then 16, 16 and the last 2 in the time proc; the round that reaches the limit still
  // says EVICT_RUNNING (isEvictionProcRunning is set), the next one finds it OK (AE_NOMORE)
  assert.equal(rounds, 3);
  assert.equal(ev.timeProcRunning, false);
  assert.equal(ev.stats.lastEvictionExceededTime, 0);
  assert.ok(ev.stats.totalEvictionExceededTime > 0);
});
