import { parseRdbFile } from '../src/rdb/index.js';
import { memoryUsage } from '../src/memory/usage.js';
import { profile, PROFILE_IDS } from '../src/memory/profiles.js';
import { featuresOf } from '../src/memory/sizes.js';
import { loadShape } from '../src/memory/load-encoding.js';
import { Shape } from '../src/memory/shape.js';
import { corpusPath, groundTruth, manifest } from '../test/helpers/corpus.js';
const [file, ...keys] = process.argv.slice(2);
const mf = manifest().find((m) => m.rdb === file)!;
const gt = groundTruth(mf);
await parseRdbFile(corpusPath(file!), {
  onRecord: (r) => {
    if (r.kind !== 'key' || !keys.includes(r.key.toString())) return;
    const el = r.facts.elements;
    console.log(r.key.toString(), r.type, r.rdbType, r.encoding, 'len', r.length, 'blob', r.facts.blobBytes, 'lp', r.facts.listpackBytes, 'zl', r.facts.ziplistBytes, 'nodes', JSON.stringify(r.facts.nodes?.slice(0, 5)), r.facts.nodes?.length, 'fieldTtl', JSON.stringify(r.facts.fieldTtl));
    if (el) console.log('  lengths', Array.from(el.lengths.slice(0, Math.min(el.count, 40))).join(','), 'classes', Array.from(el.intClasses.slice(0, Math.min(el.count, 40))).join(','), 'scores', Array.from(el.scores.slice(0, Math.min(el.scoreCount, 10))).join(','));
    const k = gt.keys!.find((x) => x.key === r.key.toString())!;
    console.log('  gt', gt.loaded_by, JSON.stringify(k.memory_usage), k.encoding, JSON.stringify(k.memory_usage_by_loader), JSON.stringify(k.encoding_by_loader));
    for (const id of PROFILE_IDS) {
      const p = profile(id);
      const s = loadShape(r, featuresOf(p), p.config, new Shape());
      const m = memoryUsage(r, p);
      console.log('  ', id.padEnd(11), m.bytes, m.encoding, JSON.stringify(m.breakdown), 'slots', s.dictSlots, 'compact', s.compactBytes, s.compactAlloc, 'qlnodes', s.quicklistNodeBytes);
    }
  },
});
