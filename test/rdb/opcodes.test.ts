/**
 * Opcodes other than keys: AUX fields, FUNCTION2 libraries, the 7.0 RC function format,
 * SLOT_INFO, FREQ/IDLE, RESIZEDB, checked against the corpus and real tools' output.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readAllRecords, RdbParser } from '../../src/rdb/index.js';
import type { RdbRecord, KeyRecord } from '../../src/rdb/index.js';
import { corpusPath, groundTruth, manifest } from '../helpers/corpus.js';
import { crc64 } from '../../src/rdb/crc64.js';

const truth = (rel: string) => groundTruth(manifest().find((f) => f.rdb === rel)!);

test('AUX fields equal what redis-check-rdb printed, for every generated dump', async () => {
  for (const f of manifest().filter((m) => m.kind === 'generated')) {
    const gt = groundTruth(f);
    const aux = Object.fromEntries(
      (await readAllRecords(corpusPath(f.rdb))).filter((r) => r.kind === 'aux').map((r) => [r.name, r.kind === 'aux' ? r.value.toString('latin1') : '']),
    );
    assert.deepEqual(aux, gt.redis_check_rdb!.aux, f.rdb);
  }
});

test('FUNCTION2: the libraries FUNCTION LIST WITHCODE reported', async () => {
  for (const rel of ['generated/redis-7.0.15/functions.rdb', 'generated/redis-7.4.1/functions.rdb', 'generated/valkey-8.0.1/functions.rdb']) {
    const fns = (await readAllRecords(corpusPath(rel))).filter((r) => r.kind === 'function');
    const gt = truth(rel).functions as { library_code: string }[];
    assert.deepEqual(fns.map((r) => (r.kind === 'function' ? r.code.toString('utf8') : '')).sort(), gt.map((l) => l.library_code).sort(), rel);
  }
});

test('SLOT_INFO before each slot of a 7.4 cluster dump; resize hints match the key counts', async () => {
  const recs = await readAllRecords(corpusPath('generated/redis-7.4.1/cluster.rdb'));
  const slots = recs.filter((r) => r.kind === 'slot-info');
  const keys = recs.filter((r): r is KeyRecord => r.kind === 'key');
  assert.ok(slots.length > 0);
  assert.equal(slots.reduce((s, r) => s + (r.kind === 'slot-info' ? r.slotSize : 0), 0), keys.length);
  const resize = recs.find((r) => r.kind === 'resizedb');
  assert.ok(resize && resize.kind === 'resizedb');
  assert.equal(resize.dbSize, keys.length);
});

test('FREQ and IDLE opcodes land on their keys', async () => {
  const lfu = (await readAllRecords(corpusPath('generated/redis-7.2.6/lfu.rdb'))).filter((r): r is KeyRecord => r.kind === 'key');
  assert.ok(lfu.length > 0 && lfu.every((k) => k.freq >= 0 && k.idle === -1));
  const lru = (await readAllRecords(corpusPath('generated/redis-7.2.6/lru.rdb'))).filter((r): r is KeyRecord => r.kind === 'key');
  assert.ok(lru.length > 0 && lru.every((k) => k.idle >= 0 && k.freq === -1));
  // the record starts at the opcode, before the type byte
  assert.ok(lru.every((k) => k.offset < k.end));
});

test('the 7.0 release-candidate function opcode (246) is read, not refused', () => {
  const str = (s: string) => Buffer.concat([Buffer.from([s.length]), Buffer.from(s, 'latin1')]);
  const body = Buffer.concat([
    Buffer.from('REDIS0010', 'latin1'),
    Buffer.from([246]),
    str('myfunc'),
    str('LUA'),
    Buffer.from([1]),
    str('does things'),
    str('return 1'),
    Buffer.from([0xff]),
  ]);
  const trailer = Buffer.alloc(8);
  trailer.writeBigUInt64LE(crc64(body));
  const recs: RdbRecord[] = [];
  const p = new RdbParser({ onRecord: (r) => recs.push(r) });
  p.write(Buffer.concat([body, trailer]));
  p.end();
  const fn = recs.find((r) => r.kind === 'function');
  assert.ok(fn && fn.kind === 'function');
  assert.equal(fn.code.toString(), 'return 1');
  assert.deepEqual(fn.preRelease, { name: 'myfunc', engine: 'LUA', description: Buffer.from('does things') });
  assert.equal(recs[recs.length - 1]!.kind, 'eof');
});
