/**
 * Test data for the live-source tests: every type in each of its encodings, binary key names,
 * exact expiry times (PEXPIREAT: a dump and a live read must agree to the millisecond), in
 * databases 0 and (optionally) 2. Written as RESP commands, sent however the test likes
 * (redis-cli --pipe, a cluster client).
 */
import { encodeCommand } from '../helpers/redis-server.js';

/** Far enough ahead that no key crosses a TTL bucket bound while a test runs. */
const BASE = Date.now() + 3 * 3_600_000;

export function dataCommands(opts: { otherDb?: boolean; prefix?: string } = {}): Array<Array<string | Buffer>> {
  const p = opts.prefix ?? '';
  const c: Array<Array<string | Buffer>> = [];
  for (let i = 0; i < 120; i++) c.push(['SET', `${p}str:int:${i}`, String(i * 7919)]);
  for (let i = 0; i < 40; i++) c.push(['SET', `${p}str:emb:${i}`, `value-${i}`]);
  for (let i = 0; i < 10; i++) c.push(['SET', `${p}str:raw:${i}`, 'r'.repeat(60 + i * 37)]);
  c.push(['SET', `${p}str:big`, 'b'.repeat(200_000)]);
  c.push(['SET', Buffer.concat([Buffer.from(`${p}bin:`), Buffer.from([0, 0xff, 0x0d, 0x0a, 0x2c, 0x22])]), Buffer.from([1, 2, 3])]);
  for (let i = 0; i < 20; i++) c.push(['HSET', `${p}hash:small:${i}`, 'name', `n${i}`, 'age', String(i), 'city', 'c'.repeat(i)]);
  const bigHash: string[] = [];
  for (let j = 0; j < 700; j++) bigHash.push(`f${j}`, `v${j * 3}`);
  c.push(['HSET', `${p}hash:big`, ...bigHash]);
  c.push(['HSET', `${p}hash:longval`, 'f', 'x'.repeat(100)]);
  c.push(['SADD', `${p}set:int`, ...Array.from({ length: 50 }, (_, j) => String(j * 3))]);
  c.push(['SADD', `${p}set:small`, 'a', 'b', 'c', 'dd']);
  c.push(['SADD', `${p}set:big`, ...Array.from({ length: 600 }, (_, j) => `m${j}`)]);
  c.push(['ZADD', `${p}zset:small`, '1', 'a', '2.5', 'b', '-3', 'c']);
  const bigZ: string[] = [];
  for (let j = 0; j < 300; j++) bigZ.push(String(j / 7), `member:${j}`);
  c.push(['ZADD', `${p}zset:big`, ...bigZ]);
  c.push(['RPUSH', `${p}list:small`, 'a', 'b', '3', 'dddd']);
  c.push(['RPUSH', `${p}list:big`, ...Array.from({ length: 3000 }, (_, j) => `item-${j}`)]);
  for (let j = 0; j < 30; j++) c.push(['XADD', `${p}stream`, `${1000 + j}-0`, 'f', `v${j}`, 'g', String(j)]);
  c.push(['XGROUP', 'CREATE', `${p}stream`, 'grp', '0']);
  c.push(['XREADGROUP', 'GROUP', 'grp', 'alice', 'COUNT', '5', 'STREAMS', `${p}stream`, '>']);
  // exact expiry times, in several TTL buckets
  for (let i = 0; i < 25; i++) c.push(['SET', `${p}ttl:${i}`, `t${i}`, 'PXAT', String(BASE + i * 86_400_000 + i)]);
  c.push(['HSET', `${p}ttl:hash`, 'a', '1']);
  c.push(['PEXPIREAT', `${p}ttl:hash`, String(BASE + 12345)]);
  if (opts.otherDb) {
    c.push(['SELECT', '2']);
    for (let i = 0; i < 15; i++) c.push(['SET', `${p}db2:${i}`, String(i)]);
    c.push(['HSET', `${p}db2:hash`, 'a', '1', 'b', '2']);
    c.push(['SELECT', '0']);
  }
  return c;
}

/** The commands as one RESP buffer (redis-cli --pipe). */
export function dataPipe(opts: { otherDb?: boolean; prefix?: string } = {}): Buffer {
  return Buffer.concat(dataCommands(opts).map((a) => encodeCommand(a)));
}
