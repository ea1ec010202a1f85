/**
 * The Evict view (6) driven with its keys: a limit typed in, the policy and mode changed, and
 * the numbers on screen against the simulation `rdblens evict` runs (src/engine/evict-dump.ts)
 * on the same dump.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadForEviction, runEviction } from '../../src/engine/evict-dump.js';
import { DEFAULT_EVICTION_CONFIG } from '../../src/memory/evict.js';
import { formatCount } from '../../src/tui/data/format.js';
import { parseLimit } from '../../src/tui/data/evict.js';
import { CORPUS_NOW, drive, KEYS, loadExplorer } from './harness.js';

const DEMO = 'samples/demo.rdb';

async function expected(maxmemory: number, policy: 'allkeys-lru' | 'volatile-ttl', mode: 'sampled' | 'exact') {
  const cfg = { ...DEFAULT_EVICTION_CONFIG, maxmemory, 'maxmemory-policy': policy };
  const servers = await loadForEviction([DEMO], { eviction: cfg, now: CORPUS_NOW });
  return runEviction(servers, mode, CORPUS_NOW);
}

test('parseLimit: sizes as redis.conf writes them', () => {
  assert.equal(parseLimit('5mb'), 5 * 1024 * 1024);
  assert.equal(parseLimit('5m'), 5_000_000);
  assert.equal(parseLimit('1.5gb'), 1.5 * 1024 ** 3);
  assert.equal(parseLimit('12345'), 12345);
  assert.equal(parseLimit('lots'), null);
  assert.equal(parseLimit('0'), null);
});

test('evict view: a limit typed in, then the policy and the mode, the same figures as the simulation', async () => {
  const ex = await loadExplorer(DEMO);
  const d = await drive({ explorer: ex }, { columns: 120, rows: 40 });
  try {
    let f = await d.press('6');
    assert.match(f, /type a limit/);
    // digits are the limit's while typing, not view keys
    await d.write('5mb');
    f = await d.press(KEYS.enter);
    f = await d.waitFor(/evicted [\d,]+ keys/);
    const lru = await expected(5 * 1024 * 1024, 'allkeys-lru', 'sampled');
    assert.ok(f.includes(`evicted ${formatCount(lru.evictedKeys)} keys`), f);
    assert.match(f, /maxmemory 5\.00 MiB \(5,242,880\)/);
    assert.match(f, /note: the dump has no LRU idle times/);
    assert.match(f, /exact mode: [\d,]+ keys/);
    assert.match(f, /prefix\s+keys\s+evicted/);
    // P: the previous policy (allkeys-lru -> volatile-ttl)
    f = await d.press('P');
    f = await d.waitFor(/volatile-ttl/);
    f = await d.waitFor(/evicted [\d,]+ keys/);
    const ttl = await expected(5 * 1024 * 1024, 'volatile-ttl', 'sampled');
    assert.ok(f.includes(`evicted ${formatCount(ttl.evictedKeys)} keys`), f);
    f = await d.press('x');
    f = await d.waitFor(/exact order/);
    f = await d.waitFor((x) => /evicted [\d,]+ keys/.test(x) && x.includes('sampled mode'));
    const exact = await expected(5 * 1024 * 1024, 'volatile-ttl', 'exact');
    assert.ok(f.includes(`evicted ${formatCount(exact.evictedKeys)} keys`), f);
    // under the limit: nothing
    await d.press('m', KEYS.ctrlU);
    await d.write('1gb');
    f = await d.press(KEYS.enter);
    f = await d.waitFor('nothing would be evicted');
    // a bad size is refused, and the view keys work again after Esc
    await d.press('m', KEYS.ctrlU);
    await d.write('lots');
    f = await d.press(KEYS.enter);
    assert.match(f, /not a size: "lots"/);
    await d.press(KEYS.escape);
    f = await d.press('1');
    assert.match(f, /MEMORY STATS/);
  } finally {
    d.unmount();
  }
});
