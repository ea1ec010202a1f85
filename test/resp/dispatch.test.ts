/**
 * The fast paths of the request path: command lookup on argv[0]'s bytes (any ASCII case, the
 * same spec as the map finds), interned command names, a decoder that stops borrowing a chunk
 * whose memory is about to be reused, replies written as views of the shared buffer, and many
 * clients interleaving partial frames through the one shared read buffer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { RequestDecoder } from '../../src/protocol/decoder.js';
import { ReplyWriter } from '../../src/protocol/encoder.js';
import { findCommand } from '../../src/commands/lookup.js';
import { COMMANDS } from '../../src/commands/index.js';
import type { CommandSpec } from '../../src/commands/spec.js';
import { serve } from './helpers.js';

test('command lookup on bytes: any ASCII case, unknown names fall through', () => {
  const map = new Map<string, CommandSpec>();
  for (const s of COMMANDS) {
    map.set(s.name, s);
    map.set(s.name.toUpperCase(), s);
  }
  for (const s of COMMANDS) {
    for (const form of [s.name, s.name.toUpperCase(), s.name.replace(/^./, (c) => c.toUpperCase())]) {
      assert.equal(findCommand(map, Buffer.from(form, 'latin1')), s, form);
    }
  }
  for (const bad of ['', 'gett', 'ge', 'g\u00e9t', 'GET ', 'x'.repeat(40), '\u00c9CHO']) {
    assert.equal(findCommand(map, Buffer.from(bad, 'latin1')), undefined, bad);
  }
  // a map that grows is seen
  const extra = { ...COMMANDS[0]!, name: 'zzznew' };
  map.set('zzznew', extra);
  assert.equal(findCommand(map, Buffer.from('ZZZNEW')), extra);
});

test('decoder: detach copies what is pending out of a chunk about to be reused', () => {
  const d = new RequestDecoder();
  const chunk = Buffer.from('*2\r\n$3\r\nGET\r\n$1\r\na\r\n*2\r\n$3\r\nGET\r\n$1\r\nb\r\n*3\r\n$3\r\nSET\r\n$1\r\nc\r\n$5\r\nhel');
  d.push(chunk);
  assert.deepEqual(d.next()!.map(String), ['GET', 'a']);
  d.detach();
  chunk.fill(0x78);
  assert.deepEqual(d.next()!.map(String), ['GET', 'b']);
  assert.equal(d.next(), null);
  // the request in progress kept its arguments across the reuse
  const rest = Buffer.from('lo\r\n');
  d.push(rest);
  rest.fill(0x79);
  assert.deepEqual(d.next()!.map(String), ['SET', 'c', 'hello']);
  // the same command name comes back as the same Buffer
  d.push(Buffer.from('*1\r\n$4\r\nPING\r\n*1\r\n$4\r\nPING\r\n'));
  const a = d.next()!;
  const b = d.next()!;
  assert.equal(a[0], b[0]);
  assert.equal(a.length, 1);
});

test('writer: a reply written whole reuses the buffer, a pending one keeps it', () => {
  const w = new ReplyWriter();
  const first = w.buf;
  const sent: Buffer[] = [];
  let queued = 0;
  const sock = {
    get writableLength() {
      return queued;
    },
    write(b: Uint8Array) {
      sent.push(Buffer.from(b));
      return true;
    },
  };
  w.simple('OK');
  assert.equal(w.writeTo(sock), 5);
  assert.equal(w.buf, first);
  assert.equal(sent[0]!.toString(), '+OK\r\n');
  // the socket keeps what it could not write: the writer moves to a new buffer
  const keep = { writableLength: 0, write: (b: Uint8Array) => ((keep.writableLength = b.length), true) };
  w.int(7);
  w.writeTo(keep);
  assert.notEqual(w.buf, first);
  assert.equal(first.subarray(0, 4).toString(), ':7\r\n');
  // behind queued output the bytes are a copy
  queued = 10;
  const before = w.buf;
  w.int(8);
  w.writeTo(sock);
  assert.equal(w.buf, before);
  assert.equal(sent[1]!.toString(), ':8\r\n');
  assert.equal(w.pos, 0);
});

test('many clients interleaving partial frames through the shared read buffer', { timeout: 30_000 }, async () => {
  const s = await serve();
  try {
    const N = 20;
    const socks = await Promise.all(
      Array.from({ length: N }, () => {
        const sock = net.createConnection({ port: s.port, host: '127.0.0.1' });
        return new Promise<net.Socket>((r) => sock.once('connect', () => r(sock)));
      }),
    );
    const got = socks.map(() => '');
    socks.forEach((sock, i) => sock.on('data', (d) => (got[i] += d.toString('latin1'))));
    const frames = socks.map((_, i) => Buffer.from(`*3\r\n$3\r\nSET\r\n$4\r\nk:${String(i).padStart(2, '0')}\r\n$8\r\nv-${String(i).padStart(6, '0')}\r\n*2\r\n$3\r\nGET\r\n$4\r\nk:${String(i).padStart(2, '0')}\r\n`));
    // every client sends its frames a few bytes at a time, all of them interleaved
    for (let off = 0; off < frames[0]!.length; off += 5) {
      socks.forEach((sock, i) => sock.write(frames[i]!.subarray(off, off + 5)));
      await new Promise((r) => setImmediate(r));
    }
    for (let t = 0; t < 100 && got.some((g) => !g.endsWith('\r\n\r\n') && g.split('\r\n').length < 4); t++) await new Promise((r) => setTimeout(r, 20));
    got.forEach((g, i) => assert.equal(g, `+OK\r\n$8\r\nv-${String(i).padStart(6, '0')}\r\n`));
    for (const sock of socks) sock.destroy();
  } finally {
    await s.stop();
  }
});
