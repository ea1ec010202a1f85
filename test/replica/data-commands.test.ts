/**
 * The follower applies the writes of issue #12's data families as a real replica does: PFADD,
 * PFMERGE, PFCOUNT (its cache write is propagated), GEOADD (propagated as ZADD), GEOSEARCHSTORE
 * and GEORADIUS … STORE, SORT … STORE, BITOP, BITFIELD, SETBIT, SETRANGE, RESTORE (relative TTL
 * rewritten as ABSTTL), SINTERSTORE/SUNIONSTORE/SDIFFSTORE. Nothing is counted unsupported, no
 * key is stale, and every key equals the primary's (type, encoding, length, expiry, MEMORY USAGE).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertEqualToPrimary, caughtUp, follow, realReplica, startPrimary } from './helpers.js';

test('a follower applies PF*, GEO*, SORT STORE, BITOP/BITFIELD, RESTORE: 0 unsupported, 0 stale, every key equal', { timeout: 90_000 }, async () => {
  const r = await startPrimary();
  const f = await follow(r.port);
  const rep = await realReplica(r);
  try {
    await f.follower.firstSync;
    const cmds: string[][] = [];
    for (let i = 0; i < 40; i++) cmds.push(['PFADD', `hll:${i % 4}`, ...Array.from({ length: 1 + i * 30 }, (_, j) => `e${i}-${j}`)]);
    cmds.push(['PFCOUNT', 'hll:0'], ['PFMERGE', 'hll:m', 'hll:0', 'hll:1', 'hll:2'], ['PFCOUNT', 'hll:m', 'hll:3'], ['PFADD', 'hll:empty']);
    for (let i = 0; i < 150; i++) cmds.push(['GEOADD', 'geo', String(13 + (i % 30) / 10), String(38 + Math.floor(i / 30) / 10), `p${i}`]);
    cmds.push(['GEOSEARCHSTORE', 'geo:near', 'geo', 'FROMLONLAT', '14', '38.2', 'BYRADIUS', '30', 'km', 'ASC', 'COUNT', '20']);
    cmds.push(['GEOSEARCHSTORE', 'geo:dist', 'geo', 'FROMMEMBER', 'p3', 'BYBOX', '100', '100', 'km', 'STOREDIST']);
    cmds.push(['GEORADIUS', 'geo', '13.5', '38.1', '200', 'km', 'STORE', 'geo:all']);
    cmds.push(['GEORADIUSBYMEMBER', 'geo', 'p1', '1', 'm', 'STORE', 'geo:none']);
    cmds.push(['RPUSH', 'list', ...Array.from({ length: 300 }, (_, i) => String((i * 7919) % 1000))]);
    cmds.push(['SADD', 'set', ...Array.from({ length: 50 }, (_, i) => `m${i}`)]);
    for (let i = 0; i < 50; i++) cmds.push(['SET', `w_m${i}`, String(50 - i)]);
    cmds.push(['SORT', 'list', 'LIMIT', '10', '100', 'STORE', 'sorted:list']);
    cmds.push(['SORT', 'set', 'BY', 'w_*', 'STORE', 'sorted:set']);
    cmds.push(['SORT', 'set', 'ALPHA', 'DESC', 'GET', '#', 'GET', 'w_*', 'STORE', 'sorted:get']);
    cmds.push(['SET', 'a', 'foobar'], ['SET', 'b', 'abcdef'], ['BITOP', 'AND', 'and', 'a', 'b'], ['BITOP', 'NOT', 'not', 'a'], ['BITOP', 'OR', 'a', 'nokey']);
    cmds.push(['BITFIELD', 'bf', 'SET', 'u8', '#100', '255', 'INCRBY', 'i5', '3', '10', 'OVERFLOW', 'SAT', 'INCRBY', 'u2', '0', '7']);
    cmds.push(['SETBIT', 'bits', '100000', '1'], ['SETRANGE', 'range', '5000', 'hello'], ['SETRANGE', 'int', '0', '1']);
    cmds.push(['SADD', 's1', '1', '2', '3'], ['SADD', 's2', '2', '3', '4', 'x'], ['SINTERSTORE', 's3', 's1', 's2'], ['SUNIONSTORE', 's4', 's1', 's2'], ['SDIFFSTORE', 's5', 's2', 's1']);
    cmds.push(['HSET', 'h', 'f', 'v', 'g', 'w']);
    for (const c of cmds) await r.command(...c);
    // RESTORE of payloads the primary itself dumped, with TTLs and REPLACE
    for (const [k, ttl, opts] of [['h', '0', []], ['list', '100000', []], ['set', '0', ['ABSTTL']], ['geo', '5000000', ['REPLACE']]] as const) {
      const payload = (await r.command('DUMP', k)) as Buffer;
      assert.ok(Buffer.isBuffer(payload), `DUMP ${k}`);
      assert.equal(String(await r.command('RESTORE', `restored:${k}`, ttl, payload, ...opts)), 'OK');
    }
    await caughtUp(r, f);
    const info = String(await f.command('INFO', 'replication'));
    assert.match(info, /rdblens_unsupported_commands:0/, info);
    assert.match(info, /rdblens_stale_keys:0/, info);
    assert.equal(f.follower.engineErrors, 0);
    const n = await assertEqualToPrimary(r, f, [0], rep);
    assert.ok(n >= 80, `${n} keys compared`);
    // the HLL bytes themselves (cache header included) are the primary's
    for (const k of ['hll:0', 'hll:m', 'hll:empty', 'and', 'not', 'bf', 'bits']) {
      const [a, b] = [await r.command('GET', k), await f.command('GET', k)];
      assert.ok(Buffer.isBuffer(a) && Buffer.isBuffer(b) && a.equals(b), `GET ${k}`);
    }
  } finally {
    await f.stop();
    await rep.stop();
    await r.stop();
  }
});
