// Child process for bench/parse.js: runs one summary parse of <dump> with
// rdblens and prints one JSON line {seconds, keys, resultKeys, bytes, maxRssKB}.
// Running in its own process keeps the peak RSS free of the parent's work.
//
//   node bench/parse-child.js <dump> [module] [--annotate]
//
// [module] defaults to ../dist/src/rdb/index.js (built by `npm run build`). With --annotate each
// key is also sized (MEMORY USAGE on the dump's own server profile) inside the record callback.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const argv = process.argv.slice(2);
const annotate = argv.includes('--annotate');
const [dump, modulePath] = argv.filter((a) => a !== '--annotate');
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

let size = null;
if (annotate) {
  const { memoryUsage, newKeyMemory, profileForRedisVersion } = await import('../dist/src/memory/usage.js');
  const scratch = newKeyMemory();
  const { profile } = await import('../dist/src/memory/profiles.js');
  let p = null;
  let redisVer = '';
  let version = 0;
  size = (rec) => {
    if (rec.kind === 'header') version = rec.version;
    else if (rec.kind === 'aux' && rec.name === 'redis-ver') redisVer = rec.value.toString('latin1');
    else if (rec.kind === 'key') {
      p ??= profile(profileForRedisVersion(redisVer, undefined, version));
      memoryBytes += memoryUsage(rec, p, scratch).bytes;
    }
  };
}
let memoryBytes = 0;

let keys = 0;
const t0 = process.hrtime.bigint();
const result = await mod.parseRdbFile(dump, {
  values: false,
  onRecord(rec) {
    if (rec.kind === 'key') keys++;
    if (size !== null) size(rec);
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
    memoryBytes: annotate ? memoryBytes : null,
  }) + '\n',
);
