/**
 * MEMORY DOCTOR tips against dumps written by a real redis-server 7.0.15 (the Debian package:
 * profile redis-7.0). Each scenario flushes, writes, saves and analyzes the dump.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { startRedis, encodeCommand, RedisHandle } from '../helpers/redis-server.js';
import { analyzeDump, AnalyzeOptions } from '../../src/memory/analyze.js';
import { memoryDoctor, printKey, Tip } from '../../src/memory/doctor.js';

let redis: RedisHandle;

before(async () => {
  redis = await startRedis({ args: ['--enable-debug-command', 'yes'] });
});

after(async () => {
  await redis?.stop();
});

let dumps = 0;
/** FLUSHALL, run the writes, SAVE, and analyze a copy of the dump. */
async function scenario(write: () => Promise<void>, opts: AnalyzeOptions = {}) {
  await redis.command('FLUSHALL');
  await write();
  const saved = await redis.save();
  const copy = path.join(redis.dir, `scenario-${dumps++}.rdb`);
  await copyFile(saved, copy);
  const a = await analyzeDump(copy, { target: 'redis-7.0', ...opts });
  return { a, ...memoryDoctor([a]) };
}

async function pipe(commands: (string | Buffer)[][]): Promise<void> {
  for (let i = 0; i < commands.length; i += 5000) {
    await redis.pipe(Buffer.concat(commands.slice(i, i + 5000).map((c) => encodeCommand(c))));
  }
}

async function usageSum(keys: string[]): Promise<number> {
  let sum = 0;
  for (const k of keys) sum += Number(await redis.command('MEMORY', 'USAGE', k, 'SAMPLES', '0'));
  return sum;
}

function tip(tips: Tip[], id: string): Tip {
  const t = tips.find((x) => x.id === id);
  assert.ok(t, `tip ${id} among ${tips.map((x) => x.id).join(', ')}`);
  return t;
}

test('a dump with nothing to report gives no tips', async () => {
  const { tips, text } = await scenario(async () => {
    await pipe([
      ['SET', 'user:1', 'alice', 'EX', '86400'],
      ['HSET', 'cart:1', 'sku', '3', 'qty', '1'],
      ['EXPIRE', 'cart:1', '3600'],
      ['RPUSH', 'queue', 'a', 'b'],
    ]);
  });
  assert.deepEqual(tips, []);
  assert.match(text, /^Memory usage: \d+ bytes/);
  assert.match(text, /\nLargest keys found:\ndb=0 key='(user:1|cart:1|queue)' type=\w+ size=\d+ bytes\n/);
  assert.match(text, /No tips/);
});

test('listpack thresholds: the saving equals the real server after CONFIG SET + reload (within 1%)', async () => {
  // a server configured with the pre-7.0 default (128 entries), as many old redis.conf files are
  const keys = Array.from({ length: 300 }, (_, i) => `obj:${i}`);
  await redis.command('CONFIG', 'SET', 'hash-max-listpack-entries', '128');
  const { tips, text } = await scenario(async () => {
    const cmds: string[][] = [];
    for (const k of keys) {
      const args = ['HSET', k];
      for (let j = 0; j < 200; j++) args.push(`f${j}`, `v${(j * 7919) % 1000}x`);
      cmds.push(args);
    }
    await pipe(cmds);
  }, { config: { 'hash-max-listpack-entries': 128 } });
  const t = tip(tips, 'listpack-thresholds');
  // every suggested limit fits 200 fields
  assert.deepEqual(
    t.items.map((i) => [i.subject, i.keys]),
    [256, 512, 1024].map((e) => [`hash: hash-max-listpack-entries ${e}`, 300]),
  );
  const item = t.items.find((i) => i.subject === 'hash: hash-max-listpack-entries 512');
  assert.ok(item, JSON.stringify(t.items));
  assert.equal(item.keys, 300);
  assert.match(text, /hash-max-listpack-entries 512: 300 hash keys would load as compact encodings, saving \d+ bytes/);
  assert.match(text, /O\(N\)/);

  const before = await usageSum(keys);
  assert.equal(await redis.command('CONFIG', 'SET', 'hash-max-listpack-entries', '512'), 'OK');
  assert.equal(await redis.command('DEBUG', 'RELOAD'), 'OK');
  assert.equal(String(await redis.command('OBJECT', 'ENCODING', keys[0]!)), 'listpack');
  const afterSum = await usageSum(keys);
  const real = before - afterSum;
  console.log(`# threshold tip: model ${item.bytes} bytes, server ${real} bytes`);
  assert.ok(Math.abs(item.bytes - real) / real < 0.01, `model ${item.bytes} vs server ${real}`);
});

