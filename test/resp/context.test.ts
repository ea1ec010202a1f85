/**
 * The command layer without a socket: commands run against an Instance in a Context, replies
 * go to the sink the caller picks, and execute says ok or error. The shapes MULTI/EXEC and
 * scripts build on: a queue run into one array reply, a call whose reply is read back.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Instance } from '../../src/instance/instance.js';
import { Context } from '../../src/commands/context.js';
import { execute, executeInto } from '../../src/commands/dispatch.js';
import { ReplyWriter } from '../../src/protocol/encoder.js';
import { decodeAll } from '../helpers/resp.js';

const argv = (...a: string[]): Buffer[] => a.map((x) => Buffer.from(x));

function drain(w: ReplyWriter): unknown[] {
  const b = w.take();
  return b ? decodeAll(b) : [];
}

test('a command runs against an instance with no socket; execute says ok or error', () => {
  const inst = new Instance();
  const w = new ReplyWriter();
  const c = new Context(inst, 'client', w);
  assert.equal(execute(c, argv('SET', 'k', 'hello')), true);
  assert.equal(execute(c, argv('GET', 'k')), true);
  assert.equal(execute(c, argv('LPUSH', 'k', 'x')), false);
  assert.equal(execute(c, argv('NOSUCH', 'a')), false);
  assert.equal(execute(c, argv('GET')), false);
  const r = drain(w);
  assert.equal(String(r[0]), 'OK');
  assert.equal(String(r[1]), 'hello');
  assert.match((r[2] as Error).message, /^WRONGTYPE /);
  assert.match((r[3] as Error).message, /^ERR unknown command 'NOSUCH'/);
  assert.equal((r[4] as Error).message, "ERR wrong number of arguments for 'get' command");
  assert.equal(inst.stats.errorReplies, 3);
  assert.equal(inst.stats.commandsProcessed, 5);
  assert.equal(inst.dbs[0]!.size, 1);
});

test('SELECT changes the context; SWAPDB is seen by every context at once', () => {
  const inst = new Instance();
  const w = new ReplyWriter();
  const a = new Context(inst, 'client', w);
  const b = new Context(inst, 'client', w);
  execute(a, argv('SELECT', '1'));
  execute(a, argv('SET', 'in1', 'x'));
  assert.equal(a.dbIndex, 1);
  assert.equal(inst.dbs[1]!.size, 1);
  execute(b, argv('SWAPDB', '0', '1'));
  execute(b, argv('EXISTS', 'in1'));
  execute(a, argv('EXISTS', 'in1'));
  assert.deepEqual(drain(w).map(String), ['OK', 'OK', 'OK', '1', '0']);
});

test('a queue run into one array reply, as EXEC will: replies in order, errors in place', () => {
  const inst = new Instance();
  const w = new ReplyWriter();
  const c = new Context(inst, 'client', w);
  const queue = [argv('SET', 'n', '41'), argv('INCR', 'n'), argv('HSET', 'n', 'f', 'v'), argv('SELECT', '2'), argv('GET', 'n')];
  w.array(queue.length);
  const ok = queue.map((q) => executeInto(c, q, w, 'transaction'));
  assert.deepEqual(ok, [true, true, false, true, true]);
  assert.equal(c.caller, 'client');
  const [r] = drain(w) as [unknown[]];
  assert.equal(r.length, 5);
  assert.equal(String(r[0]), 'OK');
  assert.equal(r[1], 42);
  assert.match((r[2] as Error).message, /^WRONGTYPE /);
  assert.equal(r[4], null);
  // the SELECT inside stays selected
  assert.equal(c.dbIndex, 2);
});

test('a call whose reply is read back, as a script will; the caller\'s sink is untouched', () => {
  const inst = new Instance();
  const out = new ReplyWriter();
  const c = new Context(inst, 'client', out);
  execute(c, argv('RPUSH', 'l', 'a', 'b', 'c'));
  const before = out.pos;
  const mine = new ReplyWriter();
  assert.equal(executeInto(c, argv('LRANGE', 'l', '0', '-1'), mine, 'script'), true);
  assert.equal(out.pos, before);
  assert.deepEqual((decodeAll(mine.take()!)[0] as Buffer[]).map(String), ['a', 'b', 'c']);
  // RESP3 replies when the context speaks RESP3
  c.resp = 3;
  executeInto(c, argv('HSET', 'h', 'f', 'v'), mine, 'script');
  executeInto(c, argv('HGETALL', 'h'), mine, 'script');
  assert.equal(mine.take()!.toString('latin1'), ':1\r\n%1\r\n$1\r\nf\r\n$1\r\nv\r\n');
  assert.equal(out.resp, 2);
});

test('read-only: clients are refused writes, the primary link is obeyed; connection commands need a connection', () => {
  const inst = new Instance({ readOnly: true });
  const w = new ReplyWriter();
  const client = new Context(inst, 'client', w);
  const primary = new Context(inst, 'primary', w);
  assert.equal(execute(client, argv('SET', 'k', 'v')), false);
  assert.equal(execute(primary, argv('SET', 'k', 'v')), true);
  assert.equal(execute(primary, argv('CLIENT', 'SETNAME', 'x')), false);
  const r = drain(w);
  assert.match((r[0] as Error).message, /^READONLY /);
  assert.equal(String(r[1]), 'OK');
  assert.match((r[2] as Error).message, /not allowed without a client connection/);
  // the primary's errors are not the clients' error replies
  assert.equal(inst.stats.errorReplies, 1);
});
