/**
 * An analysis survives the trip from a worker thread: what reviveAnalysis rebuilds from the
 * posted data equals what analyzeDump returned, class by class and field by field, and every
 * report made from it is the same.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDump, type DumpAnalysis } from '../../src/memory/analyze.js';
import { memoryDoctor } from '../../src/memory/doctor.js';
import { memoryStats } from '../../src/memory/stats.js';
import { buildModel } from '../../src/report/model.js';
import { reportJson } from '../../src/report/report.js';
import { analysisData, reviveAnalysis } from '../../cli/transfer.js';
import { corpusPath } from '../helpers/corpus.js';

/** A structure deepStrictEqual can compare: classes named, functions as a marker, bytes as hex. */
function comparable(v: unknown, seen = new Map<object, string>(), path = '$'): unknown {
  if (typeof v === 'function') return '[function]';
  if (v === null || typeof v !== 'object') return v;
  if (Buffer.isBuffer(v)) return { buffer: v.toString('hex') };
  if (ArrayBuffer.isView(v)) return { [v.constructor.name]: Array.from(v as unknown as ArrayLike<number>) };
  const s = seen.get(v);
  if (s !== undefined) return { ref: s };
  seen.set(v, path);
  if (Array.isArray(v)) return v.map((x, i) => comparable(x, seen, `${path}[${i}]`));
  if (v instanceof Map) return { map: [...v].map(([k, x], i) => [comparable(k, seen, `${path}.k${i}`), comparable(x, seen, `${path}.v${i}`)]) };
  if (v instanceof Set) return { set: [...v].map((x, i) => comparable(x, seen, `${path}.s${i}`)) };
  if (v instanceof Error) return { error: v.name, message: v.message, fields: comparable({ ...v }, seen, `${path}.e`) };
  const o: Record<string, unknown> = { class: Object.getPrototypeOf(v)?.constructor?.name ?? null };
  for (const k of Object.keys(v)) o[k] = comparable((v as Record<string, unknown>)[k], seen, `${path}.${k}`);
  return o;
}

async function roundTrip(a: DumpAnalysis): Promise<DumpAnalysis> {
  return reviveAnalysis(structuredClone(analysisData(a)));
}

/** Paths in a graph to anything structured clone would not carry as it is (class instances, functions). */
function notPlain(v: unknown, path = '$', seen = new Set<object>(), out: string[] = []): string[] {
  if (typeof v === 'function') out.push(`${path}: function`);
  if (v === null || typeof v !== 'object' || seen.has(v)) return out;
  seen.add(v);
  if (ArrayBuffer.isView(v)) return out;
  const proto = Object.getPrototypeOf(v);
  if (Array.isArray(v)) v.forEach((x, i) => notPlain(x, `${path}[${i}]`, seen, out));
  else if (v instanceof Map) for (const [k, x] of v) notPlain(x, `${path}.get(${String(k)})`, seen, out);
  else if (v instanceof Set) for (const x of v) notPlain(x, `${path}.set`, seen, out);
  else if (proto !== Object.prototype && proto !== null) out.push(`${path}: ${proto?.constructor?.name ?? '?'} instance`);
  else for (const [k, x] of Object.entries(v)) notPlain(x, `${path}.${k}`, seen, out);
  return out;
}

test('an analysis is plain data (its error aside)', async () => {
  const a = await analyzeDump(corpusPath('generated/redis-7.2.6/mixed-large.rdb'), { aggregate: { topN: 20 } });
  assert.deepStrictEqual(notPlain({ ...a, error: null }), []);
});

for (const rdb of [
  'generated/redis-7.2.6/mixed-large.rdb',
  'generated/redis-7.4.1/cluster.rdb',
  'generated/valkey-8.0.1/lru.rdb',
  'generated/redis-5.0.14/streams.rdb',
  'corrupt/truncated-mid-value.rdb',
]) {
  test(`round trip: ${rdb}`, async () => {
    const a = await analyzeDump(corpusPath(rdb), { aggregate: { now: Date.UTC(2026, 0, 1), topN: 20 } });
    const b = await roundTrip(a);
    assert.deepStrictEqual(comparable(b), comparable(a));
    assert.deepStrictEqual(memoryStats([b]), memoryStats([a]));
    assert.deepStrictEqual(memoryDoctor([b]), memoryDoctor([a]));
    const report = (x: DumpAnalysis): string =>
      reportJson({ model: buildModel([x], { topN: 20 }), stats: memoryStats([x]), doctor: memoryDoctor([x]).text, topKeys: 20, topPrefixes: 50 }, 'base64');
    assert.equal(report(b), report(a));
    if (a.error) {
      assert.equal(b.error?.message, a.error.message);
      assert.equal(b.error?.constructor, a.error.constructor);
    }
  });
}
