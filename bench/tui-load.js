// The explorer's load as `rdblens tui` runs it, without a terminal: how long until the first
// progress figures, until every key is read, until the overview is ready; how long the event
// loop was held at most (a keypress waits that long for its frame); RSS then and peak.
//
//   node bench/tui-load.js <dump> [--runs 1]      (needs dist/: npm run build)
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values, positionals } = parseArgs({ allowPositionals: true, options: { runs: { type: 'string', default: '1' } } });
if (positionals.length === 0) {
  console.error('usage: node bench/tui-load.js <dump...> [--runs n]');
  process.exit(2);
}
const { openExplorer } = await import(path.join(root, 'dist/src/tui/data/explorer.js'));
// as `rdblens tui` reads one large dump: on two worker threads (cli/split-load.ts)
const { splitReader } = await import(path.join(root, 'dist/cli/split-load.js'));
const status = () => {
  const s = readFileSync('/proc/self/status', 'utf8');
  return { rss: Number(/VmRSS:\s+(\d+)/.exec(s)[1]) / 1024, hwm: Number(/VmHWM:\s+(\d+)/.exec(s)[1]) / 1024 };
};
const empty = status().rss;
for (let r = 0; r < Number(values.runs); r++) {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  // the longest gap between two timer turns, measured directly too
  let last = performance.now();
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last - 10);
    if (process.env.LAG_LOG && now - last > 60) console.log(`  held ${(now - last).toFixed(0)} ms at ${((now - t0) / 1000).toFixed(2)} s (${phase} ${indexed.toFixed(2)})`);
    last = now;
  }, 10);
  const t0 = performance.now();
  let first = -1;
  let phase = 'start';
  let indexed = 0;
  let readDone = -1;
  const ex = await openExplorer({ files: positionals, now: Date.now(), separators: ':', depth: 3, escape: 'redis-cli', readerFor: splitReader }, (p) => {
    const t = performance.now() - t0;
    phase = p.phase;
    indexed = p.indexed;
    if (first < 0 && p.sofar) first = t;
    if (readDone < 0 && p.phase === 'indexing') readDone = t;
  });
  const ready = performance.now() - t0;
  clearInterval(timer);
  h.disable();
  const m = status();
  const keys = ex.index.size;
  console.log(
    JSON.stringify({
      keys,
      firstFiguresS: +(first / 1000).toFixed(2),
      readS: +(readDone / 1000).toFixed(2),
      readyS: +(ready / 1000).toFixed(2),
      eventLoopMaxMs: +Math.max(worst, h.max / 1e6).toFixed(0),
      eventLoopP99Ms: +(h.percentile(99) / 1e6).toFixed(0),
      rssMB: +m.rss.toFixed(0),
      peakMB: +m.hwm.toFixed(0),
      bytesPerKeyInclNames: +(((m.rss - empty) * 1048576) / keys).toFixed(1),
    }),
  );
}
