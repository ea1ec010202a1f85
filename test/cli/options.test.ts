/**
 * Shared option parsers: --target versions, sizes in redis.conf units, db and type lists.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidArgumentError } from 'commander';
import { collectDbs, collectTypes, parseSize, parseTarget, parseTime, resolveTarget } from '../../cli/options.js';
import { rdblens } from './cli-helpers.js';

test('--target: profile ids, short versions, server version strings', () => {
  const cases: Array<[string, string]> = [
    ['5.0', 'redis-5.0'],
    ['6.2', 'redis-6.2'],
    ['6.0.16', 'redis-6.2'],
    ['7.0', 'redis-7.0'],
    ['7.2', 'redis-7.2'],
    ['7.2.4', 'redis-7.2'],
    ['7.4', 'redis-7.4'],
    ['7.4.1', 'redis-7.4'],
    ['8.0', 'redis-8.0'],
    ['redis-8.0', 'redis-8.0'],
    ['valkey-8.0', 'valkey-8.0'],
    ['valkey-8.0.1', 'valkey-8.0'],
    ['valkey-7.2', 'redis-7.2'],
    ['7.9.0', 'redis-8.0'],
    ['4.0.9', 'redis-5.0'],
  ];
  for (const [text, id] of cases) assert.equal(parseTarget(text), id, text);
  for (const bad of ['', 'latest', '99x', 'redis', 'valkey-x', '1.2']) assert.throws(() => parseTarget(bad), InvalidArgumentError, bad);
});

test('--target: a version beyond the newest profile is refused with the known ones; a version not a profile\'s own says which models it', () => {
  const known = '5.0, 6.2, 7.0, 7.2, 7.4, 8.0, valkey-8.0';
  for (const [bad, newest] of [['9.9', 'redis-8.0'], ['8.1', 'redis-8.0'], ['8.2.1', 'redis-8.0'], ['Valkey-8.1', 'valkey-8.0'], ['valkey-9.0', 'valkey-8.0']]) {
    assert.throws(() => parseTarget(bad!), (e: Error) => e instanceof InvalidArgumentError && e.message.includes(`the newest known is ${newest}; known: ${known}`), bad);
  }
  const notes: Array<[string, string | null]> = [
    ['7.2', null],
    ['redis-8.0', null],
    ['valkey-8.0', null],
    ['7.2.4', '--target 7.2.4: modelling redis-7.2 (the profile of every 7.2.x release)'],
    ['8.0.2', '--target 8.0.2: modelling redis-8.0 (the profile of every 8.0.x release)'],
    ['valkey-8.0.1', '--target valkey-8.0.1: modelling valkey-8.0 (the profile of every 8.0.x release)'],
    ['6.0.16', '--target 6.0.16: modelling redis-6.2 (the nearest profile; there is none for 6.0)'],
    ['7.1.2', '--target 7.1.2: modelling redis-7.2 (7.1.2 is a pre-release of 7.2)'],
    ['7.5', '--target 7.5: modelling redis-7.4 (the newest profile before 7.5; there is none for 7.5)'],
    ['4.0.9', '--target 4.0.9: modelling redis-5.0 (the oldest profile; 4.0.9 is older, its sizes may differ)'],
    ['valkey-7.2', "--target valkey-7.2: modelling redis-7.2 (Valkey 7.x is Redis 7.2.4's code base)"],
  ];
  for (const [text, note] of notes) assert.equal(resolveTarget(text).note, note, text);
});

test('rdblens report --target: 9.9 is a usage error naming the known profiles; 7.2.4 says on stderr which profile it models', async () => {
  const bad = await rdblens(['report', '--target', '9.9', 'samples/demo.rdb']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /no profile for Redis 9\.9: the newest known is redis-8\.0; known: 5\.0, 6\.2, 7\.0, 7\.2, 7\.4, 8\.0, valkey-8\.0/);
  assert.equal(bad.stdout, '');
  const ok = await rdblens(['report', '-q', '--now', '0', '--target', '7.2.4', 'samples/demo.rdb']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stderr, 'rdblens: --target 7.2.4: modelling redis-7.2 (the profile of every 7.2.x release)\n');
  const exact = await rdblens(['report', '-q', '--now', '0', '--target', '7.2', 'samples/demo.rdb']);
  assert.equal(exact.stderr, '');
  assert.equal(exact.stdout, ok.stdout);
});

test('sizes as redis.conf reads them: k=1000, kb=1024', () => {
  assert.equal(parseSize('100'), 100);
  assert.equal(parseSize('1k'), 1000);
  assert.equal(parseSize('1kb'), 1024);
  assert.equal(parseSize('2MB'), 2 * 1024 * 1024);
  assert.equal(parseSize('1.5gb'), 1.5 * 1024 ** 3);
  for (const bad of ['', '-1', '10q', 'kb', '1 2']) assert.throws(() => parseSize(bad), InvalidArgumentError, bad);
});

test('--db and --type: repeatable and comma lists', () => {
  assert.deepEqual(collectDbs('0,2', collectDbs('5')), [5, 0, 2]);
  assert.throws(() => collectDbs('x'), InvalidArgumentError);
  assert.deepEqual(collectTypes('hash,ZSET', ['list']), ['list', 'hash', 'zset']);
  assert.throws(() => collectTypes('tree'), InvalidArgumentError);
});

test('--now: ISO-8601 or ms', () => {
  assert.equal(parseTime('2030-01-01T00:00:00Z'), Date.UTC(2030, 0, 1));
  assert.equal(parseTime('1893456000000'), 1893456000000);
  assert.throws(() => parseTime('tomorrow'), InvalidArgumentError);
});
