/**
 * COMMAND GETKEYS, GETKEYSANDFLAGS, INFO, DOCS and LIST FILTERBY against a live redis-server
 * 7.0.15, compared as the bytes each server sends (RESP2 and RESP3): key extraction for every
 * command of 7.0.15's table with generated arguments and a hand list of option forms;
 * COMMAND INFO and DOCS of every served command; COMMAND LIST's filters (restricted to the
 * commands served here, since rdblens lists only those).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RedisHandle } from '../helpers/redis-server.js';
import { redisAndOurs, type Served } from './helpers.js';
import { Raw } from '../server/raw.js';
import { COMMAND_INFO } from '../../src/commands/command-info.js';
import { commandList } from '../../src/commands/registry.js';

let redis: RedisHandle;
let ours: Served;
redisAndOurs((r, o) => {
  redis = r;
  ours = o;
});

async function pair(): Promise<[Raw, Raw]> {
  return [await Raw.open(redis.port), await Raw.open(ours.port)];
}

/** argument lists for a command: numbers where a numkeys may sit, names elsewhere */
function generated(): string[][] {
  const out: string[][] = [];
  const add = (name: string, arity: number): void => {
    const n = Math.abs(arity) - 1;
    for (const len of arity > 0 ? [n] : [n, n + 1, n + 3]) {
      out.push([name, ...Array.from({ length: len }, (_, i) => `k${i}`)]);
      out.push([name, ...Array.from({ length: len }, (_, i) => (i === 0 || i === 1 ? '2' : `k${i}`))]);
    }
  };
  for (const c of COMMAND_INFO) {
    if (c.subcommands.length === 0) add(c.name, c.arity);
    for (const s of c.subcommands) add(s.name.replace('|', ' '), s.arity - 1);
  }
  return out.map((a) => a.flatMap((x) => x.split(' ')));
}

const HAND: string[][] = [
  ['set', 'k', 'v'], ['set', 'k', 'v', 'GET'], ['set', 'k', 'v', 'EX', '1', 'get'], ['bitfield', 'k', 'GET', 'u8', '0'], ['bitfield', 'k', 'SET', 'u8', '0', '1'],
  ['bitfield', 'k', 'OVERFLOW', 'SAT', 'GET', 'u8', '0'], ['bitfield', 'k', 'bad'], ['sort', 'k', 'STORE', 'd'], ['sort', 'k', 'BY', 'x', 'STORE', 'd', 'LIMIT', '0', '1'], ['sort_ro', 'k', 'BY', 'x'],
  ['migrate', 'h', '1', 'k', '0', '10'], ['migrate', 'h', '1', '', '0', '10', 'COPY', 'KEYS', 'a', 'b'], ['migrate', 'h', '1', '', '0', '10', 'AUTH', 'p', 'KEYS', 'a'], ['migrate', 'h', '1', 'k', '0', '10', 'KEYS', 'a'],
  ['georadius', 'g', '1', '2', '3', 'km', 'STORE', 'd'], ['georadius', 'g', '1', '2', '3', 'km', 'STOREDIST', 'd'], ['georadiusbymember', 'g', 'm', '3', 'km', 'STORE', 'd', 'STOREDIST', 'e'],
  ['xread', 'COUNT', '1', 'STREAMS', 'a', 'b', '0', '0'], ['xread', 'STREAMS', 'a'], ['xreadgroup', 'GROUP', 'g', 'c', 'STREAMS', 'a', '>'],
  ['zunionstore', 'd', '2', 'a', 'b', 'WEIGHTS', '1', '2'], ['zunionstore', 'd', 'x', 'a'], ['zunionstore', 'd', '5', 'a'], ['zinter', '2', 'a', 'b'], ['sintercard', '1', 'a', 'LIMIT', '1'],
  ['lmpop', '2', 'a', 'b', 'LEFT'], ['blmpop', '0', '2', 'a', 'b', 'LEFT'], ['zmpop', '1', 'a', 'MIN'], ['bzmpop', '0', '1', 'a', 'MIN'], ['eval', 's', '0'], ['eval', 's', '2', 'a', 'b', 'c'],
  ['fcall', 'f', '1', 'a'], ['fcall_ro', 'f', '0'], ['mset', 'a', '1', 'b', '2'], ['msetnx', 'a', '1', 'b'], ['del', 'a', 'b'], ['object', 'encoding', 'k'], ['memory', 'usage', 'k'],
  ['xinfo', 'stream', 'k'], ['xgroup', 'create', 'k', 'g', '$'], ['lmove', 'a', 'b', 'LEFT', 'RIGHT'], ['rename', 'a', 'b'], ['copy', 'a', 'b'], ['smove', 'a', 'b', 'm'],
  ['getex', 'k'], ['getdel', 'k'], ['lcs', 'a', 'b'], ['bitop', 'AND', 'd', 'a', 'b'], ['pfmerge', 'd', 'a'], ['pfcount', 'a', 'b'], ['spublish', 'ch', 'm'], ['ssubscribe', 'a'],
  ['ping'], ['nosuch', 'a'], ['get'], ['get', 'a', 'b'], ['restore', 'k', '0', 'x'], ['geosearchstore', 'd', 's', 'FROMMEMBER', 'm', 'BYRADIUS', '1', 'km'], ['zrangestore', 'd', 's', '0', '1'],
];

