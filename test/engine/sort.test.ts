/**
 * SORT equals a live redis-server 7.0.15 on seeded lists, sets and sorted sets: BY and GET
 * patterns (`*`, `#`, `->field`, constants), ALPHA, DESC, LIMIT, STORE, and the numeric
 * conversion error.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { parseSortArgs, sortRows, strtod, SortError, type SortLookup, type SortSource } from '../../src/engine/sort.js';
import { startRedis, replyText, type RedisHandle } from '../helpers/redis-server.js';
import { rng, randInt, pick } from '../helpers/seeded.js';

let redis: RedisHandle;
before(async () => {
  redis = await startRedis();
});
after(async () => {
  await redis?.stop();
});

const B = (s: string) => Buffer.from(s, 'latin1');

/** Our view of the keyspace: strings and hashes, as the test wrote them to Redis. */
function lookupFrom(strings: Map<string, string>, hashes: Map<string, Map<string, string>>, others: Set<string>): SortLookup {
  return (key) => {
    const k = key.toString('latin1');
    if (strings.has(k)) return { type: 'string', value: B(strings.get(k)!) };
    const h = hashes.get(k);
    if (h) return { type: 'hash', field: (f) => (h.has(f.toString('latin1')) ? B(h.get(f.toString('latin1'))!) : undefined) };
    if (others.has(k)) return { type: 'other' };
    return null;
  };
}

test('SORT equals redis-server on 1200 seeded sorts', async () => {
  const r = rng(0x5027);
  for (let round = 0; round < 60; round++) {
    await redis.command('FLUSHALL');
    const type = pick(r, ['list', 'set', 'intset', 'zset'] as const);
    const n = randInt(r, 0, 25);
    const els: string[] = [];
    const seen = new Set<string>();
    while (els.length < n) {
      const e = type === 'intset' ? String(randInt(r, -50, 50)) : pick(r, [String(randInt(r, -20, 20)), (r() * 10 - 5).toFixed(randInt(r, 0, 3)), `e${randInt(r, 0, 30)}`, `E${randInt(r, 0, 9)}x`, 'a\0b', '']);
      if (type !== 'list' && seen.has(e)) continue;
      seen.add(e);
      els.push(e);
    }
    const key = 'src';
    if (els.length) {
      if (type === 'list') await redis.command('RPUSH', key, ...els);
      else if (type === 'zset') await redis.command('ZADD', key, ...els.flatMap((e, i) => [String(randInt(r, 0, 5) + i / 100), e]));
      else await redis.command('SADD', key, ...els);
    }
    // weights and hashes
    const strings = new Map<string, string>();
    const hashes = new Map<string, Map<string, string>>();
    const others = new Set<string>();
    const uniqueWeights = type === 'zset';
    let u = 0;
    for (const e of new Set(els)) {
      if (uniqueWeights || r() < 0.8) {
        const w = uniqueWeights ? `${randInt(r, 0, 9)}.${u++}` : pick(r, [String(randInt(r, -5, 5)), (r() * 3).toFixed(2), `w${randInt(r, 0, 5)}`, '7']);
        strings.set(`w_${e}`, w);
        await redis.command('SET', B(`w_${e}`), w);
      }
      if (uniqueWeights || r() < 0.7) {
        const f = uniqueWeights ? `${randInt(r, 0, 9)}.${u++}` : String(randInt(r, 0, 9));
        hashes.set(`h_${e}`, new Map([['f', f], ['g', `g${e}`]]));
        await redis.command('HSET', B(`h_${e}`), 'f', f, 'g', `g${e}`);
      }
      if (r() < 0.1 && !uniqueWeights) {
        others.add(`x_${e}`);
        await redis.command('RPUSH', B(`x_${e}`), '1');
      }
    }
    const lookup = lookupFrom(strings, hashes, others);
    // the source as Redis iterates it
    let source: SortSource | null = null;
    if (els.length) {
      const order =
        type === 'list' ? (await redis.command('LRANGE', key, '0', '-1')) as Buffer[] :
        type === 'zset' ? (await redis.command('ZRANGE', key, '0', '-1')) as Buffer[] :
        (await redis.command('SMEMBERS', key)) as Buffer[];
      source = { type: type === 'intset' ? 'set' : type, elements: order };
    }
    for (let q = 0; q < 20; q++) {
      const args: string[] = [];
      // zsets are sorted from their dict's order, which only shows for ALPHA BY ties: their
      // weights are present and unique, and BY patterns that miss every key are left out
      const byChoices = uniqueWeights ? ['w_*', 'h_*->f', 'nosort'] : ['w_*', 'h_*->f', 'nosort', 'x_*', 'h_*->', 'h_*->missing'];
      if (r() < 0.6) args.push('BY', pick(r, byChoices));
      if (r() < 0.4) args.push('ALPHA');
      if (r() < 0.4) args.push(pick(r, ['DESC', 'ASC']));
      if (r() < 0.4) args.push('LIMIT', String(randInt(r, -3, n + 2)), String(randInt(r, -3, n + 2)));
      const gets = randInt(r, 0, 3);
      for (let g = 0; g < gets; g++) args.push('GET', pick(r, ['#', 'w_*', 'h_*->g', 'h_*->f', 'const', 'x_*']));
      const store = r() < 0.2;
      if (store) args.push('STORE', 'dst');
      if (r() < 0.02) args.push('BOGUS');
      if (r() < 0.02) args.push('LIMIT', 'x', '1');
      // zsets and hashtable sets: ALPHA BY ties would come out in dict order; weights are unique then
      const theirs = replyText(await redis.command('SORT', key, ...args));
      let ours: unknown;
      try {
        const spec = parseSortArgs(args.map(B));
        const res = sortRows(spec, source, lookup);
        if (res.kind === 'store') {
          ours = res.rows.length;
          const stored = (await redis.command('LRANGE', 'dst', '0', '-1')) as Buffer[];
          assert.deepEqual(stored.map((b) => b.toString('latin1')), res.rows.map((b) => b.toString('latin1')), `stored by SORT ${args.join(' ')}`);
        } else ours = res.rows.map((x) => (x === null ? null : x.toString('latin1')));
      } catch (e) {
        if (!(e instanceof SortError)) throw e;
        ours = `ERR:${e.message}`;
      }
      assert.deepEqual(ours, theirs, `SORT (${type} ${JSON.stringify(els)}) ${args.join(' ')}`);
    }
  }
});

test('numeric weights: strtod acceptance equals redis-server', async () => {
  // Redis tests errno == ERANGE without clearing errno first, so after one out-of-range weight
  // the server keeps refusing even valid ones (inf) until some call resets errno: the
  // out-of-range cases come last, and the model assumes a clear errno.
  const texts = ['1', '-2.5', ' 3', '4 ', '0x1A', '0x1p3', '1e5', 'inf', '-Infinity', 'nan', 'abc', '', '.5', '5.', '1e', '+7', '\t8', '12\0junk', '-', '0x', 'infx', '1e400'];
  for (const t of texts) {
    await redis.command('DEL', 'l');
    await redis.command('RPUSH', 'l', B(t), '1');
    const theirs = replyText(await redis.command('SORT', 'l'));
    let ours: unknown;
    try {
      ours = (sortRows(parseSortArgs([]), { type: 'list', elements: [B(t), B('1')] }, () => null) as { rows: Buffer[] }).rows.map((b) => b.toString('latin1'));
    } catch (e) {
      ours = `ERR:${(e as Error).message}`;
    }
    assert.deepEqual(ours, theirs, `SORT of ${JSON.stringify(t)} (strtod ${JSON.stringify(strtod(B(t)))})`);
  }
});
