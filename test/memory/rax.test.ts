/**
 * raxNodeCount against a literal simulation of rax.c insertion (raxGenericInsert with its
 * compressed-node splits), over random key sets in random insertion orders.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { raxNodeCount } from '../../src/memory/rax.js';
import { rng } from '../helpers/rng.js';

interface RNode {
  compr: boolean;
  key: boolean;
  data: number[];
  children: RNode[];
}

/** A straightforward model of rax.c's insert path, counting numnodes as rax.c does. */
class SimRax {
  head: RNode = { compr: false, key: false, data: [], children: [] };
  numnodes = 1;
  numele = 0;

  insert(s: Uint8Array): void {
    const len = s.length;
    // raxLowWalk
    let h = this.head;
    let parent: RNode | null = null;
    let parentIdx = 0;
    let i = 0;
    let j = 0;
    while (h.data.length > 0 && i < len) {
      if (h.compr) {
        for (j = 0; j < h.data.length && i < len; j++, i++) if (h.data[j] !== s[i]) break;
        if (j !== h.data.length) break;
      } else {
        for (j = 0; j < h.data.length; j++) if (h.data[j] === s[i]) break;
        if (j === h.data.length) break;
        i++;
      }
      parent = h;
      parentIdx = h.compr ? 0 : j;
      h = h.children[parentIdx]!;
      j = 0;
    }
    const replace = (old: RNode, nu: RNode) => {
      if (parent === null) {
        assert.equal(this.head, old);
        this.head = nu;
      } else parent.children[parentIdx] = nu;
    };

    if (i === len && (!h.compr || j === 0)) {
      if (!h.key) {
        h.key = true;
        this.numele++;
      }
      return;
    }

    if (h.compr && i !== len) {
      // ALGO 1: split the compressed node at j
      const next = h.children[0]!;
      const postfixlen = h.data.length - j - 1;
      const split: RNode = { compr: false, key: j === 0 && h.key, data: [h.data[j]!], children: [] };
      if (j === 0) {
        replace(h, split);
      } else {
        const trimmed: RNode = { compr: j > 1, key: h.key, data: h.data.slice(0, j), children: [split] };
        replace(h, trimmed);
        parent = trimmed;
        parentIdx = 0;
        this.numnodes++;
      }
      let postfix: RNode;
      if (postfixlen > 0) {
        postfix = { compr: postfixlen > 1, key: false, data: h.data.slice(j + 1), children: [next] };
        this.numnodes++;
      } else {
        postfix = next;
      }
      split.children.push(postfix);
      h = split;
    } else if (h.compr && i === len) {
      // ALGO 2: the key ends inside a compressed node
      const next = h.children[0]!;
      const postfix: RNode = { compr: h.data.length - j > 1, key: true, data: h.data.slice(j), children: [next] };
      const trimmed: RNode = { compr: j > 1, key: h.key, data: h.data.slice(0, j), children: [postfix] };
      replace(h, trimmed);
      this.numnodes++;
      this.numele++;
      return;
    }

    while (i < len) {
      let child: RNode;
      if (h.data.length === 0 && len - i > 1) {
        // raxCompressNode
        child = { compr: false, key: false, data: [], children: [] };
        h.compr = true;
        h.data = Array.from(s.subarray(i, len));
        h.children = [child];
        i = len;
      } else {
        // raxAddChild, children kept sorted by byte
        child = { compr: false, key: false, data: [], children: [] };
        let pos = 0;
        while (pos < h.data.length && h.data[pos]! < s[i]!) pos++;
        h.data.splice(pos, 0, s[i]!);
        h.children.splice(pos, 0, child);
        i++;
      }
      this.numnodes++;
      h = child;
    }
    if (!h.key) {
      h.key = true;
      this.numele++;
    }
  }

  /** numnodes recounted by walking the tree (checks the counter). */
  walk(n: RNode = this.head): number {
    let c = 1;
    for (const ch of n.children) c += this.walk(ch);
    return c;
  }
}

function streamId(ms: bigint, seq: bigint): Buffer {
  const b = Buffer.alloc(16);
  b.writeBigUInt64BE(ms, 0);
  b.writeBigUInt64BE(seq, 8);
  return b;
}