test('COMMAND GETKEYS and GETKEYSANDFLAGS: every 7.0.15 command, the bytes redis-server sends', async () => {
  const [r, o] = await pair();
  try {
    const mismatches: string[] = [];
    let withKeys = 0;
    for (const args of [...HAND, ...generated()]) {
      for (const sub of ['GETKEYS', 'GETKEYSANDFLAGS']) {
        const cmd = ['COMMAND', sub, ...args];
        const [a, b] = await Promise.all([r.cmd(...cmd), o.cmd(...cmd)]);
        if (a !== b) mismatches.push(`${cmd.join(' ')}: redis ${JSON.stringify(a)} ours ${JSON.stringify(b)}`);
        if (a.startsWith('*') && a !== '*0\r\n') withKeys++;
      }
      if (mismatches.length > 20) break;
    }
    assert.deepEqual(mismatches, []);
    assert.ok(withKeys > 400, `only ${withKeys} replies with keys`);
  } finally {
    r.close();
    o.close();
  }
});

test('COMMAND INFO and DOCS of every served command, RESP2 and RESP3', async () => {
  const [r, o] = await pair();
  try {
    const mismatches: string[] = [];
    const names: string[] = [];
    for (const s of commandList()) {
      const ref = COMMAND_INFO.find((i) => i.name === s.name)!;
      // a container lists its subcommands in the order of redis-server's dict (its hash seed is
      // random per process): containers are compared through each served subcommand
      if (!s.subcommands && ref.subcommands.length === 0) names.push(s.name);
      for (const sub of s.subcommands ?? []) names.push(sub.name);
    }
    for (const proto of ['2', '3']) {
      await Promise.all([r.cmd('HELLO', proto), o.cmd('HELLO', proto)]);
      for (const n of names) {
        for (const sub of ['INFO', 'DOCS']) {
          const [a, b] = await Promise.all([r.cmd('COMMAND', sub, n), o.cmd('COMMAND', sub, n)]);
          if (a !== b) mismatches.push(`RESP${proto} COMMAND ${sub} ${n}: redis ${JSON.stringify(a).slice(0, 400)} ours ${JSON.stringify(b).slice(0, 400)}`);
        }
      }
    }
    assert.deepEqual(mismatches.slice(0, 10), []);
    assert.ok(names.length > 200, `${names.length} commands`);
  } finally {
    r.close();
    o.close();
  }
});

test('COMMAND LIST [FILTERBY ...]: the served commands and subcommands redis-server lists; syntax errors', async () => {
  const [r, o] = await pair();
  try {
    const served = new Set<string>();
    for (const s of commandList()) {
      served.add(s.name);
      for (const sub of s.subcommands ?? []) served.add(sub.name);
    }
    const list = (reply: string): string[] => reply.split('\r\n').filter((l, i) => i > 0 && i % 2 === 0 && l !== '').sort();
    for (const filter of [[], ['FILTERBY', 'ACLCAT', 'scripting'], ['FILTERBY', 'aclcat', 'KEYSPACE'], ['FILTERBY', 'ACLCAT', 'nosuch'], ['FILTERBY', 'PATTERN', 'x*'], ['FILTERBY', 'PATTERN', 'CONFIG|*'], ['FILTERBY', 'MODULE', 'm']]) {
      const [a, b] = await Promise.all([r.cmd('COMMAND', 'LIST', ...filter), o.cmd('COMMAND', 'LIST', ...filter)]);
      const want = list(a).filter((n) => served.has(n));
      assert.deepEqual(list(b), want, filter.join(' '));
    }
    for (const bad of [['bad'], ['FILTERBY', 'ACLCAT'], ['FILTERBY', 'NOSUCH', 'x'], ['FILTERBY', 'PATTERN', 'a', 'b']]) {
      const [a, b] = await Promise.all([r.cmd('COMMAND', 'LIST', ...bad), o.cmd('COMMAND', 'LIST', ...bad)]);
      assert.equal(b, a, bad.join(' '));
    }
  } finally {
    r.close();
    o.close();
  }
});
