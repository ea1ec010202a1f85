/**
 * MEMORY STATS, INFO memory and MEMORY DOCTOR while serving: they start from the dump model
 * (src/memory/stats.ts, doctor.ts) and follow every write; a key's MEMORY USAGE is continuous
 * when a write materialises it from the dump.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { serve } from './helpers.js';
import { memoryStats } from '../../src/memory/stats.js';
import type { RespReply } from '../helpers/redis-server.js';

const DEMO = path.resolve('samples/demo.rdb');

function field(reply: RespReply, name: string): number {
  const a = reply as RespReply[];
  for (let i = 0; i < a.length; i += 2) if (String(a[i]) === name) return Number(String(a[i + 1]));
  throw new Error(`no ${name}`);
}

test('MEMORY STATS starts at the dump model and follows writes; INFO memory agrees', async () => {
  const s = await serve([DEMO], { target: 'redis-7.0' });
  try {
    const dump = memoryStats(s.server.instance.analyses);
    const total0 = dump.fields.find(([k]) => k === 'total.allocated')![1] as number;
    const st0 = await s.command('MEMORY', 'STATS');
    assert.equal(field(st0, 'total.allocated'), total0);
    assert.equal(field(st0, 'keys.count'), 6315);
    await s.command('SELECT', '0');
    await s.command('SET', 'new:key', 'x'.repeat(1000));
    const mu = (await s.command('MEMORY', 'USAGE', 'new:key')) as number;
    const st1 = await s.command('MEMORY', 'STATS');
    const grown = field(st1, 'total.allocated') - total0;
    assert.ok(grown >= mu && grown <= mu + 1024 * 8, `total grew by ${grown} for a ${mu}-byte key`);
    assert.equal(field(st1, 'keys.count'), 6316);
    const info = String(await s.command('INFO', 'memory'));
    assert.equal(Number(/used_memory:(\d+)/.exec(info)![1]), field(st1, 'total.allocated'));
    await s.command('DEL', 'new:key');
    assert.equal(field(await s.command('MEMORY', 'STATS'), 'total.allocated'), total0);
    const doctor = String(await s.command('MEMORY', 'DOCTOR'));
    assert.match(doctor, /Sam/);
    assert.match(doctor, /rdblens doctor, on the dump\(s\) as loaded/);
  } finally {
    await s.stop();
  }
});

test('a dump key keeps its MEMORY USAGE when a write materialises it, then moves by the delta', async () => {
  const s = await serve([DEMO], { target: 'redis-7.0' });
  try {
    await s.command('SELECT', '0');
    for (const [key, write] of [
      ['user:100507', ['HSET', 'user:100507', 'name', 'ken van rossum']],
      ['leaderboard:global', ['ZADD', 'leaderboard:global', 'XX', '1', 'nobody']],
      ['queue:backlog:0', ['LTRIM', 'queue:backlog:0', '0', '-1']],
      ['tags:followers:0', ['SREM', 'tags:followers:0', 'not-a-member']],
    ] as const) {
      const before = (await s.command('MEMORY', 'USAGE', key)) as number;
      const r = await s.command(...write);
      assert.ok(!(r instanceof Error), String(r));
      assert.equal(await s.command('MEMORY', 'USAGE', key), before, `${key} after a no-op ${write[0]}`);
      const id = s.server.instance.dbs[0]!.find(Buffer.from(key));
      assert.ok(s.server.instance.dbs[0]!.isHeld(id), `${key} is held in memory now`);
    }
    const before = (await s.command('MEMORY', 'USAGE', 'user:100507')) as number;
    // a 100-byte value passes hash-max-listpack-value: the listpack becomes a hashtable
    await s.command('HSET', 'user:100507', 'extra', 'x'.repeat(100));
    assert.equal(String(await s.command('OBJECT', 'ENCODING', 'user:100507')), 'hashtable');
    const after = (await s.command('MEMORY', 'USAGE', 'user:100507')) as number;
    assert.ok(after > before * 1.5, `listpack -> hashtable: ${before} -> ${after}`);
  } finally {
    await s.stop();
  }
});
