/**
 * The request decoder: every case run whole, byte by byte, and split at every offset (as
 * node-redis's decoder.spec.ts does), plus Redis's protocol errors and limits.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RequestDecoder, splitArgs, parseLongLong, PROTO_INLINE_MAX_SIZE, QueryBufferLimitError } from '../../src/protocol/decoder.js';
import { RespProtocolError } from '../../src/protocol/errors.js';

function decodeChunks(chunks: Buffer[], authRequired = false, limits?: ConstructorParameters<typeof RequestDecoder>[0]): string[][] {
  const d = new RequestDecoder(limits);
  d.authRequired = authRequired;
  const out: string[][] = [];
  for (const c of chunks) {
    d.push(c);
    for (let argv = d.next(); argv !== null; argv = d.next()) out.push(argv.map((a) => a.toString('latin1')));
  }
  return out;
}

function runAllSplits(input: string, expected: string[][]): void {
  const buf = Buffer.from(input, 'latin1');
  assert.deepEqual(decodeChunks([buf]), expected, 'whole');
  assert.deepEqual(
    decodeChunks([...buf].map((b) => Buffer.from([b]))),
    expected,
    'byte by byte',
  );
  for (let i = 1; i < buf.length; i++) {
    assert.deepEqual(decodeChunks([buf.subarray(0, i), buf.subarray(i)]), expected, `split at ${i}`);
  }
}

const CASES: [string, string, string[][]][] = [
  ['one multibulk', '*2\r\n$3\r\nGET\r\n$1\r\nk\r\n', [['GET', 'k']]],
  ['pipelined', '*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$0\r\n\r\n', [['PING'], ['ECHO', '']]],
  ['binary bulk with CRLF inside', '*2\r\n$3\r\nSET\r\n$4\r\na\r\nb\r\n', [['SET', 'a\r\nb']]],
  ['inline', 'SET k "a b" \'c d\'\r\nPING\n', [['SET', 'k', 'a b', 'c d'], ['PING']]],
  ['inline escapes', 'ECHO "\\x41\\n\\t"\r\n', [['ECHO', 'A\n\t']]],
  ['empty and null multibulk', '*0\r\n*-1\r\n*1\r\n$4\r\nPING\r\n', [[], [], ['PING']]],
  ['blank lines', '\r\n\r\nPING\r\n', [[], [], ['PING']]],
  ['bulk CRLF not checked (as Redis)', '*1\r\n$4\r\nPINGxx', [['PING']]],
  ['big bulk', `*2\r\n$4\r\nECHO\r\n$70000\r\n${'x'.repeat(70000)}\r\n`, [['ECHO', 'x'.repeat(70000)]]],
];

for (const [name, input, expected] of CASES) {
  test(`decoder: ${name}`, () => {
    if (input.length > 1000) {
      // whole and a few splits (every offset of 70 KB is slow)
      const buf = Buffer.from(input, 'latin1');
      assert.deepEqual(decodeChunks([buf]), expected);
      for (const i of [1, 5, 13, 100, 65536, buf.length - 1]) assert.deepEqual(decodeChunks([buf.subarray(0, i), buf.subarray(i)]), expected);
      return;
    }
    runAllSplits(input, expected);
  });
}

function protocolError(input: string, authRequired = false): string {
  try {
    decodeChunks([Buffer.from(input, 'latin1')], authRequired);
  } catch (e) {
    if (e instanceof RespProtocolError) return e.message;
    throw e;
  }
  return 'no error';
}

test('decoder: protocol errors word it as Redis does', () => {
  assert.equal(protocolError('*abc\r\n'), 'Protocol error: invalid multibulk length');
  assert.equal(protocolError(`*${1024 * 1024 + 1}\r\n`), 'Protocol error: invalid multibulk length');
  assert.equal(protocolError('*1\r\n$-1\r\n'), 'Protocol error: invalid bulk length');
  assert.equal(protocolError('*1\r\n$600000000\r\n'), 'Protocol error: invalid bulk length');
  assert.equal(protocolError('*1\r\n+OK\r\n'), "Protocol error: expected '$', got '+'");
  assert.equal(protocolError('PING "a\r\n'), 'Protocol error: unbalanced quotes in request');
  assert.equal(protocolError('*11\r\n', true), 'Protocol error: unauthenticated multibulk length');
  assert.equal(protocolError('*1\r\n$20000\r\n', true), 'Protocol error: unauthenticated bulk length');
  assert.equal(protocolError('x'.repeat(PROTO_INLINE_MAX_SIZE + 1)), 'Protocol error: too big inline request');
  assert.equal(protocolError('*' + '1'.repeat(PROTO_INLINE_MAX_SIZE + 1)), 'Protocol error: too big mbulk count string');
  assert.equal(protocolError('*1\r\n$' + '1'.repeat(PROTO_INLINE_MAX_SIZE + 1)), 'Protocol error: too big bulk count string');
});

test('decoder: the query buffer limit', () => {
  const d = new RequestDecoder({ maxBulkLen: 1 << 20, maxMultibulkLen: 100, queryBufferLimit: 1000 });
  d.push(Buffer.from('*2\r\n$4\r\nECHO\r\n$900\r\n'));
  assert.equal(d.next(), null);
  assert.throws(() => d.push(Buffer.alloc(2000, 0x61)), QueryBufferLimitError);
});

test('decoder: arguments stay valid while a command is split across chunks', () => {
  const d = new RequestDecoder();
  d.push(Buffer.from('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhe'));
  assert.equal(d.next(), null);
  d.push(Buffer.from('llo\r\n'));
  assert.deepEqual(d.next()!.map(String), ['SET', 'k', 'hello']);
});

test('splitArgs and parseLongLong mirror sdssplitargs and string2ll', () => {
  const s = (t: string) => splitArgs(Buffer.from(t), 0, t.length)?.map(String) ?? null;
  assert.deepEqual(s('  a  b '), ['a', 'b']);
  assert.deepEqual(s('"a"b'), null);
  assert.deepEqual(s("'it\\'s'"), ["it's"]);
  assert.deepEqual(s('""'), ['']);
  const n = (t: string) => parseLongLong(Buffer.from(t), 0, t.length);
  assert.equal(n('123'), 123);
  assert.equal(n('-5'), -5);
  assert.equal(n('0'), 0);
  assert.equal(n('01'), null);
  assert.equal(n('+1'), null);
  assert.equal(n(' 1'), null);
  assert.equal(n('-0'), null);
});
