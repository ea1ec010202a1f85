/**
 * `rdblens report --replicaof`: one full sync from a real redis-server 7.0.15, analysed as it
 * streams and then disconnected. Its report must equal the report of a dump SAVEd by the same
 * primary (the same keys, sizes, prefixes, stats), and nothing may be written to disk.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { encodeCommand } from '../helpers/redis-server.js';
import { rdblens } from '../cli/cli-helpers.js';
import { startPrimary } from './helpers.js';

/** the parts of a JSON report that describe the data (not the file it came from) */
function dataOf(json: string): Record<string, unknown> {
  const r = JSON.parse(json) as Record<string, unknown>;
  // keys of equal size rank in the dict's iteration order, which a rehash between the SAVE
  // and the sync may change: the top lists are compared by their sizes
  const sizes = (list: unknown, by: 'bytes' | 'elements') => (list as Record<string, number>[]).map((k) => k[by]!).sort((a, b) => a - b);
  return {
    total: r.total,
    memory_stats: r.memory_stats,
    types: r.types,
    encodings: r.encodings,
    prefixes: r.prefixes,
    ttl: r.ttl,
    databases: r.databases,
    size_histogram: r.size_histogram,
    top_keys: sizes(r.top_keys, 'bytes'),
    top_keys_by_elements: sizes(r.top_keys_by_elements, 'elements'),
    doctor: String(r.doctor).split('\n')[0],
  };
}

for (const diskless of [false, true]) {
  test(`report --replicaof (${diskless ? 'diskless' : 'disk-based'}, requirepass) equals the report of the primary's own dump`, { timeout: 60_000 }, async () => {
    const r = await startPrimary(['--repl-diskless-sync', diskless ? 'yes' : 'no', '--repl-diskless-sync-delay', '0']);
    try {
      const cmds: string[][] = [];
      for (let i = 0; i < 500; i++) cmds.push(['SET', `user:${i % 7}:${i}`, 'v'.repeat(i % 90)]);
      for (let i = 0; i < 40; i++) cmds.push(['HSET', `session:${i}`, 'a', String(i), 'b', 'x'.repeat(i)]);
      for (let i = 0; i < 5; i++) cmds.push(['RPUSH', `queue:${i}`, ...Array.from({ length: 200 * (i + 1) }, (_, j) => `job-${j}`)]);
      cmds.push(['ZADD', 'scores', ...Array.from({ length: 300 }, (_, j) => [String(j), `p${j}`]).flat()]);
      cmds.push(['SET', 'temp', '1', 'EX', '3600']);
      await r.pipe(Buffer.concat(cmds.map((c) => encodeCommand(c))));
      const dump = await r.save();
      const before = await readdir(r.dir);
      await r.command('CONFIG', 'SET', 'requirepass', 'pw');
      const now = String(Date.now());
      const fromFile = await rdblens(['report', '--json', '--now', now, dump]);
      assert.equal(fromFile.code, 0, fromFile.stderr);
      const fromPrimary = await rdblens(['report', '--json', '--now', now, '--replicaof', `127.0.0.1:${r.port}`, '--masterauth', 'pw']);
      assert.equal(fromPrimary.code, 0, fromPrimary.stderr);
      assert.deepEqual(dataOf(fromPrimary.stdout), dataOf(fromFile.stdout));
      assert.equal((dataOf(fromPrimary.stdout).total as { keys: number }).keys, 547);
      // the primary wrote its own RDB for the disk-based sync; rdblens wrote nothing of its own
      const after = (await readdir(r.dir)).filter((f) => !before.includes(f) && !/^temp-\d+\.rdb$/.test(f));
      assert.deepEqual(after, []);
      // the primary saw a replica come and go
      const info = String(await r.command('INFO', 'replication'));
      assert.match(info, /connected_slaves:0/);
    } finally {
      await r.stop();
    }
  });
}

test('report --replicaof: a wrong password or no primary is a clear error, exit 1', { timeout: 30_000 }, async () => {
  const r = await startPrimary();
  try {
    await r.command('CONFIG', 'SET', 'requirepass', 'pw');
    const bad = await rdblens(['report', '--replicaof', `127.0.0.1:${r.port}`, '--masterauth', 'nope']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /AUTH refused/);
    const usage = await rdblens(['report', '--replicaof', `127.0.0.1:${r.port}`, 'some.rdb']);
    assert.equal(usage.code, 2);
  } finally {
    await r.stop();
  }
  const none = await rdblens(['report', '--replicaof', '127.0.0.1:1']);
  assert.equal(none.code, 1);
  assert.match(none.stderr, /ECONNREFUSED|refused/);
});
