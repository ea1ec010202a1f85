/**
 * The reply encoder: RESP2 and RESP3 shapes of every reply kind, doubles as %.17g (7.0) and
 * shortest (7.2+), error lines without CR/LF, and the batch buffer's hand-over.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReplyWriter, formatDouble, g17, setDoubleFormat } from '../../src/protocol/encoder.js';

function out(resp: number, f: (w: ReplyWriter) => void): string {
  const w = new ReplyWriter();
  w.resp = resp;
  f(w);
  return (w.take() ?? Buffer.alloc(0)).toString('latin1');
}

test('RESP2 and RESP3 shapes', () => {
  assert.equal(out(2, (w) => w.ok()), '+OK\r\n');
  assert.equal(out(2, (w) => w.int(-7)), ':-7\r\n');
  assert.equal(out(2, (w) => w.int(5)), ':5\r\n');
  assert.equal(out(2, (w) => w.bigint(9223372036854775807n)), ':9223372036854775807\r\n');
  assert.equal(out(2, (w) => w.bulk(Buffer.from('a\r\nb'))), '$4\r\na\r\nb\r\n');
  assert.equal(out(2, (w) => w.bulk(Buffer.alloc(2000, 0x61))), `$2000\r\n${'a'.repeat(2000)}\r\n`);
  assert.equal(out(2, (w) => w.nullBulk()), '$-1\r\n');
  assert.equal(out(3, (w) => w.nullBulk()), '_\r\n');
  assert.equal(out(2, (w) => w.nullArray()), '*-1\r\n');
  assert.equal(out(2, (w) => w.map(2)), '*4\r\n');
  assert.equal(out(3, (w) => w.map(2)), '%2\r\n');
  assert.equal(out(2, (w) => w.set(3)), '*3\r\n');
  assert.equal(out(3, (w) => w.set(3)), '~3\r\n');
  assert.equal(out(2, (w) => w.bool(true)), ':1\r\n');
  assert.equal(out(3, (w) => w.bool(false)), '#f\r\n');
  assert.equal(out(3, (w) => w.verbatim('x')), '=5\r\ntxt:x\r\n');
  assert.equal(out(2, (w) => w.verbatim('é')), '$2\r\né\r\n'.replace('é', Buffer.from('é').toString('latin1')));
  assert.equal(out(2, (w) => w.error('ERR a\r\nb')), '-ERR a  b\r\n');
});

test('doubles: %.17g up to 7.0, shortest from 7.2', () => {
  setDoubleFormat(700);
  assert.equal(formatDouble(1.1), '1.1000000000000001');
  assert.equal(formatDouble(3), '3');
  assert.equal(formatDouble(1e17), '1e+17');
  assert.equal(formatDouble(-Infinity), '-inf');
  assert.equal(g17(0.0001), '0.0001');
  assert.equal(g17(1e-5), '1.0000000000000001e-05');
  assert.equal(out(2, (w) => w.double(2.5)), '$3\r\n2.5\r\n');
  assert.equal(out(3, (w) => w.double(2.5)), ',2.5\r\n');
  setDoubleFormat(702);
  assert.equal(formatDouble(1.1), '1.1');
  setDoubleFormat(700);
});

test('a batch is copied out when small and handed over when large', () => {
  const w = new ReplyWriter();
  w.ok();
  const a = w.take()!;
  w.pong();
  assert.equal(a.toString(), '+OK\r\n');
  w.take();
  w.bulk(Buffer.alloc(300 * 1024, 0x62));
  const big = w.take()!;
  w.ok();
  assert.equal(big.length, 300 * 1024 + 11);
  assert.equal(big[big.length - 3], 0x62, 'the handed-over bytes are not overwritten');
  assert.equal(w.take()!.toString(), '+OK\r\n');
});
