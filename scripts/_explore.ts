import { allSamples, statsOf, groupBy } from '../test/memory/corpus-accuracy.js';
const filter = process.argv[2] ?? '';
const samples = (await allSamples()).filter((s) => !filter || `${s.loader} ${s.type} ${s.encoding}`.includes(filter));
for (const [k, g] of groupBy(samples, (s) => `${s.loader.padEnd(14)} ${s.type.padEnd(7)} ${s.encoding.padEnd(10)}`)) {
  const st = statsOf(g);
  console.log(k, String(st.keys).padStart(6), st.medianAbsErr.toFixed(3).padStart(8), st.p99AbsErr.toFixed(3).padStart(8), st.maxAbsErr.toFixed(2).padStart(8), st.totalErr.toFixed(3).padStart(8), 'encMism', st.encodingMismatches);
}
const bad = samples.filter((s) => Math.abs(s.errPct) > 0.0001 || s.encoding !== s.predictedEncoding);
const n = Number(process.argv[3] ?? 40);
const byGroup = groupBy(bad, (s) => `${s.loader} ${s.type} ${s.encoding}`);
for (const [k, g] of byGroup) {
  console.log('---', k, g.length);
  for (const s of g.slice(0, n)) console.log('  ', s.file, s.key, 'pred', s.predicted, s.predictedEncoding, 'act', s.actualMin, s.actualMax, s.encoding, s.errPct.toFixed(2));
}