test('small strings under one prefix, long key prefixes, memory without TTL', async () => {
  const n = 20000;
  const { tips } = await scenario(async () => {
    const cmds: string[][] = [];
    for (let i = 0; i < n; i++) cmds.push(['SET', `application:session:token:${i}`, `u${i % 977}:${(i * 31) % 10007}`]);
    // over 1 MiB without TTL under one prefix
    for (let i = 0; i < 40; i++) cmds.push(['SET', `cache:page:${i}`, 'x'.repeat(40000)]);
    await pipe(cmds);
  });
  const bucket = tip(tips, 'bucket-small-strings');
  assert.equal(bucket.items[0]!.subject, 'application:session:token:*');
  assert.equal(bucket.items[0]!.keys, n);
  // each key costs at least its name, object and entry: the saving is most of that
  assert.ok(bucket.bytes > n * 40, String(bucket.bytes));

  const names = tip(tips, 'key-names');
  assert.equal(names.items[0]!.subject, 'application:session:token:*');
  // 24 bytes shorter names: sds classes of 16 bytes, so at least 16 bytes each
  assert.ok(names.items[0]!.bytes >= n * 16, String(names.items[0]!.bytes));

  const noTtl = tip(tips, 'no-ttl');
  assert.ok(noTtl.subjects.includes('cache:page:*'), noTtl.subjects.join());
  assert.ok(noTtl.items.find((i) => i.subject === 'cache:page:*')!.bytes >= 40 * 40000);
});

test('big keys, untrimmed streams, expired keys', async () => {
  const { tips, text } = await scenario(async () => {
    await redis.command('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
    await redis.command('SETRANGE', 'blob:huge', String(10 * 1024 * 1024 + 10), 'x');
    const list = ['RPUSH', 'list:huge'];
    for (let i = 0; i < 12000; i++) list.push(String(i));
    const cmds: string[][] = [list];
    for (let i = 1; i <= 15000; i++) cmds.push(['XADD', 'events', `${i}-0`, 'type', 'click', 'n', String(i)]);
    for (let i = 0; i < 5; i++) cmds.push(['SET', `gone:${i}`, 'v'.repeat(100), 'PX', '50']);
    await pipe(cmds);
    await new Promise((r) => setTimeout(r, 200));
  });
  const big = tip(tips, 'big-keys');
  assert.deepEqual([...big.subjects].sort(), ['blob:huge', 'events', 'list:huge']);
  assert.equal(big.subjects[0], 'blob:huge');
  assert.match(text, /UNLINK/);

  const streams = tip(tips, 'untrimmed-streams');
  assert.equal(streams.items[0]!.subject, "db=0 key='events'");
  // the real server: MEMORY USAGE before and after XTRIM MAXLEN ~ 10000 (fresh load both times)
  await redis.command('DEBUG', 'RELOAD');
  const before = Number(await redis.command('MEMORY', 'USAGE', 'events', 'SAMPLES', '0'));
  await redis.command('XTRIM', 'events', 'MAXLEN', '~', '10000');
  await redis.command('DEBUG', 'RELOAD');
  const afterTrim = Number(await redis.command('MEMORY', 'USAGE', 'events', 'SAMPLES', '0'));
  const real = before - afterTrim;
  console.log(`# stream tip: model ${streams.bytes} bytes, server ${real} bytes`);
  assert.ok(Math.abs(streams.bytes - real) / real < 0.05, `model ${streams.bytes} vs server ${real}`);

  const expired = tip(tips, 'expired');
  assert.equal(expired.items.length, 5);
  assert.ok(expired.bytes > 5 * 100);
  await redis.command('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
});

test('idle big keys (LRU idle times in the dump)', async () => {
  const { tips, text } = await scenario(async () => {
    await redis.command('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru');
    await redis.command('SETRANGE', 'cold:report', String(2 * 1024 * 1024), 'x');
    const dump = (await redis.command('DUMP', 'cold:report')) as Buffer;
    await redis.command('DEL', 'cold:report');
    assert.equal(await redis.command('RESTORE', 'cold:report', '0', dump, 'IDLETIME', '2000000'), 'OK');
    await redis.command('SETRANGE', 'hot:report', String(2 * 1024 * 1024), 'x');
  });
  await redis.command('CONFIG', 'SET', 'maxmemory-policy', 'noeviction');
  const idle = tip(tips, 'idle-keys');
  assert.deepEqual(idle.subjects, ['cold:report']);
  assert.ok(idle.bytes > 2 * 1024 * 1024);
  assert.match(text, /idle 23d/);
});

test('keys are printed escaped, as in error messages: quotes, backslash and non-printables as \\xNN', () => {
  assert.equal(printKey(Buffer.from([0x61, 0x27, 0x00, 0xff, 0x5c])), 'a\\x27\\x00\\xff\\x5c');
});
