import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { RespDecoder, decodeAll, encodeCommand, startRedis, type RespReply } from './redis-server.js';

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

test('encodeCommand produces RESP2 arrays of bulk strings', () => {
  assert.equal(
    encodeCommand(['SET', 'k', Buffer.from([0, 0xff])]).toString('latin1'),
    '*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\n\x00\xff\r\n',
  );
  assert.equal(encodeCommand(['é']).toString('latin1'), '*1\r\n$2\r\n\xc3\xa9\r\n');
});

test('RespDecoder handles every reply type, split at every byte boundary', () => {
  const wire = Buffer.concat([
    Buffer.from('+OK\r\n-ERR boom\r\n:42\r\n:-7\r\n$-1\r\n*-1\r\n*0\r\n$0\r\n\r\n'),
    Buffer.from('$4\r\na\r\nb\r\n'),
    Buffer.from('*3\r\n:1\r\n*2\r\n$1\r\nx\r\n$-1\r\n+nested\r\n'),
  ]);
  const expected: RespReply[] = [
    'OK', new Error('ERR boom'), 42, -7, null, null, [], Buffer.alloc(0),
    Buffer.from('a\r\nb'),
    [1, [Buffer.from('x'), null], 'nested'],
  ];
  assert.deepEqual(decodeAll(wire), expected);

  for (let split = 1; split < wire.length; split++) {
    const d = new RespDecoder();
    const got = [...d.push(wire.subarray(0, split)), ...d.push(wire.subarray(split))];
    assert.deepEqual(got, expected, `split at ${split}`);
    assert.equal(d.pending, 0);
  }
  const d = new RespDecoder();
  const got: RespReply[] = [];
  for (const byte of wire) got.push(...d.push(Buffer.from([byte])));
  assert.deepEqual(got, expected);
});

test('startRedis: command/cli/save/stop against a private redis-server', async () => {
  const redis = await startRedis({ args: ['--dbfilename', 'helper-test.rdb'] });
  const { pid, dir } = redis;
  try {
    assert.ok(redis.port > 0);
    assert.ok(pidAlive(pid));

    const binKey = Buffer.from([0x6b, 0x00, 0xff, 0xfe, 0x80]);
    const binVal = Buffer.alloc(100_000);
    for (let i = 0; i < binVal.length; i++) binVal[i] = (i * 131 + 7) & 0xff;
    assert.equal(await redis.command('SET', binKey, binVal), 'OK');
    assert.deepEqual(await redis.command('GET', binKey), binVal);

    assert.equal(await redis.command('INCR', 'counter'), 1);
    assert.equal(await redis.command('INCRBY', 'counter', '41'), 42);
    const err = await redis.command('INCR', binKey);
    assert.ok(err instanceof Error);
    assert.match(err.message, /not an integer/);

    // pipelined requests come back in order
    const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => redis.command('ECHO', `m${i}`)));
    assert.deepEqual(replies, Array.from({ length: 50 }, (_, i) => Buffer.from(`m${i}`)));

    assert.equal((await redis.cli('DBSIZE')).trim(), '2');
    await assert.rejects(redis.cli('-p', '1', 'PING')); // later -p wins -> unreachable -> non-zero exit

    await redis.pipe(Buffer.concat([encodeCommand(['SET', 'p1', 'x']), encodeCommand(['RPUSH', 'p2', 'a', 'b'])]));
    assert.equal((await redis.cli('DBSIZE')).trim(), '4');
    await assert.rejects(redis.pipe(encodeCommand(['NOSUCHCOMMAND'])), /errors/);

    const dump = await redis.save();
    assert.ok(dump.endsWith('helper-test.rdb'));
    assert.ok(existsSync(dump));
  } finally {
    await redis.stop();
  }
  assert.equal(pidAlive(pid), false);
  assert.equal(existsSync(dir), false, 'auto-created dir is removed');
  await redis.stop(); // idempotent
});
