/**
 * Shared option parsers: --target versions, sizes in redis.conf units, db and type lists.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidArgumentError } from 'commander';
import { collectDbs, collectTypes, parseSize, parseTarget, parseTime } from '../../cli/options.js';

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
    ['Valkey-8.1', 'valkey-8.0'],
    ['valkey-7.2', 'redis-7.2'],
  ];
  for (const [text, id] of cases) assert.equal(parseTarget(text), id, text);
  for (const bad of ['', 'latest', '99x', 'redis', 'valkey-x']) assert.throws(() => parseTarget(bad), InvalidArgumentError, bad);
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
