/**
 * Strings grown by APPEND and SETRANGE (issue #14, item 8): the sds capacity is the allocator's
 * usable size capped at what the header type records (sdsTypeMaxSize), the greedy growth
 * doubles and picks the type for the new length (_sdsMakeRoomFor), embstr and int values are
 * converted to a raw sds first (dbUnshareStringValue), and a client's argument of 32 KB or more
 * is its query buffer (processMultibulkBuffer). Each figure is compared, exactly, to a private
 * redis-server 7.0.15: MEMORY USAGE key SAMPLES 0, and the used_memory that INFO shows before
 * and after each growth, read inside one MULTI (no server cron in between) on both servers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RespClient, startRedis, type RespReply } from '../helpers/redis-server.js';
import { serve } from '../resp/helpers.js';
import { mallocSize } from '../../src/memory/jemalloc.js';
import { PROTO_MBULK_BIG_ARG } from '../../src/memory/live/string.js';

type Cmd = (string | Buffer)[];

/** The lengths to try: around each sds type limit, each jemalloc size class the value or its doubled growth lands on, and a coarse sweep to 70,000. */
function lengths(): number[] {
  const ns = new Set<number>();
  const near = (x: number, d: number): void => {
    for (let i = -d; i <= d; i++) if (x + i >= 1 && x + i <= 70_000) ns.add(Math.round(x) + i);
  };
  for (const b of [32, 256, 65536]) {
    near(b, 10); // the new length's type
    near(b / 2, 4); // the greedy doubling's type
  }
  // a class boundary c (first size of a class): header + len + 1 = c, for headers 3, 5 and 9;
  // the argument's query buffer (len + 2); the greedy growth's 2 (len + 1) + header + 1
  for (let c = 2; c <= 2 * 70_000 + 64; c++) {
    if (mallocSize(c) === mallocSize(c - 1)) continue;
    for (const h of [3, 5, 9]) {
      near(c - h - 1, 1);
      if (c - h - 3 >= PROTO_MBULK_BIG_ARG - 2) near(c - h - 3, 1);
      near((c - h - 1) / 2 - 1, 1);
    }
  }
  for (let n = 1; n <= 70_000; n += 613) ns.add(n);
  return [...ns].sort((a, b) => a - b);
}

interface Side {
  name: string;
  port: number;
  main: RespClient;
}

const num = (r: RespReply, what: string): number => {
  assert.equal(typeof r, 'number', `${what}: ${String(r)}`);
  return r as number;
};
const usedMemory = (r: RespReply): number => Number(/^used_memory:(\d+)/m.exec(String(r))![1]);

/** MEMORY USAGE of `key` after `write`, and how much used_memory moved across the write (read in one MULTI) */
async function measured(s: Side, write: Cmd, key: string): Promise<[number, number]> {
  const c = s.main;
  const replies = await Promise.all([c.command(['MULTI']), c.command(['INFO', 'memory']), c.command(write), c.command(['INFO', 'memory']), c.command(['MEMORY', 'USAGE', key, 'SAMPLES', '0']), c.command(['EXEC'])]);
  const exec = replies[5];
  assert.ok(Array.isArray(exec), `${s.name} EXEC: ${String(exec)}`);
  assert.ok(!(exec[1] instanceof Error), `${s.name} ${String(write[0])}: ${String(exec[1])}`);
  return [num(exec[3]!, `${s.name} MEMORY USAGE`), usedMemory(exec[2]!) - usedMemory(exec[0]!)];
}

/** SET on a connection of its own for a big argument (its query buffer grown for it alone), else on the main one */
async function setValue(s: Side, key: string, value: Buffer): Promise<number> {
  const c = value.length >= PROTO_MBULK_BIG_ARG ? new RespClient(s.port) : s.main;
  try {
    assert.equal(String(await c.command(['SET', key, value])), 'OK');
    return num(await s.main.command(['MEMORY', 'USAGE', key, 'SAMPLES', '0']), `${s.name} MEMORY USAGE`);
  } finally {
    if (c !== s.main) c.close();
  }
}

/** The figures one length gives: SET n then APPEND 1 and n; SETRANGE creating n, then growing to 2n + 1 and 3n + 2 */
async function figures(s: Side, n: number): Promise<number[]> {
  const out: number[] = [];
  await s.main.command(['DEL', 'k', 'r']);
  out.push(await setValue(s, 'k', Buffer.alloc(n, 'a')));
  out.push(...(await measured(s, ['APPEND', 'k', 'b'], 'k')));
  out.push(...(await measured(s, ['APPEND', 'k', Buffer.alloc(n, 'x')], 'k')));
  out.push(num(await s.main.command(['SETRANGE', 'r', String(n - 1), 'y']), `${s.name} SETRANGE`));
  out.push(num(await s.main.command(['MEMORY', 'USAGE', 'r', 'SAMPLES', '0']), `${s.name} MEMORY USAGE`));
  out.push(...(await measured(s, ['SETRANGE', 'r', String(2 * n), 'y'], 'r')));
  out.push(...(await measured(s, ['SETRANGE', 'r', String(3 * n + 1), 'y'], 'r')));
  return out;
}

