/**
 * Glob matching agrees with a real redis-server's KEYS on the same keys and patterns.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { globMatch, compileGlob, type GlobStats } from '../../src/rdb/glob.js';
import { rng, randInt, randBytes, pick } from '../helpers/seeded.js';
import { startRedis, type RedisHandle } from '../helpers/redis-server.js';

const KEYS = ['user:1', 'user:12', 'user:abc', 'User:1', 'session:x', 'a*b', 'a?b', 'a[b', 'abc', 'ab', 'a', '', 'x\\y', 'cache:page:/index', 'hello', 'hallo', 'hxllo', 'hllo', 'heeeello', 'k\xff\x00'];
const PATTERNS = ['*', 'user:*', 'user:?', 'user:[0-9]*', 'user:[^0-9]*', '[uU]ser:*', 'h?llo', 'h*llo', 'h[ae]llo', 'h[^e]llo', 'h[a-b]llo', 'a\\*b', 'a\\?b', 'a[\\[]b', '*:*:*', 'ab*', '*c', '?', '', 'x\\\\y', '[z-a]*', 'user:[1', '*\xff*'];

let redis: RedisHandle;
before(async () => {
  redis = await startRedis();
  for (const k of KEYS) await redis.command('SET', Buffer.from(k, 'latin1'), '1');
});
after(async () => {
  await redis?.stop();
});

test('globMatch equals redis-server KEYS for every pattern', async () => {
  for (const pat of PATTERNS) {
    const reply = (await redis.command('KEYS', Buffer.from(pat, 'latin1'))) as Buffer[];
    const theirs = reply.map((b) => b.toString('latin1')).sort();
    const p = Buffer.from(pat, 'latin1');
    // keysCommand answers the lone `*` without stringmatchlen (which rejects the empty key).
    const allkeys = pat === '*';
    const ours = KEYS.filter((k) => allkeys || globMatch(p, Buffer.from(k, 'latin1'))).sort();
    assert.deepEqual(ours, theirs, `pattern ${JSON.stringify(pat)}`);
    const compiled = compileGlob(p);
    assert.deepEqual(KEYS.filter((k) => compiled(Buffer.from(k, 'latin1'))).sort(), theirs, `compiled ${JSON.stringify(pat)}`);
  }
});

// Seeded differential fuzz: keys and patterns over a small alphabet rich in glob syntax, so
// stars, classes, ranges (including signed-char ones across 0x80), escapes and malformed
// brackets all occur often.
const KEY_ALPHA = [0x61, 0x62, 0x41, 0x2a, 0x3f, 0x5b, 0x5d, 0x5c, 0x2d, 0x5e, 0x00, 0x7f, 0x80, 0xc8, 0xff];
const PAT_ALPHA = [0x61, 0x62, 0x41, 0x2a, 0x2a, 0x3f, 0x5b, 0x5b, 0x5d, 0x5c, 0x2d, 0x2d, 0x5e, 0x00, 0x80, 0xc8, 0xff];

test('globMatch equals redis-server KEYS on 3000 seeded patterns over 400 seeded keys', async () => {
  const r = rng(0x91ab);
  const db = await startRedis();
  assert.equal(globMatch(Buffer.from('*'), Buffer.alloc(0)), false, 'stringmatchlen("*", "") is 0');
  try {
    const keys = new Map<string, Buffer>();
    while (keys.size < 400) {
      const k = randBytes(r, randInt(r, 0, 9), KEY_ALPHA);
      keys.set(k.toString('hex'), k);
    }
    for (const k of keys.values()) await db.command('SET', k, '1');
    const all = [...keys.values()];
    for (let i = 0; i < 3000; i++) {
      const p = randBytes(r, randInt(r, 0, 8), PAT_ALPHA);
      const reply = (await db.command('KEYS', p)) as Buffer[];
      const theirs = reply.map((b) => b.toString('hex')).sort();
      const allkeys = p.length === 1 && p[0] === 0x2a; // keysCommand's own shortcut
      const ours = all.filter((k) => allkeys || globMatch(p, k)).map((k) => k.toString('hex')).sort();
      assert.deepEqual(ours, theirs, `pattern hex ${p.toString('hex')}`);
      const compiled = compileGlob(p);
      const oursCompiled = all.filter((k) => compiled(k)).map((k) => k.toString('hex')).sort();
      assert.deepEqual(oursCompiled, theirs, `compiled pattern hex ${p.toString('hex')}`);
    }
  } finally {
    await db.stop();
  }
});

test('20 stars on a 60-byte key: linear work, same answer as redis-server', async () => {
  const pattern = Buffer.from('a*'.repeat(20) + 'b');
  const miss = Buffer.from('a'.repeat(60));
  const hit = Buffer.from('a'.repeat(59) + 'b');
  const stats: GlobStats = { steps: 0 };
  assert.equal(globMatch(pattern, miss, false, stats), false);
  // Exponential backtracking would need ~C(60,20) steps; the single-star scheme needs at most
  // (pattern length + 1) × (string length + 1).
  assert.ok(stats.steps <= (pattern.length + 1) * (miss.length + 1), `steps ${stats.steps}`);
  stats.steps = 0;
  assert.equal(globMatch(pattern, hit, false, stats), true);
  assert.ok(stats.steps <= (pattern.length + 1) * (hit.length + 1), `steps ${stats.steps}`);
  // A 100 000-star pattern neither recurses nor overflows the stack.
  const long = Buffer.from('*a'.repeat(100_000) + 'b');
  assert.equal(globMatch(long, Buffer.alloc(200, 0x61)), false);
  assert.deepEqual(await redis.command('KEYS', pattern), []);
  await redis.command('SET', miss, '1');
  await redis.command('SET', hit, '1');
  const reply = (await redis.command('KEYS', pattern)) as Buffer[];
  assert.deepEqual(reply.map(String), [hit.toString()]);
  await redis.command('DEL', miss, hit);
});

test('nocase matching equals CONFIG GET on mutated config-name patterns', async () => {
  const names = ((await redis.command('CONFIG', 'GET', '*')) as Buffer[]).filter((_, i) => i % 2 === 0).map(String);
  // Aliases (replicaof/slaveof, *-listpack-* / *-ziplist-*) are reported once per config,
  // under whichever name the dict iteration meets first.
  const canon = (n: string) => n.replace(/slave/g, 'replica').replace(/ziplist/g, 'listpack');
  const r = rng(0x5eed);
  for (let i = 0; i < 600; i++) {
    const base = Buffer.from(pick(r, names));
    const p: number[] = [];
    for (const c of base) {
      const x = r();
      if (x < 0.15) p.push(0x3f);
      else if (x < 0.25) p.push(0x2a);
      else if (x < 0.3) continue;
      else if (x < 0.35) p.push(0x5b, c ^ 0x20, 0x2d, c, 0x5d);
      else if (x < 0.5) p.push(c >= 0x61 && c <= 0x7a ? c - 32 : c);
      else p.push(c);
    }
    if (!p.some((c) => c === 0x2a || c === 0x3f || c === 0x5b)) p.push(0x2a);
    const pat = Buffer.from(p);
    const reply = (await redis.command('CONFIG', 'GET', pat)) as Buffer[];
    const theirs = new Set(reply.filter((_, j) => j % 2 === 0).map(String));
    const ours = names.filter((n) => globMatch(pat, Buffer.from(n), true));
    for (const n of theirs) assert.ok(ours.includes(n), `redis matched ${n} for ${pat}, we did not`);
    const theirCanon = new Set([...theirs].map(canon));
    for (const n of ours) assert.ok(theirCanon.has(canon(n)), `we matched ${n} for ${pat}, redis did not`);
  }
});
