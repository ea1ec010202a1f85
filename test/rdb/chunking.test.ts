/**
 * The record stream is the same whatever the chunk size the input arrives in.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { RdbParser } from '../../src/rdb/index.js';
import type { RdbRecord } from '../../src/rdb/index.js';
import { corpusPath } from '../helpers/corpus.js';

/** A record as comparable text, facts included (the element scratch is copied out now). */
function snapshot(r: RdbRecord): string {
  if (r.kind !== 'key') return JSON.stringify(r, replacer);
  const e = r.facts.elements;
  const elements = e ? { count: e.count, lengths: Array.from(e.lengths.subarray(0, Math.min(e.count, e.lengths.length))), classes: Array.from(e.intClasses.subarray(0, Math.min(e.count, e.intClasses.length))), scores: Array.from(e.scores.subarray(0, e.scoreCount)), max: e.maxLength } : null;
  return JSON.stringify({ ...r, facts: { ...r.facts, elements } }, replacer);
}

function replacer(_k: string, v: unknown): unknown {
  if (typeof v === 'bigint') return `${v}n`;
  if (v && typeof v === 'object' && (v as { type?: string }).type === 'Buffer' && Array.isArray((v as { data?: unknown }).data)) {
    return Buffer.from((v as { data: number[] }).data).toString('hex');
  }
  return v;
}

function parseInChunks(bytes: Buffer, size: number, values: boolean): string[] {
  const out: string[] = [];
  const p = new RdbParser({ values, totalSize: bytes.length, onRecord: (r) => out.push(snapshot(r)) });
  for (let i = 0; i < bytes.length; i += size) p.write(Buffer.from(bytes.subarray(i, i + size)));
  p.end();
  return out;
}

const FILES = [
  'generated/redis-7.2.6/streams.rdb',
  'generated/redis-7.0.15/lists-compressed.rdb',
  'generated/redis-7.4.1/hashes-ttl.rdb',
  'generated/redis-5.0.14/zsets.rdb',
  'generated/redis-6.2.16/strings.rdb',
  'generated/redis-8.0-m01/sets.rdb',
  'generated/valkey-8.0.1/lfu.rdb',
  'public/redis-rdb-tools/redis_40_with_module.rdb',
  'public/redis-tests-assets/encodings.rdb',
];

for (const rel of FILES) {
  test(`${rel}: identical records for chunk sizes 1, 7, 4096 and whole`, () => {
    const bytes = readFileSync(corpusPath(rel));
    for (const values of [false, true]) {
      const whole = parseInChunks(bytes, bytes.length, values);
      assert.ok(whole.length > 3);
      for (const size of [1, 7, 4096]) {
        assert.deepEqual(parseInChunks(bytes, size, values), whole, `chunk size ${size}, values ${values}`);
      }
    }
  });
}

test('a big string value is skipped as it streams by in summary mode (never buffered whole)', () => {
  // header, SELECTDB 0, a 32 MiB string "big", EOF without checksum (RDB 4 has none)
  const size = 32 << 20;
  const head = Buffer.concat([
    Buffer.from('REDIS0004', 'latin1'),
    Buffer.from([0xfe, 0x00, 0x00, 0x03]),
    Buffer.from('big', 'latin1'),
    Buffer.from([0x80, (size >>> 24) & 0xff, (size >>> 16) & 0xff, (size >>> 8) & 0xff, size & 0xff]),
  ]);
  const recs: RdbRecord[] = [];
  const p = new RdbParser({ onRecord: (r) => recs.push(r) });
  p.write(head);
  const chunk = Buffer.alloc(1 << 16, 0x61);
  const before = process.memoryUsage().arrayBuffers;
  let peak = 0;
  for (let sent = 0; sent < size; sent += chunk.length) {
    p.write(chunk);
    peak = Math.max(peak, process.memoryUsage().arrayBuffers - before);
  }
  p.write(Buffer.from([0xff]));
  p.end();
  const key = recs.find((r) => r.kind === 'key');
  assert.ok(key && key.kind === 'key');
  assert.equal(key.length, size);
  assert.equal(key.end, head.length + size);
  assert.ok(peak < 8 << 20, `held ${peak} bytes while skipping a ${size}-byte value`);
});
