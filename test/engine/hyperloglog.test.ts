/**
 * HyperLogLog bytes, counts and memory equal a live redis-server 7.0.15's: for seeded element
 * sets PFADD leaves the same string (GET), PFCOUNT the same estimate and cached header,
 * PFMERGE the same value, MEMORY USAGE the same size; errors have the same text.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  HllSds, HllError, pfadd, pfcountOne, pfcountUnion, pfmerge, pfdebugDecode, pfdebugGetreg,
  assertHll, murmurHash64A, hllPatLen, HLL_INVALID_ERR, HLL_WRONGTYPE_ERR, HLL_DENSE_SIZE,
} from '../../src/engine/hyperloglog.js';
import { featuresOf } from '../../src/memory/sizes.js';
import { profile } from '../../src/memory/profiles.js';
import { keyOverhead } from '../../src/memory/live/key.js';
import { startRedis, type RedisHandle } from '../helpers/redis-server.js';
import { rng, randInt } from '../helpers/seeded.js';

const f = featuresOf(profile('redis-7.0'));
let redis: RedisHandle;
before(async () => {
  redis = await startRedis();
});
after(async () => {
  await redis?.stop();
});

function elements(r: () => number, n: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < n; i++) {
    const len = randInt(r, 0, 24);
    const b = Buffer.alloc(len);
    for (let j = 0; j < len; j++) b[j] = randInt(r, 0, 255);
    out.push(b);
  }
  return out;
}

async function get(key: string): Promise<Buffer> {
  const v = await redis.command('GET', key);
  assert.ok(Buffer.isBuffer(v), `GET ${key}: ${String(v)}`);
  return v;
}

async function assertMemory(key: string, o: HllSds): Promise<void> {
  assert.equal(String(await redis.command('OBJECT', 'ENCODING', key)), 'raw');
  const usage = await redis.command('MEMORY', 'USAGE', key);
  assert.equal(usage, keyOverhead(Buffer.byteLength(key), f) + o.alloc, `MEMORY USAGE ${key} (len ${o.len}, cap ${o.cap})`);
}

test('hllPatLen (MurmurHash64A, seed 0xadc83b19) picks the register and run Redis picks', async () => {
  const r = rng(0x1d);
  for (const [i, ele] of elements(r, 40).entries()) {
    await redis.command('PFADD', `one:${i}`, ele);
    const regs = (await redis.command('PFDEBUG', 'GETREG', `one:${i}`)) as number[];
    const index = regs.findIndex((v) => v !== 0);
    const pl = hllPatLen(ele);
    assert.deepEqual([Math.floor(pl / 64), pl & 63], [index, regs[index]], `element ${ele.toString('hex')}`);
  }
  assert.equal(typeof murmurHash64A(Buffer.from('a')), 'bigint');
});

test('PFADD in seeded batches leaves Redis\'s bytes, replies and memory (sparse, promotion, dense)', async () => {
  const r = rng(0x4c4c);
  for (const [i, total] of [0, 1, 7, 60, 400, 1500, 4000, 30000].entries()) {
    const key = `hll:${i}`;
    let o: HllSds | null = null;
    const els = elements(r, total);
    let at = 0;
    do {
      const n = Math.min(els.length - at, randInt(r, 0, Math.max(1, Math.floor(total / 4))));
      const batch = els.slice(at, at + n);
      at += n;
      const theirs = await redis.command('PFADD', key, ...batch);
      const res = pfadd(o, batch, f);
      o = res.value;
      assert.equal(res.updated ? 1 : 0, theirs, `PFADD reply, ${key} after ${at}`);
      assert.deepEqual(o.bytes(), await get(key), `bytes of ${key} after ${at} elements`);
      await assertMemory(key, o);
    } while (at < els.length);
    const theirCount = await redis.command('PFCOUNT', key);
    const ours = pfcountOne(o.raw.subarray(0, o.len));
    assert.equal(ours.card, BigInt(theirCount as number), `PFCOUNT ${key}`);
    assert.equal(ours.cacheWritten, true);
    assert.deepEqual(o.bytes(), await get(key), `cached cardinality header of ${key}`);
    const again = pfcountOne(o.raw.subarray(0, o.len));
    assert.deepEqual(again, { card: ours.card, cacheWritten: false });
    if (o.raw[4] === 1) assert.equal(pfdebugDecode(o.bytes()), String(await redis.command('PFDEBUG', 'DECODE', key)));
  }
});

test('hll-sparse-max-bytes decides promotion as in Redis', async () => {
  const r = rng(77);
  try {
  for (const maxBytes of [0, 30, 200, 900]) {
    await redis.command('CONFIG', 'SET', 'hll-sparse-max-bytes', String(maxBytes));
    const key = `hllmax:${maxBytes}`;
    let o: HllSds | null = null;
    for (let b = 0; b < 12; b++) {
      const batch = elements(r, randInt(r, 1, 30));
      const theirs = await redis.command('PFADD', key, ...batch);
      const res = pfadd(o, batch, f, maxBytes);
      o = res.value;
      assert.equal(res.updated ? 1 : 0, theirs);
      assert.deepEqual(o.bytes(), await get(key), `max ${maxBytes} batch ${b}`);
      await assertMemory(key, o);
    }
  }
  } finally {
    await redis.command('CONFIG', 'SET', 'hll-sparse-max-bytes', '3000');
  }
});

test('PFMERGE and multi-key PFCOUNT equal Redis (sparse+sparse, sparse+dense, existing dest)', async () => {
  const r = rng(0xe1e);
  const ours = new Map<string, HllSds>();
  for (const [name, n] of [['a', 30], ['b', 300], ['c', 5000], ['d', 2]] as const) {
    const els = elements(r, n);
    await redis.command('PFADD', `m:${name}`, ...els);
    ours.set(`m:${name}`, pfadd(null, els, f).value);
  }
  const cases: [string, string[]][] = [
    ['m:dst1', ['m:a', 'm:b']],
    ['m:dst2', ['m:a', 'm:c']],
    ['m:d', ['m:a']], // existing sparse destination, merged with itself too
    ['m:dst3', ['m:missing']],
    ['m:b', ['m:c', 'm:d']], // existing sparse destination promoted by a dense source
  ];
  for (const [dst, srcs] of cases) {
    assert.equal(await redis.command('PFMERGE', dst, ...srcs), 'OK');
    const values = [dst, ...srcs].filter((k) => ours.has(k)).map((k) => Buffer.from(ours.get(k)!.bytes()));
    const out = pfmerge(ours.get(dst) ?? null, values, f);
    ours.set(dst, out);
    assert.deepEqual(out.bytes(), await get(dst), `PFMERGE ${dst} ${srcs.join(' ')}`);
    await assertMemory(dst, out);
  }
  for (const keys of [['m:a', 'm:b'], ['m:a', 'm:c', 'm:dst1'], ['m:missing', 'm:d'], ['m:c', 'm:b', 'm:a', 'm:dst2']]) {
    const theirs = await redis.command('PFCOUNT', ...keys);
    const vals = keys.filter((k) => ours.has(k)).map((k) => ours.get(k)!.bytes());
    assert.equal(pfcountUnion(vals), BigInt(theirs as number), `PFCOUNT ${keys.join(' ')}`);
  }
  // PFDEBUG GETREG converts to dense.
  const a = ours.get('m:a')!;
  const regs = (await redis.command('PFDEBUG', 'GETREG', 'm:a')) as number[];
  const mine = pfdebugGetreg(a);
  assert.equal(mine.converted, true);
  assert.deepEqual(mine.registers, regs);
  assert.deepEqual(a.bytes(), await get('m:a'));
  await assertMemory('m:a', a);
});

test('corrupt and foreign values: the same errors as Redis', async () => {
  const errOf = (fn: () => unknown): string => {
    try {
      fn();
    } catch (e) {
      assert.ok(e instanceof HllError, String(e));
      return e.message;
    }
    return 'no error';
  };
  const msg = (reply: unknown) => (reply instanceof Error ? reply.message : `not an error: ${String(reply)}`);

  // Not an HLL: plain strings, wrong magic, bad encoding byte, dense of the wrong length.
  const bad = [Buffer.from('hello'), Buffer.from('HYLL\x02'.padEnd(20, '\0'), 'latin1'), Buffer.from('HYLL\x00'.padEnd(40, '\0'), 'latin1'), Buffer.from('HYLX\x01'.padEnd(20, '\0'), 'latin1')];
  for (const [i, b] of bad.entries()) {
    await redis.command('SET', `bad:${i}`, b);
    assert.equal(msg(await redis.command('PFADD', `bad:${i}`, 'x')), HLL_WRONGTYPE_ERR);
    assert.equal(msg(await redis.command('PFCOUNT', `bad:${i}`)), HLL_WRONGTYPE_ERR);
    assert.equal(errOf(() => assertHll(b)), HLL_WRONGTYPE_ERR);
  }

  // Sparse opcodes not covering 16384 registers.
  const base = pfadd(null, [Buffer.from('x'), Buffer.from('y')], f).value;
  const broken = Buffer.from(base.bytes());
  broken[broken.length - 1] = 0x00; // the trailing XZERO's low byte: registers go missing
  await redis.command('SET', 'corrupt', broken);
  assert.equal(msg(await redis.command('PFCOUNT', 'corrupt')), HLL_INVALID_ERR);
  assert.equal(errOf(() => pfcountOne(Buffer.from(broken))), HLL_INVALID_ERR);
  assert.equal(msg(await redis.command('PFCOUNT', 'corrupt', 'hll:1')), HLL_INVALID_ERR);
  assert.equal(errOf(() => pfcountUnion([broken])), HLL_INVALID_ERR);
  assert.equal(msg(await redis.command('PFMERGE', 'mdst', 'corrupt')), HLL_INVALID_ERR);
  assert.equal(errOf(() => pfmerge(null, [broken], f)), HLL_INVALID_ERR);
  // WRONGTYPE of a later key is not reached when an earlier one is corrupt, and the reverse.
  await redis.command('RPUSH', 'alist', 'x');
  assert.equal(msg(await redis.command('PFCOUNT', 'corrupt', 'alist')), HLL_INVALID_ERR);
  assert.equal(errOf(() => pfcountUnion([broken, null])), HLL_INVALID_ERR);
  assert.match(msg(await redis.command('PFCOUNT', 'alist', 'corrupt')), /^WRONGTYPE Operation against/);
  assert.match(errOf(() => pfcountUnion([null, broken])), /^WRONGTYPE Operation against/);

  // An element landing beyond the truncated opcodes: PFADD's -1 from hllSparseSet.
  const trunc = Buffer.from(base.bytes().subarray(0, 16 + 2));
  await redis.command('SET', 'trunc', trunc);
  const r = rng(5);
  const els = elements(r, 40);
  const theirs = msg(await redis.command('PFADD', 'trunc', ...els));
  assert.equal(theirs, HLL_INVALID_ERR);
  const o = HllSds.unshared(trunc, f);
  assert.equal(errOf(() => pfadd(o, els, f)), HLL_INVALID_ERR);
  assert.deepEqual(o.bytes(), await get('trunc'), 'elements before the failing one are applied, as in Redis');

  // Dense registers all at 63 (beyond what the hash can produce): the estimator's overflow.
  const dense = Buffer.alloc(HLL_DENSE_SIZE, 0xff);
  dense.write('HYLL', 0, 'latin1');
  dense.fill(0, 4, 16);
  dense[15] = 0x80;
  await redis.command('SET', 'dense63', dense);
  const their63 = (await redis.cli('PFCOUNT', 'dense63')).trim(); // beyond a JS number
  const our63 = pfcountOne(Buffer.from(dense));
  assert.equal(String(our63.card >= 1n << 63n ? our63.card - (1n << 64n) : our63.card), String(their63));
});
