/**
 * `rdblens tui` and the bare `rdblens <dump>` off a terminal (the terminal itself: test/e2e/tui.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rdblensProcess } from '../cli/cli-helpers.js';

test('off a terminal: tui refuses with one line; the bare form prints the report; typos stay usage errors', async () => {
  const [tui, bare, typo, badDepth] = await Promise.all([
    rdblensProcess(['tui', 'samples/demo.rdb']),
    rdblensProcess(['samples/demo.rdb', '--depth', '2']),
    rdblensProcess(['nosuchcommand']),
    rdblensProcess(['tui', '--depth', '0', 'samples/demo.rdb']),
  ]);
  assert.equal(tui.code, 1);
  assert.equal(tui.stdout, '');
  assert.equal(tui.stderr, 'rdblens: the explorer needs a terminal on stdin and stdout (for a text report: rdblens report <dump...>)\n');
  assert.equal(bare.code, 0, bare.stderr);
  assert.match(bare.stdout, /^rdblens report: samples\/demo\.rdb/);
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /error: unknown command 'nosuchcommand'/);
  assert.equal(badDepth.code, 2);
  assert.match(badDepth.stderr, /--depth/);
});

test('tui --replicaof: dumps, load filters or --masterauth alone are usage errors (exit 2); a bad host:port too', async () => {
  const [withDump, withFilter, authAlone, badAddr] = await Promise.all([
    rdblensProcess(['tui', '--replicaof', '127.0.0.1:6379', 'samples/demo.rdb']),
    rdblensProcess(['tui', '--replicaof', '127.0.0.1:6379', '--match', 'user:*']),
    rdblensProcess(['tui', '--masterauth', 'secret', 'samples/demo.rdb']),
    rdblensProcess(['tui', '--replicaof', 'localhost']),
  ]);
  assert.equal(withDump.code, 2);
  assert.match(withDump.stderr, /^error: --replicaof takes the data from the primary: give no dump files\n/);
  assert.equal(withFilter.code, 2);
  assert.match(withFilter.stderr, /with --replicaof, filter with \/ in the explorer/);
  assert.equal(authAlone.code, 2);
  assert.match(authAlone.stderr, /--masterauth and --masteruser go with --replicaof/);
  assert.equal(badAddr.code, 2);
  assert.match(badAddr.stderr, /expected host:port/);
});