function shuffle<T>(a: T[], r: () => number): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/** Key sets shaped like stream IDs and PELs, plus dense and random byte keys of other lengths. */
function keySets(r: () => number): { name: string; keyLen: number; keys: Buffer[] }[] {
  const sets: { name: string; keyLen: number; keys: Buffer[] }[] = [];
  for (const n of [0, 1, 2, 3, 5, 17, 100, 257, 1000]) {
    // sequential ms, seq 0 (XADD * at one entry per ms)
    const base = 1700000000000n + BigInt(Math.floor(r() * 1e6));
    sets.push({ name: `seq-ms n=${n}`, keyLen: 16, keys: Array.from({ length: n }, (_, i) => streamId(base + BigInt(i), 0n)) });
    // same ms, increasing seq (many entries per ms)
    sets.push({ name: `seq-seq n=${n}`, keyLen: 16, keys: Array.from({ length: n }, (_, i) => streamId(base, BigInt(i))) });
    // gaps: random increments, mixes of both
    let ms = base;
    let seq = 0n;
    const gappy: Buffer[] = [];
    for (let i = 0; i < n; i++) {
      if (r() < 0.5) {
        ms += BigInt(1 + Math.floor(r() * (r() < 0.1 ? 1e9 : 300)));
        seq = 0n;
      } else seq += BigInt(1 + Math.floor(r() * 3));
      gappy.push(streamId(ms, seq));
    }
    sets.push({ name: `gappy n=${n}`, keyLen: 16, keys: gappy });
    // small explicit IDs (XADD 1-1, 2-1 ...) and fully random 16-byte keys
    sets.push({ name: `small n=${n}`, keyLen: 16, keys: Array.from({ length: n }, (_, i) => streamId(BigInt(i + 1), BigInt(Math.floor(r() * 3)))) });
    sets.push({ name: `random n=${n}`, keyLen: 16, keys: Array.from({ length: n }, () => Buffer.from(Array.from({ length: 16 }, () => Math.floor(r() * 256)))) });
    // short keys over a tiny alphabet: many branches, 1-byte chains, duplicates
    for (const keyLen of [1, 2, 3, 5]) {
      sets.push({ name: `alpha${keyLen} n=${n}`, keyLen, keys: Array.from({ length: n }, () => Buffer.from(Array.from({ length: keyLen }, () => 97 + Math.floor(r() * 3)))) });
    }
  }
  return sets;
}

test('raxNodeCount equals a literal rax.c insert simulation, in any insertion order', () => {
  const r = rng(12345);
  for (const set of keySets(r)) {
    for (let round = 0; round < 3; round++) {
      const order = round === 0 ? [...set.keys].sort(Buffer.compare) : shuffle([...set.keys], r);
      const sim = new SimRax();
      for (const k of order) sim.insert(k);
      assert.equal(sim.walk(), sim.numnodes, `${set.name}: simulation's counter`);
      const got = raxNodeCount(Buffer.concat(order), set.keyLen);
      assert.equal(got, sim.numnodes, `${set.name} (${round === 0 ? 'sorted' : 'shuffled'}): numnodes`);
    }
  }
});

test('raxNodeCount: small cases worked by hand', () => {
  assert.equal(raxNodeCount(Buffer.alloc(0)), 1, 'empty rax: the head');
  assert.equal(raxNodeCount(streamId(1n, 1n)), 2, 'one key: compressed head + leaf');
  // 1-1 and 1-2 differ in the last byte: head "…" (15 bytes) + branch + 2 leaves
  assert.equal(raxNodeCount(Buffer.concat([streamId(1n, 1n), streamId(1n, 2n)])), 4);
  // 1-0 and 2-0 differ at byte 7: head (7 bytes) + branch + two 8-byte chains + 2 leaves
  assert.equal(raxNodeCount(Buffer.concat([streamId(1n, 0n), streamId(2n, 0n)])), 6);
  assert.equal(raxNodeCount(Buffer.concat([streamId(1n, 0n), streamId(1n, 0n)])), 2, 'duplicates insert once');
  assert.throws(() => raxNodeCount(Buffer.alloc(15)), RangeError);
});

test('raxNodeCount: a million sorted IDs (speed is measured in benchmarks, not here)', () => {
  const n = 1_000_000;
  const keys = Buffer.alloc(n * 16);
  let ms = 1700000000000n;
  for (let i = 0; i < n; i++) {
    if (i % 7 === 0) ms += 1n;
    keys.writeBigUInt64BE(ms, i * 16);
    keys.writeBigUInt64BE(BigInt(i % 7), i * 16 + 8);
  }
  const count = raxNodeCount(keys);
  assert.ok(count > n, 'at least one node per key');
});
