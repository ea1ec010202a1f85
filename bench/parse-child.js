// Child process for bench/parse.js: runs one summary parse of <dump> with
// rdblens and prints one JSON line {seconds, keys, resultKeys, bytes, maxRssKB}.
// Running in its own process keeps the peak RSS free of the parent's work.
//
//   node bench/parse-child.js <dump> [module]
//
// [module] defaults to ../dist/src/rdb/index.js (built by `npm run build`).
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [dump, modulePath] = process.argv.slice(2);
if (!dump) {
  console.error('usage: node bench/parse-child.js <dump> [module]');
  process.exit(2);
}

const spec = modulePath ? pathToFileURL(path.resolve(modulePath)).href : '../dist/src/rdb/index.js';
const mod = await import(spec);
if (typeof mod.parseRdbFile !== 'function') {
  console.error(`${spec} does not export parseRdbFile()`);
  process.exit(1);
}

let keys = 0;
const t0 = process.hrtime.bigint();
const result = await mod.parseRdbFile(dump, {
  values: false,
  onRecord(rec) {
    if (rec.kind === 'key') keys++;
  },
});
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;

process.stdout.write(
  JSON.stringify({
    seconds,
    keys,
    resultKeys: result?.keys ?? null,
    bytes: result?.bytes ?? null,
    maxRssKB: process.resourceUsage().maxRSS,
  }) + '\n',
);
