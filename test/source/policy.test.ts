/**
 * OBJECT FREQ / OBJECT IDLETIME under an LFU / LRU maxmemory-policy: the live stream carries the
 * FREQ and IDLE opcodes a SAVE writes (rdbSaveKeyValuePair), with the same figures: OBJECT
 * runs before the key's DUMP, which is an access (it raises the LFU counter, resets the idle
 * time) while OBJECT is not.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRdb, readAllRecords, type RdbRecord } from '../../src/rdb/index.js';
import { LiveSource } from '../../src/source/live.js';
import { startRedis } from '../helpers/redis-server.js';

async function liveRecords(url: string): Promise<RdbRecord[]> {
  const live = await LiveSource.open(url);
  const out: RdbRecord[] = [];
  try {
    await parseRdb(live.rdb(), { onRecord: (r) => out.push(r) });
  } finally {
    live.close();
  }
  return out;
}

const byKey = (recs: RdbRecord[], field: 'freq' | 'idle') =>
  new Map(recs.flatMap((r) => (r.kind === 'key' ? [[r.key.toString('latin1'), r[field]] as const] : [])));

test("allkeys-lfu: every key's LFU counter as SAVE writes it (OBJECT FREQ before DUMP)", { timeout: 60_000 }, async () => {
  const r = await startRedis({ args: ['--maxmemory-policy', 'allkeys-lfu', '--lfu-decay-time', '0'] });
  try {
    for (let i = 0; i < 20; i++) await r.command('SET', `k${i}`, 'v');
    for (let i = 0; i < 20; i++) for (let j = 0; j < i * 20; j++) await r.command('GET', `k${i}`);
    const dump = byKey(await readAllRecords(await r.save()), 'freq');
    const url = `redis://127.0.0.1:${r.port}`;
    const first = byKey(await liveRecords(url), 'freq');
    assert.deepEqual(first, dump);
    assert.ok(Math.max(...first.values()) > 10, [...first.values()].join(','));
    // DUMP itself is an access (lookupKeyRead): a read raises a counter by at most one (LFULogIncr),
    // certainly at LFU_INIT_VAL (5); the next read sees that
    const again = byKey(await liveRecords(url), 'freq');
    for (const [k, v] of dump) assert.ok(again.get(k)! - v === 0 || again.get(k)! - v === 1, `${k}: ${v} then ${again.get(k)}`);
    assert.equal(again.get('k0'), 6);
  } finally {
    await r.stop();
  }
});

test("allkeys-lru: every key's idle time as SAVE writes it (OBJECT IDLETIME before DUMP)", { timeout: 60_000 }, async () => {
  const r = await startRedis({ args: ['--maxmemory-policy', 'allkeys-lru'] });
  try {
    for (let i = 0; i < 10; i++) await r.command('SET', `k${i}`, 'v');
    await new Promise((res) => setTimeout(res, 2500));
    await r.command('GET', 'k0');
    const dump = byKey(await readAllRecords(await r.save()), 'idle');
    const live = byKey(await liveRecords(`redis://127.0.0.1:${r.port}`), 'idle');
    assert.equal(live.size, 10);
    for (const [k, idle] of dump) {
      // seconds, read a moment apart
      assert.ok(Math.abs(live.get(k)! - idle) <= 1, `${k}: ${live.get(k)} vs ${idle}`);
      if (k !== 'k0') assert.ok(live.get(k)! >= 2, `${k} idle ${live.get(k)}`);
    }
    assert.ok(live.get('k0')! <= 1);
  } finally {
    await r.stop();
  }
});
