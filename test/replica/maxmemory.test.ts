/**
 * A follower under maxmemory: it never evicts (a replica ignores maxmemory), says when its
 * primary would be over the limit, and follows the primary's own evictions (their DELs).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Follower } from '../../src/replica/follower.js';
import { encodeCommand } from '../helpers/redis-server.js';
import { serve } from '../resp/helpers.js';
import { startPrimary, waitFor } from './helpers.js';

const num = (info: unknown, f: string) => Number(new RegExp(`^${f}:(\\d+)`, 'm').exec(String(info))![1]);

test('follower with maxmemory: no evictions of its own, a note about the primary, the primary evictions followed', { timeout: 60_000 }, async () => {
  const r = await startPrimary();
  const logs: string[] = [];
  const served = await serve([], { following: true, eviction: { maxmemory: 1024 * 1024, 'maxmemory-policy': 'allkeys-lru' }, log: (l) => logs.push(l) });
  const follower = new Follower(served.server.instance, { host: '127.0.0.1', port: r.port, listeningPort: served.port, reconnectMs: 200, log: (l) => logs.push(l) });
  follower.start();
  try {
    const parts: Buffer[] = [];
    for (let i = 0; i < 20000; i++) parts.push(encodeCommand(['SET', `k:${i}`, 'x'.repeat(100)]));
    await r.pipe(Buffer.concat(parts));
    await waitFor('the writes', async () => Number(await served.command('DBSIZE')) === 20000);
    // over its 1 MB by far, and still every key
    assert.ok(num(await served.command('INFO', 'memory'), 'used_memory') > 2 * 1024 * 1024);
    assert.equal(num(await served.command('INFO', 'stats'), 'evicted_keys'), 0);
    await waitFor('the note', () => logs.some((l) => /bytes over maxmemory 1048576: it evicts keys by allkeys-lru .*this replica does not evict/.test(l)));
    // the primary evicts: its DELs make the follower follow
    await r.command('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru');
    await r.command('CONFIG', 'SET', 'maxmemory', String(2 * 1024 * 1024));
    // the primary's time proc evicts between commands: until its count stops moving
    let left = -1;
    for (;;) {
      await new Promise((res) => setTimeout(res, 100));
      const n = Number(await r.command('DBSIZE'));
      if (n === left) break;
      left = n;
    }
    assert.ok(left < 20000, `${left}`);
    await waitFor('the evictions', async () => Number(await served.command('DBSIZE')) === Number(await r.command('DBSIZE')));
    assert.equal(num(await served.command('INFO', 'stats'), 'evicted_keys'), 0);
  } finally {
    follower.close();
    await served.stop();
    await r.stop();
  }
});
