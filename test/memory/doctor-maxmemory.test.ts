/**
 * MEMORY DOCTOR's maxmemory tip: a dump whose writer's used-mem (aux) or whose estimated
 * used_memory after loading is within 10 % of a given limit, or over it, gets a tip with the
 * bytes over the limit or the headroom left.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDump } from '../../src/memory/analyze.js';
import { memoryDoctor } from '../../src/memory/doctor.js';
import { estimateUsedMemory } from '../../src/memory/stats.js';

const DEMO = new URL('../../samples/demo.rdb', import.meta.url).pathname;

test('doctor: the near-maxmemory tip with the bytes at stake', async () => {
  const a = await analyzeDump(DEMO, { aggregate: { now: Date.UTC(2026, 0, 1) } });
  const est = estimateUsedMemory(a);
  const aux = Number(a.aux['used-mem']);
  assert.ok(aux > 0, 'the demo dump carries used-mem');
  const worst = Math.max(est, aux);
  // far above: no tip; no limit: no tip
  assert.equal(memoryDoctor([a], { maxmemory: worst * 2 }).tips.find((t) => t.id === 'near-maxmemory'), undefined);
  assert.equal(memoryDoctor([a]).tips.find((t) => t.id === 'near-maxmemory'), undefined);
  // 5 % of headroom
  const above = Math.round(worst * 1.05);
  const t1 = memoryDoctor([a], { maxmemory: above }).tips.find((t) => t.id === 'near-maxmemory');
  assert.ok(t1);
  assert.equal(t1.bytes, above - worst);
  assert.match(t1.lines[0]!, new RegExp(`${above - worst} bytes of headroom`));
  // over the limit: the bytes over it
  const below = Math.round(worst * 0.8);
  const r = memoryDoctor([a], { maxmemory: below });
  const t2 = r.tips.find((t) => t.id === 'near-maxmemory')!;
  assert.equal(t2.bytes, worst - below);
  assert.match(t2.lines[0]!, new RegExp(`${worst - below} bytes over the limit`));
  assert.match(r.text, new RegExp(`Close to maxmemory: concerns ${worst - below} bytes`));
});
