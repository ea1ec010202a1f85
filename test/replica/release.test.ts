/**
 * A follower gives back the full sync's RDB as its keys let go of it (issue #14, item 9): the
 * dump is held in 1 MiB pieces (MemoryDump), each dropped once no key's record lies on it; a
 * key lets go when deleted, flushed, overwritten or materialised by a write. Measured with
 * INFO's rdblens_dump_bytes_held against the RDB's size (what a real redis-server primary sent),
 * the follower staying equal to its primary key by key, and, in a process of its own, the
 * process's RSS after garbage collection.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeCommand, type RedisHandle } from '../helpers/redis-server.js';
import { assertEqualToPrimary, caughtUp, follow, infoField, startPrimary, type Following } from './helpers.js';

/** `count` keys of `bytes` random text (LZF cannot shrink it) in db `db` */
async function fill(r: RedisHandle, db: number, prefix: string, count: number, bytes: number): Promise<string[]> {
  const keys = Array.from({ length: count }, (_, i) => `${prefix}:${i}`);
  const cmds = [encodeCommand(['SELECT', String(db)]), ...keys.map((k) => encodeCommand(['SET', k, randomBytes((bytes * 3) / 4).toString('base64')])), encodeCommand(['SELECT', '0'])];
  await r.pipe(Buffer.concat(cmds));
  return keys;
}

async function held(f: Following): Promise<number> {
  const v = infoField(String(await f.command('INFO', 'replication')), 'rdblens_dump_bytes_held');
  assert.ok(v !== undefined, 'INFO replication has rdblens_dump_bytes_held');
  return Number(v);
}

test('the dump is given back as keys let go of it: a flushed db, overwritten, materialised and deleted keys', { timeout: 90_000 }, async () => {
  const r = await startPrimary(['--repl-diskless-sync', 'no']);
  let f: Following | null = null;
  try {
    await fill(r, 0, 'a', 400, 20_000);
    const b = await fill(r, 2, 'b', 100, 20_000);
    f = await follow(r.port);
    await f.follower.firstSync;
    const size = f.follower.link.rdbRead;
    assert.ok(size > 9_000_000, `RDB of ${size} bytes`);
    // every piece holds a key's record
    assert.equal(await held(f), size);

    // db 0 comes first in the RDB: flushing it gives back its pieces, db 2's stay readable
    await r.command('SELECT', '0');
    await r.command('FLUSHDB');
    await caughtUp(r, f);
    const afterDb0 = await held(f);
    assert.ok(afterDb0 > 0 && afterDb0 < size * 0.3, `${afterDb0} of ${size} bytes held after FLUSHDB of db 0`);
    assert.equal(await assertEqualToPrimary(r, f, [0, 2]), 100);

    // db 2: a third of the keys overwritten, a third materialised by APPEND, a third deleted; the
    // pieces go as the last key on them lets go
    await r.command('SELECT', '2');
    for (const [i, k] of b.entries()) await r.command(...[['SET', k, 'new'], ['APPEND', k, '!'], ['DEL', k]][i % 3]!);
    await r.command('SELECT', '0');
    await caughtUp(r, f);
    assert.equal(await held(f), 0);
    assert.equal(await assertEqualToPrimary(r, f, [0, 2]), 67);

  } finally {
    await f?.stop();
    await r.stop();
  }
});

test("after the primary's FLUSHALL the follower's process gives the RDB's memory back", { timeout: 120_000 }, async () => {
  const r = await startPrimary(['--repl-diskless-sync', 'no']);
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', path.resolve('test/replica/fixtures/follower-rss.ts'), String(r.port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  try {
    // 96 MiB of random text
    for (let i = 0; i < 4; i++) await fill(r, 0, `big${i}`, 24, 1 << 20);
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const next = async (): Promise<{ step: string; rss: number; held: number }> => {
      const l = await lines.next();
      assert.ok(!l.done, `the follower process ended: ${stderr}`);
      return JSON.parse(l.value) as { step: string; rss: number; held: number };
    };
    const synced = await next();
    assert.equal(synced.step, 'synced');
    assert.ok(synced.held > 96e6, `${synced.held} bytes of RDB held`);
    await r.command('FLUSHALL');
    const flushed = await next();
    assert.equal(flushed.step, 'flushed');
    assert.equal(flushed.held, 0);
    assert.ok(flushed.rss < synced.rss - synced.held / 2, `RSS ${synced.rss} -> ${flushed.rss} with ${synced.held} bytes of RDB given back`);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await r.stop();
  }
});
