/**
 * `npm run bench:report-files [-- dump.rdb]`: the sizes and costs of `report --html` and
 * `report --xlsx --keys` on a dump of about a million keys (by default bench/out/report-1m.rdb,
 * generated first: samples/generate.ts --scale 162, 1,007,915 keys, 222 MB). Prints the HTML
 * page's size (budget: under 2 MB, whatever the key count: the page embeds aggregates only),
 * the workbook's size, wall time and the process's peak RSS (VmHWM, polled from /proc; for
 * --xlsx --keys also what the Keys pass adds to --json's peak: the zip's queue, held under
 * ZIP_BACKLOG, and the streams' buffers, the same at 200k keys as at 1M).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const HTML_BUDGET = 2_000_000;

let dump = process.argv[2];
if (!dump) {
  dump = path.join(root, 'bench/out/report-1m.rdb');
  if (!existsSync(dump)) {
    mkdirSync(path.dirname(dump), { recursive: true });
    console.log(`generating ${dump} (samples/generate.ts --scale 162)...`);
    execFileSync(process.execPath, ['--import', 'tsx', 'samples/generate.ts', '--scale', '162', '--seed', '42', '--out', dump], { cwd: root, stdio: 'inherit' });
  }
}

function run(args) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [path.join(root, 'bin/rdblens.js'), ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
    let peak = 0;
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peak = Math.max(peak, Number(m[1]) * 1024);
      } catch {
        // exited between polls
      }
    }, 100);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearInterval(poll);
      if (code !== 0) reject(new Error(`rdblens ${args.join(' ')} exited ${code}`));
      else resolve({ ms: performance.now() - t0, peak });
    });
  });
}

const mb = (n) => `${(n / 1e6).toFixed(2)} MB`;
const dir = mkdtempSync(path.join(tmpdir(), 'rdblens-bench-report-'));
try {
  const html = path.join(dir, 'report.html');
  const xlsx = path.join(dir, 'report.xlsx');
  const plain = await run(['report', dump, '-q', '--json']);
  const h = await run(['report', dump, '-q', '--html', html]);
  const x = await run(['report', dump, '-q', '--xlsx', xlsx, '--keys']);
  const htmlSize = statSync(html).size;
  console.log(`dump: ${dump} (${mb(statSync(dump).size)})`);
  console.log(`report --json:          ${(plain.ms / 1000).toFixed(1)} s, peak RSS ${mb(plain.peak)}`);
  console.log(`report --html:          ${(h.ms / 1000).toFixed(1)} s, peak RSS ${mb(h.peak)}, page ${mb(htmlSize)} (budget ${mb(HTML_BUDGET)}: ${htmlSize < HTML_BUDGET ? 'ok' : 'OVER'})`);
  console.log(`report --xlsx --keys:   ${(x.ms / 1000).toFixed(1)} s, peak RSS ${mb(x.peak)} (${mb(x.peak - plain.peak)} over --json: the Keys pass, bounded whatever the key count), workbook ${mb(statSync(xlsx).size)}`);
  if (htmlSize >= HTML_BUDGET) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
