// Engine load benchmark: load a dump into the keyspaces (parse + MEMORY USAGE per key + one
// compact record per key) and report the time, the heap the keyspaces hold per key, and the
// summary parse time of the same file for comparison.
//
//   npm run bench:engine [-- dump.rdb]      (needs `npm run build`; run with --expose-gc)
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const dump = process.argv[2] ?? path.join(here, 'out/bench-500mb.rdb');
statSync(dump);
const { parseRdbFile } = await import('../dist/src/rdb/index.js');
const { loadKeyspaces } = await import('../dist/src/engine/load.js');

const gc = globalThis.gc ?? (() => {});
const heap = () => {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

let t = process.hrtime.bigint();
let keys = 0;
await parseRdbFile(dump, { onRecord: (r) => void (r.kind === 'key' && keys++) });
const parseS = Number(process.hrtime.bigint() - t) / 1e9;

const before = heap();
t = process.hrtime.bigint();
const loaded = await loadKeyspaces([dump]);
const loadS = Number(process.hrtime.bigint() - t) / 1e9;
const after = heap();
let held = 0;
let n = 0;
for (const ks of loaded.dbs.values()) {
  held += ks.heapBytes();
  n += ks.size;
}
console.log(`engine: ${dump} (${keys} keys)`);
console.log(`summary parse        ${parseS.toFixed(2)} s`);
console.log(`load into keyspaces  ${loadS.toFixed(2)} s  (parse + MEMORY USAGE + records; ${((loadS / parseS - 1) * 100).toFixed(0)}% over the parse)`);
console.log(`heap growth          ${((after - before) / n).toFixed(1)} bytes/key (process heap + buffers, after GC; budget 300)`);
console.log(`keyspace columns     ${(held / n).toFixed(1)} bytes/key (typed arrays, key arena, index)`);
console.log(`peak RSS             ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
