/**
 * Source URLs and DUMP payload checks, without a server: parsing, redaction, parameters, the
 * payload footer (RDB version, CRC-64) as verifyDumpPayload checks it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc64 } from '../../src/rdb/crc64.js';
import { LiveSourceError } from '../../src/source/errors.js';
import { checkPayload, keyspaceDbs, parseInfo } from '../../src/source/live.js';
import { isLiveUrl, parseLiveUrl, redactUrl, urlForNode, withParams } from '../../src/source/url.js';
import { ProgressBar } from '../../cli/progress.js';

test('redis:// and rediss:// URLs: user, password, host, port, db, parameters', () => {
  const t = parseLiveUrl('rediss://app%40x:p%3Ass@cache.example.com:6380/3?tls-ca=/etc/ca.pem&batch=50&rate=1000&verify=20&tls-insecure=1');
  assert.deepEqual(
    { tls: t.tls, host: t.host, port: t.port, user: t.username, pw: t.password, db: t.db, ca: t.tlsCa, batch: t.batch, rate: t.rate, verify: t.verify, insecure: t.tlsInsecure },
    { tls: true, host: 'cache.example.com', port: 6380, user: 'app@x', pw: 'p:ss', db: 3, ca: '/etc/ca.pem', batch: 50, rate: 1000, verify: 20, insecure: true },
  );
  const d = parseLiveUrl('redis://[::1]');
  assert.deepEqual([d.tls, d.host, d.port, d.db, d.batch, d.rate, d.username, d.password], [false, '::1', 6379, undefined, 100, 0, undefined, undefined]);
  assert.equal(parseLiveUrl('redis://:secret@h').password, 'secret');
  assert.ok(isLiveUrl('REDIS://h') && isLiveUrl('rediss://h') && !isLiveUrl('dump.rdb') && !isLiveUrl('./redis://x'));
  for (const [bad, why] of [
    ['redis://h/x', /database number/],
    ['redis://h?bogus=1', /unknown parameter "bogus"/],
    ['redis://h?batch=0', /at least 1/],
    ['redis://h?batch=20000', /batch must be a whole number from 0 to 10000/],
    ['redis://h?rate=-1', /rate must be/],
    ['redis://', /not a valid|no host/],
  ] as const) {
    assert.throws(() => parseLiveUrl(bad), (e: unknown) => e instanceof LiveSourceError && e.code === 'bad_url' && why.test(e.message), bad);
  }
});

test("passwords never appear in the name; flags become parameters, the URL's own win", () => {
  assert.equal(redactUrl('redis://u:secret@h:1/2?tls-ca=x'), 'redis://u@h:1/2');
  assert.equal(redactUrl('rediss://:secret@h:1'), 'rediss://h:1');
  assert.equal(redactUrl('redis://h'), 'redis://h');
  assert.throws(() => parseLiveUrl('redis://u:secret@h/x'), (e: Error) => !e.message.includes('secret'));
  const u = withParams('redis://h:1?batch=5', { batch: 50, rate: 10, 'tls-insecure': false, verify: undefined });
  assert.equal(parseLiveUrl(u).batch, 5);
  assert.equal(parseLiveUrl(u).rate, 10);
  assert.equal(new URL(u).searchParams.has('tls-insecure'), false);
  const n = parseLiveUrl(urlForNode('rediss://u:pw@a:1/0?tls-ca=/c', '10.0.0.2', 7001));
  assert.deepEqual([n.host, n.port, n.username, n.password, n.tlsCa, n.db, n.tls], ['10.0.0.2', 7001, 'u', 'pw', '/c', undefined, true]);
});

function payload(body: Buffer, version: number, crc?: bigint): Buffer {
  const head = Buffer.concat([body, Buffer.from([version & 0xff, version >> 8])]);
  const c = Buffer.alloc(8);
  c.writeBigUInt64LE(crc ?? crc64(head));
  return Buffer.concat([head, c]);
}

test('DUMP payloads: the footer is checked, versions the parser cannot read are refused', () => {
  const body = Buffer.from([0, 3, 0x61, 0x62, 0x63]); // RDB_TYPE_STRING "abc"
  const key = Buffer.from('k');
  assert.equal(checkPayload('redis://h', key, payload(body, 10)), 10);
  assert.equal(checkPayload('redis://h', key, payload(body, 12)), 12);
  assert.equal(checkPayload('redis://h', key, payload(body, 80)), 80);
  // CRC 0: written by a server without checksums, not checked
  assert.equal(checkPayload('redis://h', key, payload(body, 9, 0n)), 9);
  const refuse = (p: Buffer, re: RegExp) => assert.throws(() => checkPayload('redis://h', key, p), (e: unknown) => e instanceof LiveSourceError && e.code === 'payload' && re.test(e.message));
  refuse(payload(body, 13), /RDB version 13 \(key "k"\): this parser reads RDB versions up to 12/);
  refuse(payload(body, 10, 12345n), /CRC-64 mismatch/);
  refuse(Buffer.alloc(5), /too short/);
});

test('INFO: every field, and the keyspace section per database', () => {
  const info = parseInfo('# Server\r\nredis_version:7.0.15\r\n\r\n# Keyspace\r\ndb0:keys=10,expires=2,avg_ttl=5\r\ndb12:keys=1,expires=0,avg_ttl=0\r\n');
  assert.equal(info.get('redis_version'), '7.0.15');
  assert.deepEqual(keyspaceDbs(info), [
    { db: 0, keys: 10, expires: 2 },
    { db: 12, keys: 1, expires: 0 },
  ]);
});

test('the progress bar of a live source counts keys scanned of DBSIZE, with the time left', () => {
  let now = 1000;
  const bar = new ProgressBar({ write: () => true }, [200_000], () => now, 'keys');
  bar.update(0, 0, 0);
  now += 10_000;
  bar.update(0, 50_000, 50_000);
  const line = bar.line(120);
  assert.match(line, / 25%  50,000\/200,000 keys scanned  5,000 keys\/s  ETA 30s$/);
});
