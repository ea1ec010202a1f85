/**
 * INFO's master_sync_* fields during a second full sync (issue #14, item 10): the transfer
 * starts at +FULLRESYNC (syncWithMaster: repl_transfer_size = -1, repl_transfer_read = 0), so
 * the previous sync's count is gone at once. A proxy holds back what the new primary sends
 * after its +FULLRESYNC line, or after the payload's first 1000 bytes; meanwhile the
 * follower's fields must read as a real redis-server 7.0.15 replica's, held the same way, and
 * the count must start from 0 again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeCommand, type RedisHandle } from '../helpers/redis-server.js';
import { assertEqualToPrimary, caughtUp, follow, infoField, Proxy, realReplica, replicaCaughtUp, startPrimary, waitFor } from './helpers.js';

const SYNC_FIELDS = ['master_sync_in_progress', 'master_sync_total_bytes', 'master_sync_read_bytes', 'master_sync_left_bytes', 'master_sync_perc'];

async function fill(r: RedisHandle, keys: number, size: number): Promise<void> {
  const cmds: Buffer[] = [];
  for (let i = 0; i < keys; i++) cmds.push(encodeCommand(['SET', `k:${i}`, `${i}:`.padEnd(size, 'v')]));
  await r.pipe(Buffer.concat(cmds));
}

const syncFields = (info: string): string[] => SYNC_FIELDS.map((f) => `${f}:${infoField(info, f)}`);

const HOLDS = [
  { what: 'at +FULLRESYNC', prefix: '+FULLRESYNC', extra: 0 },
  { what: '1000 bytes into the payload', prefix: '$', extra: 1000 },
];

for (const diskless of [false, true]) {
  for (const hold of HOLDS) {
    test(`a second full sync (${diskless ? 'diskless' : 'disk-based'}), held ${hold.what}: master_sync_* as on redis-server, counted from 0`, { timeout: 60_000 }, async () => {
      const args = ['--repl-diskless-sync', diskless ? 'yes' : 'no', '--repl-diskless-sync-delay', '0'];
      const p1 = await startPrimary(args);
      const p2 = await startPrimary(args);
      const ours = new Proxy(p1.port);
      const theirs = new Proxy(p1.port);
      await ours.listen();
      await theirs.listen();
      let f: Awaited<ReturnType<typeof follow>> | null = null;
      let rep: RedisHandle | null = null;
      try {
        await fill(p1, 2000, 200);
        await fill(p2, 300, 50);
        f = await follow(ours.port);
        rep = await realReplica(theirs);
        await f.follower.firstSync;
        await replicaCaughtUp(p1, rep);
        const first = f.follower.link.rdbRead;
        assert.ok(first > 20_000, `first sync read ${first} bytes`);
        // the second primary: a full resync (another replid), its payload held after +FULLRESYNC
        for (const p of [ours, theirs]) {
          p.holdAfter(hold.prefix, hold.extra);
          p.retarget(p2.port);
          p.dropAll();
        }
        await waitFor('both replicas held', () => ours.holding >= 1 && theirs.holding >= 1);
        const readAll = (info: string): boolean => /master_sync_in_progress:1/.test(info) && infoField(info, 'master_sync_read_bytes') === String(hold.extra);
        await waitFor('the real replica in its transfer', async () => readAll(String(await rep!.command('INFO', 'replication'))));
        await waitFor('the follower in its transfer', async () => readAll(String(await f!.command('INFO', 'replication'))));
        const mine = syncFields(String(await f.command('INFO', 'replication')));
        const real = syncFields(String(await rep.command('INFO', 'replication')));
        if (hold.extra === 0) assert.deepEqual(real, ['master_sync_in_progress:1', 'master_sync_total_bytes:-1', 'master_sync_read_bytes:0', 'master_sync_left_bytes:-1', 'master_sync_perc:-0.00']);
        else if (diskless) assert.deepEqual(real.slice(1, 4), ['master_sync_total_bytes:0', 'master_sync_read_bytes:1000', 'master_sync_left_bytes:-1000']);
        assert.deepEqual(mine, real);
        ours.release();
        theirs.release();
        await waitFor('the second sync', () => f!.follower.link.syncs.full >= 2 && f!.follower.link.state === 'connected');
        await caughtUp(p2, f);
        assert.ok(f.follower.link.rdbRead < first / 2, `second sync read ${f.follower.link.rdbRead} bytes, the first ${first}`);
        assert.equal(await assertEqualToPrimary(p2, f, [0]), 300);
      } finally {
        await f?.stop();
        await rep?.stop();
        await ours.close();
        await theirs.close();
        await p1.stop();
        await p2.stop();
      }
    });
  }
}
