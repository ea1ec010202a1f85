/**
 * The DUMP connection (src/source/dump-conn.ts) against replies it must refuse: a real DUMP
 * payload (a 2 MiB value of redis-server 7.0.15, over STREAM_MIN, so it streams) served by a
 * stand-in server intact, with one byte flipped, cut short by a closed connection, and an
 * error reply. Each ends in a typed LiveSourceError, never a hang or a silent success.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startRedis } from '../helpers/redis-server.js';
import { rng } from '../helpers/rng.js';
import { DumpConnection, STREAM_MIN } from '../../src/source/dump-conn.js';
import { LiveSourceError } from '../../src/source/errors.js';
import { checkFooter } from '../../src/source/live.js';
import { parseLiveUrl } from '../../src/source/url.js';

/** A server that answers the first command it reads with `reply` (then closes when `close`). */
async function standIn(reply: Buffer, close: boolean): Promise<{ port: number; stop: () => Promise<void> }> {
  const server = net.createServer((sock) => {
    sock.once('data', () => {
      if (close) sock.end(reply);
      else sock.write(reply);
    });
    sock.on('error', () => sock.destroy());
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const port = (server.address() as net.AddressInfo).port;
  return { port, stop: () => new Promise<void>((res) => server.close(() => res())) };
}

/** DUMP `key` on the stand-in; the value part streamed, the footer checked. */
async function dumpVia(port: number, key: Buffer): Promise<{ body: Buffer; version: number }> {
  const t = parseLiveUrl(`redis://127.0.0.1:${port}`);
  const c = await DumpConnection.open(t, 0);
  try {
    c.dump([key]);
    const len = await c.next(key);
    const parts: Buffer[] = [];
    let version = -1;
    for await (const p of c.stream(len, (footer, crc) => (version = checkFooter('stand-in', key, footer, crc)))) parts.push(Buffer.from(p));
    return { body: Buffer.concat(parts), version };
  } finally {
    c.close();
  }
}

test('a streamed DUMP payload: intact, damaged, cut short, refused', { timeout: 60_000 }, async () => {
  const r = await startRedis();
  let payload: Buffer;
  try {
    const next = rng(3);
    const v = Buffer.allocUnsafe(2 * STREAM_MIN);
    for (let i = 0; i < v.length; i++) v[i] = Math.floor(next() * 256);
    assert.equal(await r.command('SET', 'k', v), 'OK');
    payload = (await r.command('DUMP', 'k')) as Buffer;
    assert.ok(Buffer.isBuffer(payload) && payload.length > STREAM_MIN);
  } finally {
    await r.stop();
  }
  const key = Buffer.from('k');
  const bulk = (p: Buffer) => Buffer.concat([Buffer.from(`$${p.length}\r\n`), p, Buffer.from('\r\n')]);

  const ok = await standIn(bulk(payload), false);
  try {
    const got = await dumpVia(ok.port, key);
    assert.equal(got.version, 10);
    assert.ok(got.body.equals(payload.subarray(0, payload.length - 10)));
  } finally {
    await ok.stop();
  }

  const damaged = Buffer.from(payload);
  damaged[damaged.length >> 1] ^= 0x01;
  const bad = await standIn(bulk(damaged), false);
  try {
    await assert.rejects(dumpVia(bad.port, key), (e: unknown) => e instanceof LiveSourceError && e.code === 'payload' && /CRC-64 mismatch/.test(e.message));
  } finally {
    await bad.stop();
  }

  const cut = await standIn(bulk(payload).subarray(0, payload.length >> 1), true);
  try {
    await assert.rejects(dumpVia(cut.port, key), (e: unknown) => e instanceof LiveSourceError && e.code === 'connect' && /closed the connection/.test(e.message));
  } finally {
    await cut.stop();
  }

  const refused = await standIn(Buffer.from("-NOPERM this user has no permissions to run the 'dump' command\r\n"), false);
  try {
    await assert.rejects(dumpVia(refused.port, key), (e: unknown) => e instanceof LiveSourceError && e.code === 'noperm' && /DUMP/.test(e.message));
  } finally {
    await refused.stop();
  }
});