async function bothSides<T>(run: (redis: Side, ours: Side) => Promise<T>): Promise<T> {
  // the server cron resizes a client's reply buffer (clientsCronResizeOutputBuffer): off, so that
  // the replies inside MULTI land in a buffer of a constant size and used_memory moves by the write alone
  const redis = await startRedis({ args: ['--enable-debug-command', 'yes'] });
  const served = await serve([], { target: 'redis-7.0' });
  const a: Side = { name: 'redis-server', port: redis.port, main: new RespClient(redis.port) };
  const b: Side = { name: 'rdblens', port: served.port, main: new RespClient(served.port) };
  try {
    assert.equal(String(await a.main.command(['DEBUG', 'REPLYBUFFER', 'RESIZING', '0'])), 'OK');
    // the first MULTI with INFO allocates what a client keeps for later ones, and Redis allocates a
    // command's latency histogram the first time it runs (24 KB): both before measuring
    for (const s of [a, b]) {
      for (const w of [['SET', 'warm-up', 'x'], ['APPEND', 'warm-up', 'x'], ['SETRANGE', 'warm-up', '0', 'x']]) await measured(s, w, 'warm-up');
      await s.main.command(['DEL', 'warm-up']);
    }
    return await run(a, b);
  } finally {
    a.main.close();
    b.main.close();
    await served.stop();
    await redis.stop();
  }
}

test("issue #14's reproductions: APPEND and SETRANGE across the sds type limits", async () => {
  await bothSides(async (redis, ours) => {
    const run = async (s: Side): Promise<{ usage: number[]; moved: number[] }> => {
      const usage: number[] = [];
      const moved: number[] = [];
      const step = async (write: Cmd, key: string): Promise<void> => {
        const [u, d] = await measured(s, write, key);
        usage.push(u);
        moved.push(d);
      };
      await s.main.command(['FLUSHALL']);
      for (const n of [82, 45, 189, 157, 169]) await step(['APPEND', 't', 'x'.repeat(n)], 't');
      for (const n of [253, 254]) {
        usage.push(await setValue(s, 'u', Buffer.alloc(n, 'a')));
        await step(['APPEND', 'u', 'b'], 'u');
      }
      for (const o of [62, 126, 272]) await step(['SETRANGE', 'k', String(o), 'y'], 'k');
      // a key's creation also moves used_memory by what the server allocates around it (the db's dict on the first): growths only
      return { usage, moved: moved.filter((_, i) => i !== 0 && i !== 7) };
    };
    const theirs = await run(redis);
    // the figures, from redis-server 7.0.15: APPEND t 82/45/189/157/169 x; SET 253 (254) a + APPEND b; SETRANGE k 62/126/272 y
    assert.deepEqual(theirs.usage, [144, 368, 688, 688, 1584, 368, 368, 368, 368, 128, 368, 688]);
    assert.deepEqual(theirs.moved, [224, 320, 0, 896, 0, 0, 240, 320]);
    assert.deepEqual(await run(ours), theirs);
  });
});

test('SET n + APPEND and SETRANGE growth for n up to 70,000 agree exactly with redis-server 7.0.15', async () => {
  const ns = lengths();
  assert.ok(ns.length > 500, `${ns.length} lengths`);
  await bothSides(async (redis, ours) => {
    const diffs: string[] = [];
    for (const n of ns) {
      const [a, b] = await Promise.all([figures(redis, n), figures(ours, n)]);
      if (JSON.stringify(a) !== JSON.stringify(b)) diffs.push(`n=${n}: redis ${a.join(' ')} | rdblens ${b.join(' ')}`);
    }
    assert.deepEqual(diffs.slice(0, 20), [], `${diffs.length} of ${ns.length} lengths differ`);
  });
});

test('APPEND and SETRANGE on int and embstr values convert them to a raw sds first', async () => {
  await bothSides(async (redis, ours) => {
    const run = async (s: Side): Promise<number[]> => {
      const out: number[] = [];
      for (const [start, write] of [
        ['12345', ['APPEND', 'v', 'x']],
        ['12345', ['APPEND', 'v', 'x'.repeat(40)]],
        ['-9223372036854775808', ['APPEND', 'v', 'x'.repeat(300)]],
        ['12345', ['SETRANGE', 'v', '0', '9']],
        ['12345', ['SETRANGE', 'v', '31', '9']],
        ['a'.repeat(20), ['APPEND', 'v', 'b']],
        ['a'.repeat(31), ['APPEND', 'v', 'b']],
        ['a'.repeat(44), ['SETRANGE', 'v', '44', 'b']],
        ['a'.repeat(44), ['SETRANGE', 'v', '255', 'b']],
      ] as [string, Cmd][]) {
        await s.main.command(['SET', 'v', start]);
        out.push(num(await s.main.command(['MEMORY', 'USAGE', 'v', 'SAMPLES', '0']), 'MEMORY USAGE'));
        out.push(...(await measured(s, write, 'v')));
      }
      return out;
    };
    assert.deepEqual(await run(ours), await run(redis));
  });
});
