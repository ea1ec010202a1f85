/**
 * Focused cases per family of issue #12's data commands, each run on a private redis-server
 * 7.0.15 and on rdblens serve, replies compared exactly (RESP2 and, for the replies whose shape
 * differs, RESP3): the edges the random streams of differential-data.test.ts reach rarely.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startRedis, type RespReply } from '../helpers/redis-server.js';
import { serve } from './helpers.js';

const show = (x: RespReply): unknown =>
  x instanceof Error ? `ERR:${x.message}` : Buffer.isBuffer(x) ? x.toString('latin1') : Array.isArray(x) ? x.map(show) : x;

const FAMILIES: Record<string, string[][]> = {
  strings: [
    ['SET', 's', 'Hello World'], ['GETRANGE', 's', '0', '-1'], ['GETRANGE', 's', '-5', '-1'], ['GETRANGE', 's', '5', '3'], ['GETRANGE', 's', '-1', '-5'],
    ['GETRANGE', 's', '0', '9223372036854775807'], ['GETRANGE', 's', '-9223372036854775808', '2'], ['SUBSTR', 's', '1', 'x'], ['GETRANGE', 'nokey', '0', '1'],
    ['SET', 'n', '12345'], ['GETRANGE', 'n', '1', '2'], ['GETBIT', 'n', '2'], ['BITCOUNT', 'n'], ['LCS', 'n', 's'],
    ['SETRANGE', 's', '-1', 'x'], ['SETRANGE', 's', '536870911', 'xy'], ['SETRANGE', 'new', '0', ''], ['EXISTS', 'new'], ['SETRANGE', 'new', '3', 'ab'], ['GET', 'new'],
    ['SETBIT', 'b', '-1', '1'], ['SETBIT', 'b', '4294967296', '1'], ['SETBIT', 'b', '7', '2'], ['SETBIT', 'b', '7', '01'], ['SETBIT', 'b', '7', '1'], ['GETBIT', 'b', '4294967296'],
    ['BITCOUNT', 'b', '0'], ['BITCOUNT', 'nokey', '0'], ['BITCOUNT', 'b', '0', '-1', 'BIT'], ['BITCOUNT', 'b', '0', '-1', 'NIBBLE'],
    ['BITPOS', 'b', '2'], ['BITPOS', 'nokey', '1'], ['BITPOS', 'nokey', '0'], ['BITPOS', 'b', '0', '0', '-1', 'bit'], ['BITPOS', 'b', '1', '1', '0'],
    ['BITOP', 'NOT', 'd', 'b', 's'], ['BITOP', 'XOR', 'd', 'b', 's'], ['GET', 'd'], ['BITOP', 'AND', 'd', 'nokey'], ['EXISTS', 'd'], ['LPUSH', 'l', 'x'], ['BITOP', 'OR', 'd', 'b', 'l'],
    ['BITFIELD', 'bf', 'SET', 'i8', '0', '-100', 'GET', 'u4', '0', 'INCRBY', 'u2', '#1', '5', 'OVERFLOW', 'FAIL', 'INCRBY', 'u2', '#1', '5'],
    ['BITFIELD', 'bf', 'GET', 'u64', '0'], ['BITFIELD', 'bf', 'GET', 'i64', '0'], ['BITFIELD', 'bf', 'OVERFLOW', 'NO'], ['BITFIELD', 'bf', 'GET', 'u8'],
    ['BITFIELD_RO', 'l', 'SET', 'u8', '0', '1'], ['BITFIELD_RO', 'l', 'GET', 'u8', '0'], ['BITFIELD_RO', 'bf', 'GET', 'u8', '0'], ['BITFIELD', 'l'], ['BITFIELD', 'nokey'],
    ['SET', 'x', 'ohmytext'], ['SET', 'y', 'mynewtext'], ['LCS', 'x', 'y'], ['LCS', 'x', 'y', 'LEN'], ['LCS', 'x', 'y', 'IDX', 'MINMATCHLEN', '2', 'WITHMATCHLEN'],
    ['LCS', 'x', 'y', 'LEN', 'IDX'], ['LCS', 'x', 'l'], ['LCS', 'x', 'y', 'MINMATCHLEN'], ['MEMORY', 'USAGE', 'bf'], ['MEMORY', 'USAGE', 'd'], ['MEMORY', 'USAGE', 'new'],
  ],
  hyperloglog: [
    ['PFADD', 'h'], ['GET', 'h'], ['PFADD', 'h', 'a', 'b', 'c'], ['PFCOUNT', 'h'], ['GET', 'h'], ['MEMORY', 'USAGE', 'h'], ['PFCOUNT', 'h', 'nokey'], ['PFCOUNT', 'nokey'],
    ['SET', 'notahll', 'hello'], ['PFADD', 'notahll', 'a'], ['PFCOUNT', 'h', 'notahll'], ['LPUSH', 'l', 'x'], ['PFCOUNT', 'l'], ['PFMERGE', 'h', 'l'], ['PFMERGE', 'm', 'h', 'nokey'],
    ['PFCOUNT', 'm'], ['PFDEBUG', 'ENCODING', 'm'], ['PFDEBUG', 'DECODE', 'm'], ['PFDEBUG', 'TODENSE', 'm'], ['PFDEBUG', 'TODENSE', 'm'], ['PFDEBUG', 'DECODE', 'm'],
    ['MEMORY', 'USAGE', 'm'], ['PFADD', 'm', 'z'], ['PFCOUNT', 'm'], ['PFDEBUG', 'NOPE', 'm'], ['PFDEBUG', 'ENCODING', 'nokey'], ['PFDEBUG', 'ENCODING', 'm', 'extra'],
    ['PFDEBUG', 'ENCODING', 'l'], ['PFMERGE', 'h2', 'h', 'm'], ['PFDEBUG', 'ENCODING', 'h2'], ['MEMORY', 'USAGE', 'h2'], ['PFSELFTEST'],
    ['SET', 'e', 'HYLL'], ['PFADD', 'e', 'x'], ['APPEND', 'h', 'x'], ['PFCOUNT', 'h'],
  ],
  hashes: [
    ['HSET', 'h', 'a', '1', 'bb', 'hello'], ['HSTRLEN', 'h', 'bb'], ['HSTRLEN', 'h', 'zz'], ['HSTRLEN', 'nokey', 'a'], ['SET', 's', 'v'], ['HSTRLEN', 's', 'a'],
    ['HRANDFIELD', 'nokey'], ['HRANDFIELD', 'nokey', '3'], ['HRANDFIELD', 's'], ['HRANDFIELD', 'h', '0'], ['HRANDFIELD', 'h', '5', 'WITHVALUES'], ['HRANDFIELD', 'h', '2', 'x'],
    ['HRANDFIELD', 'h', '2', 'WITHVALUES', 'x'], ['HRANDFIELD', 'h', '-9223372036854775808'], ['HRANDFIELD', 'h', '-9223372036854770000', 'WITHVALUES'],
    ['HRANDFIELD', 'h', '4611686018427387904', 'WITHVALUES'], ['HRANDFIELD', 'h', 'x'],
  ],
  sets: [
    ['SADD', 'a', '1', '2', '3', '4'], ['SADD', 'b', '3', '4', '5'], ['SADD', 'c', 'x', '3'], ['SINTER', 'a', 'b'], ['SINTER', 'a', 'nokey'], ['SUNION', 'a', 'b'], ['SDIFF', 'a', 'b'],
    ['SDIFF', 'a', 'a'], ['SDIFF', 'nokey', 'a'], ['SINTERCARD', '2', 'a', 'b'], ['SINTERCARD', '2', 'a', 'b', 'LIMIT', '1'], ['SINTERCARD', '0', 'a'], ['SINTERCARD', '3', 'a', 'b'],
    ['SINTERCARD', '1', 'a', 'LIMIT', '-1'], ['SINTERCARD', '1', 'a', 'LIMIT'], ['SINTERCARD', 'x', 'a'], ['SINTERCARD', '2', 'a', 'nokey'], ['SET', 's', 'v'], ['SINTER', 'a', 's'],
    ['SINTER', 'nokey', 's'], ['SINTERCARD', '2', 'nokey', 's'], ['SMISMEMBER', 'a', '1', '9', '3'], ['SMISMEMBER', 'nokey', '1'], ['SMISMEMBER', 's', '1'],
    ['SRANDMEMBER', 'nokey'], ['SRANDMEMBER', 'nokey', '5'], ['SRANDMEMBER', 's', '5'], ['SRANDMEMBER', 'a', '0'], ['SRANDMEMBER', 'a', '10'], ['SRANDMEMBER', 'a', '1', '2'],
    ['SRANDMEMBER', 'a', '-9223372036854775808'], ['SRANDMEMBER', 'a', '-9223372036854775807x'],
  ],
  geo: [
    ['GEOADD', 'g', '13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania'], ['GEOADD', 'g', 'NX', 'XX', '1', '1', 'x'], ['GEOADD', 'g', '1', '1'],
    ['GEOADD', 'g', '13', '38', 'a', '200', '100', 'b'], ['ZCARD', 'g'], ['GEOADD', 'g', 'x', '1', 'a'], ['GEOADD', 'g', 'CH', 'XX', '13.4', '38.1', 'Palermo', '1', '1', 'new'],
    ['GEOPOS', 'g', 'Palermo', 'nope'], ['GEOPOS', 'nokey', 'a'], ['GEOHASH', 'g', 'Palermo', 'Catania', 'nope'], ['GEODIST', 'g', 'Palermo', 'Catania'],
    ['GEODIST', 'g', 'Palermo', 'Catania', 'km'], ['GEODIST', 'g', 'Palermo', 'Catania', 'yd'], ['GEODIST', 'g', 'Palermo', 'nope'], ['GEODIST', 'nokey', 'a', 'b'],
    ['GEORADIUS', 'g', '15', '37', '200', 'km', 'WITHDIST', 'WITHCOORD', 'WITHHASH', 'ASC'], ['GEORADIUS', 'g', '15', '37', '200', 'km', 'COUNT', '0'],
    ['GEORADIUS', 'g', '15', '37', '-1', 'km'], ['GEORADIUS', 'g', '15', '37', 'x', 'km'], ['GEORADIUS', 'g', '15', '37', '200', 'km', 'ANY'],
    ['GEORADIUS', 'g', '15', '37', '200', 'km', 'STORE', 'dst', 'WITHDIST'], ['GEORADIUS', 'g', '15', '37', '200', 'km', 'STOREDIST', 'dst'], ['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'],
    ['GEORADIUS_RO', 'g', '15', '37', '200', 'km', 'STORE', 'dst'], ['GEORADIUSBYMEMBER', 'g', 'nope', '10', 'km'], ['GEORADIUSBYMEMBER', 'nokey', 'nope', '10', 'km', 'STORE', 'dst'],
    ['EXISTS', 'dst'], ['GEOSEARCH', 'g', 'FROMMEMBER', 'Palermo', 'BYBOX', '400', '400', 'km', 'ASC', 'WITHDIST'], ['GEOSEARCH', 'g', 'BYRADIUS', '10', 'km'],
    ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37'], ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', '10', 'km', 'BYBOX', '1', '1', 'km'],
    ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYBOX', '-1', '1', 'km'], ['GEOSEARCHSTORE', 'dst', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'WITHDIST'],
    ['GEOSEARCHSTORE', 'dst', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'STOREDIST', 'COUNT', '1'], ['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'], ['MEMORY', 'USAGE', 'dst'],
    ['GEOSEARCH', 'nokey', 'FROMMEMBER', 'x', 'BYRADIUS', '1', 'm'], ['SET', 's', 'v'], ['GEOSEARCH', 's', 'FROMMEMBER', 'x', 'BYRADIUS', '1', 'm'],
  ],
  generic: [
    ['SET', 'k', 'v'], ['EXPIRE', 'k', '-9223372036854776'], ['EXPIRE', 'k', '9223372036854776'], ['PEXPIRE', 'k', '9223372036854775807'], ['EXISTS', 'k'],
    ['EXPIRE', 'k', '-9223372036854775'], ['EXISTS', 'k'], ['PING', 'a', 'b'], ['PING', 'a'], ['SCAN', '18446744073709551615'], ['SCAN', '18446744073709551616'],
    ['SCAN', '-1'], ['SCAN', ' 1'], ['SCAN', '1x'], ['SCAN', ''], ['SET', 'k', 'v'], ['TOUCH', 'k', 'nokey', 'k'],
    ['RPUSH', 'l', '3', '1', '2'], ['SORT', 'l'], ['SORT', 'l', 'DESC', 'LIMIT', '0', '2'], ['SORT', 'l', 'STORE', 'd'], ['LRANGE', 'd', '0', '-1'], ['SORT_RO', 'l', 'STORE', 'd'],
    ['SORT', 'k'], ['SORT', 'l', 'LIMIT', 'x', '1'], ['SORT', 'nokey', 'STORE', 'd'], ['EXISTS', 'd'], ['RPUSH', 'w', 'a', 'b'], ['SORT', 'w'], ['SORT', 'w', 'ALPHA'],
    ['DUMP', 'nokey'], ['RESTORE', 'k', '0', 'x'], ['RESTORE', 'new', '0', 'x'], ['RESTORE', 'new', '-1', 'x'], ['RESTORE', 'new', '0', 'x', 'FREQ', '256'],
    ['COMMAND', 'GETKEYS', 'sort', 'abc', 'store', 'def'], ['COMMAND', 'GETKEYS', 'sort_ro', 'abc'], ['COMMAND', 'GETKEYS', 'sort', 'abc', 'store', 'x', 'limit', '0', '1', 'store', 'def'],
    ['COMMAND', 'GETKEYS', 'sort', 'abc', 'get', 'store', 'by', 'x'], ['COMMAND', 'GETKEYS', 'georadius', 'g', '1', '2', '3', 'km', 'STORE', 'd'], ['COMMAND', 'GETKEYS', 'mset', 'a', '1', 'b', '2'],
    ['COMMAND', 'GETKEYS', 'zunionstore', 'd', '2', 'a', 'b', 'WEIGHTS', '1', '2'], ['COMMAND', 'GETKEYS', 'zunionstore', 'd', '3', 'a', 'b'], ['COMMAND', 'GETKEYS', 'eval', 's', '0'],
    ['COMMAND', 'GETKEYS', 'eval', 's', '1', 'k', 'a'], ['COMMAND', 'GETKEYS', 'ping'], ['COMMAND', 'GETKEYS', 'nosuch', 'a'], ['COMMAND', 'GETKEYS', 'get'], ['COMMAND', 'GETKEYS', 'xread', 'COUNT', '1', 'STREAMS', 'a', 'b', '0', '0'],
    ['COMMAND', 'GETKEYS', 'object', 'encoding', 'k'], ['COMMAND', 'GETKEYS', 'del', 'a', 'b', 'c'], ['COMMAND', 'GETKEYS', 'lmpop', '2', 'a', 'b', 'LEFT'], ['COMMAND', 'GETKEYS', 'sintercard', 'x', 'a'],
    ['RESTORE', 'new', '0', 'x', 'IDLETIME', '-1'], ['RESTORE', 'new', '0', 'x', 'IDLETIME', '1', 'FREQ', '1'], ['RESTORE', 'new', '0', 'x', 'BOGUS'],
  ],
};

for (const [family, cmds] of Object.entries(FAMILIES)) {
  test(`data edges (${family}): ${cmds.length} commands answer as redis-server 7.0.15`, { timeout: 60_000 }, async () => {
    const redis = await startRedis();
    const ours = await serve([], { target: 'redis-7.0' });
    try {
      const failures: string[] = [];
      for (const cmd of cmds) {
        const [a, b] = await Promise.all([redis.command(...cmd), ours.command(...cmd)]);
        let [x, y] = [show(a), show(b)];
        // random picks: the count and the members' validity are what can be compared
        if ((cmd[0] === 'SRANDMEMBER' || cmd[0] === 'HRANDFIELD') && Array.isArray(x) && Array.isArray(y)) [x, y] = [x.length, y.length];
        if ((cmd[0] === 'SUNION' || cmd[0] === 'SINTER' || cmd[0] === 'SDIFF') && Array.isArray(x) && Array.isArray(y)) [x, y] = [[...x].sort(), [...y].sort()];
        if (JSON.stringify(x) !== JSON.stringify(y)) failures.push(`${cmd.join(' ').slice(0, 100)}: redis ${JSON.stringify(x)} ours ${JSON.stringify(y)}`);
      }
      // a payload of each value type from redis-server restores here with the same content and memory
      if (family === 'generic') {
        for (const setup of [['HSET', 'ph', 'a', '1'], ['SADD', 'ps', '1', '200000'], ['ZADD', 'pz', '1.5', 'a'], ['SET', 'pstr', 'x'.repeat(100)], ['XADD', 'px', '1-1', 'f', 'v']]) {
          await Promise.all([redis.command(...setup), ours.command(...setup)]);
          const payload = (await redis.command('DUMP', setup[1]!)) as Buffer;
          const ourPayload = (await ours.command('DUMP', setup[1]!)) as Buffer;
          if (!payload.equals(ourPayload)) failures.push(`DUMP ${setup[1]} differs`);
          for (const c of [['RESTORE', setup[1]!, '0', payload], ['RESTORE', setup[1]!, '0', payload, 'REPLACE'], ['RESTORE', 'rt', '100000', payload, 'REPLACE'], ['PTTL', 'rt'], ['MEMORY', 'USAGE', 'rt'], ['RESTORE', 'rt', '1', payload, 'REPLACE', 'ABSTTL'], ['EXISTS', 'rt']] as (string | Buffer)[][]) {
            const [a, b] = await Promise.all([redis.command(...c), ours.command(...c)]);
            let [x, y] = [show(a), show(b)];
            if (c[0] === 'PTTL' && typeof x === 'number' && typeof y === 'number') [x, y] = [Math.round(x / 1000), Math.round(y / 1000)];
            if (JSON.stringify(x) !== JSON.stringify(y)) failures.push(`${String(c[0])} ${String(c[1])} (${setup[0]}): redis ${JSON.stringify(x)} ours ${JSON.stringify(y)}`);
          }
        }
      }
      assert.deepEqual(failures, []);
    } finally {
      await ours.stop();
      await redis.stop();
    }
  });
}
