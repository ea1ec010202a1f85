/**
 * A consumer group PEL's rax->numnodes (StreamPel.raxNodes, counted from its IDs' adjacent
 * common prefixes) equals raxNodeCount of the same IDs encoded as streamEncodeID does (16 bytes
 * big-endian; that count is checked against a simulation of rax.c and real servers in
 * test/memory/rax.test.ts), through random inserts and removals, with IDs near 0, near 2^53
 * and at the top of the uint64 range (held as negative int64 doubles), as streams hold them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { raxNodeCount } from '../../src/memory/rax.js';
import { StreamPel } from '../../src/engine/types/stream-cgroups.js';
import { u64Part } from '../../src/engine/types/stream.js';
import { rng } from '../helpers/rng.js';

function encoded(p: StreamPel): Buffer {
  const b = Buffer.alloc(p.size * 16);
  p.items.forEach((n, i) => {
    b.writeBigUInt64BE(BigInt.asUintN(64, BigInt(n.ms)), i * 16);
    b.writeBigUInt64BE(BigInt.asUintN(64, BigInt(n.seq)), i * 16 + 8);
  });
  return b;
}

test('StreamPel.raxNodes equals raxNodeCount of the encoded IDs through inserts and removals', () => {
  for (const seed of [1, 2, 3, 4]) {
    const r = rng(seed);
    const int = (n: number): number => Math.floor(r() * n);
    const part = (): number => {
      switch (int(4)) {
        case 0:
          return int(300);
        case 1:
          return 1_700_000_000_000 + int(5000);
        case 2:
          return 2 ** 53 - int(1000);
        default:
          return u64Part(18446744073709551615n - BigInt(int(70000)));
      }
    };
    const p = new StreamPel();
    let checks = 0;
    for (let i = 0; i < 3000; i++) {
      if (p.size > 0 && int(3) === 0) {
        const n = p.items[int(p.size)]!;
        assert.ok(p.remove(n.ms, n.seq));
      } else p.insert({ ms: part(), seq: int(2) ? int(4) : part(), deliveryTime: 0, deliveryCount: 1, consumer: null });
      if (i % 7 === 0) {
        assert.equal(p.raxNodes, raxNodeCount(encoded(p)), `seed ${seed} step ${i}, ${p.size} IDs`);
        checks++;
      }
    }
    assert.ok(checks > 400 && p.size > 100);
  }
});
