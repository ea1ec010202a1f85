/**
 * The live model follows the selected profile (#11 item 4): `rdblens serve --target X` with no
 * dump answers MEMORY STATS with X's field set, in X's order, and X's startup.allocated, as
 * `rdblens stats --target X` does for an empty dump (the corpus's header-only RDB).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServe } from '../../cli/commands/serve.js';
import { PROFILE_IDS } from '../../src/memory/profiles.js';
import { RespClient, type RespReply } from '../helpers/redis-server.js';
import { corpusPath } from '../helpers/corpus.js';
import { rdblens } from '../cli/cli-helpers.js';

const EMPTY = corpusPath('generated/redis-7.0.15/empty.rdb');

function pairs(reply: RespReply): [string, RespReply][] {
  const a = reply as RespReply[];
  const out: [string, RespReply][] = [];
  for (let i = 0; i < a.length; i += 2) out.push([String(a[i]), a[i + 1]!]);
  return out;
}

for (const id of PROFILE_IDS) {
  const target = id.replace(/^redis-/, '');
  test(`serve --target ${target} with no dump: MEMORY STATS fields and startup.allocated of stats --target ${target} on an empty dump`, async () => {
    const run = await rdblens(['stats', '--target', target, '--json', EMPTY]);
    assert.equal(run.code, 0, run.stderr);
    const dump = JSON.parse(run.stdout) as { profile: string; memory_stats: Record<string, unknown> };
    assert.equal(dump.profile, id);
    const server = await startServe([], { port: 0, bind: '127.0.0.1', readOnly: false, tracking: true, target: id, config: [], cacheMb: 64 }, () => {});
    const client = new RespClient(server.port);
    try {
      const live = pairs(await client.command(['MEMORY', 'STATS']));
      assert.deepEqual(
        live.map(([k]) => k),
        Object.keys(dump.memory_stats),
        `${id}: field names and order`,
      );
      const startup = Number(live.find(([k]) => k === 'startup.allocated')![1]);
      assert.equal(startup, dump.memory_stats['startup.allocated'], `${id}: startup.allocated`);
      const info = String(await client.command(['INFO', 'memory']));
      assert.equal(Number(/used_memory_startup:(\d+)/.exec(info)![1]), startup);
      // a key written shows up under the profile's db.0 sub-fields
      await client.command(['SET', 'k', 'v']);
      const after = pairs(await client.command(['MEMORY', 'STATS']));
      assert.equal(Number(after.find(([k]) => k === 'keys.count')![1]), 1);
      assert.ok(after.some(([k]) => k === 'db.0'), `${id}: db.0 after a write`);
    } finally {
      client.close();
      await server.close();
    }
  });
}
