/**
 * memoryUsage against MEMORY USAGE key SAMPLES 0 and OBJECT ENCODING as real servers reported
 * them for the RDB corpus (../shared/rdb-corpus): every file, every server that loaded it,
 * every key it kept (the ~50,000-key mixed-large dumps included).
 *
 * Gates per (file, server): median |error| <= 0.5 %, 99th percentile <= 2 %, the file's total
 * within 0.5 % of the sum of MEMORY USAGE, every skiplist key within 2 % of the range its three
 * loads produced, and the predicted encoding equal to OBJECT ENCODING for every key.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corpusFiles, samplesOf, statsOf, groupBy, type Sample } from './corpus-accuracy.js';

const MEDIAN_MAX = 0.5;
const P99_MAX = 2;
const TOTAL_MAX = 0.5;
const SKIPLIST_MAX = 2;

/**
 * Known gaps: (file, server) pairs allowed past one gate, each with the ceiling measured when
 * it was recorded and the reason. Everything else about these pairs is still checked.
 */
const KNOWN_GAPS: { file: string; loader: string; gate: 'p99'; measured: number; ceiling: number; why: string }[] = [
  {
    file: 'generated/redis-5.0.14/thresholds.rdb',
    loader: 'valkey-8.0.1',
    gate: 'p99',
    measured: 2.95,
    ceiling: 3.5,
    why:
      'Valkey 8.0 counts a hashtable set member as 0 bytes of dict entry when it sits alone in its ' +
      'bucket and 16 (dictEntryNoValue) when it shares one; how many share depends on the ' +
      'per-process hash seed. We charge the expected count; set:str129 (129 members) is off by ' +
      '~13 collisions on this load. The file has 18 keys, so its p99 is that one key.',
  },
  {
    file: 'generated/valkey-8.0.1/thresholds.rdb',
    loader: 'valkey-8.0.1',
    gate: 'p99',
    measured: 2.79,
    ceiling: 3.5,
    why: 'Same as above: set:str129 on Valkey 8.0, here 13 collisions fewer than expected.',
  },
];

function describe(s: Sample): string {
  return `${s.key} (${s.type}/${s.encoding}): predicted ${s.predicted}, actual ${s.actualMin === s.actualMax ? s.actualMin : `${s.actualMin}..${s.actualMax}`} (${s.errPct.toFixed(2)} %)`;
}

for (const f of corpusFiles()) {
  test(`MEMORY USAGE and OBJECT ENCODING: ${f.rdb}`, async () => {
    const samples = await samplesOf(f);
    for (const [loader, group] of groupBy(samples, (s) => s.loader)) {
      const what = `${f.rdb} on ${loader}`;
      const wrongEncoding = group.filter((s) => s.predictedEncoding !== s.encoding);
      assert.deepEqual(
        wrongEncoding.map((s) => `${s.key}: ${s.predictedEncoding}`),
        wrongEncoding.map((s) => `${s.key}: ${s.encoding}`),
        `${what}: encodings`,
      );
      for (const s of group) {
        if (s.skiplist) assert.ok(Math.abs(s.errPct) <= SKIPLIST_MAX, `${what}: skiplist ${describe(s)}`);
        assert.ok(!s.unknown, `${what}: ${s.key} reported unknown`);
      }
      const st = statsOf(group);
      const worst = [...group].sort((a, b) => Math.abs(b.errPct) - Math.abs(a.errPct)).slice(0, 3).map(describe).join('; ');
      const gap = KNOWN_GAPS.find((g) => g.file === f.rdb && g.loader === loader);
      assert.ok(st.medianAbsErr <= MEDIAN_MAX, `${what}: median |error| ${st.medianAbsErr.toFixed(3)} %; worst: ${worst}`);
      const p99Max = gap?.gate === 'p99' ? gap.ceiling : P99_MAX;
      assert.ok(st.p99AbsErr <= p99Max, `${what}: p99 |error| ${st.p99AbsErr.toFixed(3)} %; worst: ${worst}`);
      assert.ok(Math.abs(st.totalErr) <= TOTAL_MAX, `${what}: total error ${st.totalErr.toFixed(3)} %`);
    }
  });
}

test('every known gap is still a gap (remove it from the list once it passes)', async () => {
  for (const g of KNOWN_GAPS) {
    const f = corpusFiles().find((m) => m.rdb === g.file);
    assert.ok(f, `${g.file} is in the corpus`);
    const st = statsOf((await samplesOf(f)).filter((s) => s.loader === g.loader));
    assert.ok(st.p99AbsErr > P99_MAX, `${g.file} on ${g.loader} now passes the ${g.gate} gate (${st.p99AbsErr.toFixed(2)} %)`);
  }
});
