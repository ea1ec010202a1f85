// Scale benchmark: the three dump shapes of the production-scale issue, every analysis command
// beside redis-check-rdb, and `serve` / `tui` readiness beside redis-server loading the same dump.
//
//   npm run bench:scale -- [--shapes 500mb,2gb,20m] [--runs 3] [--commands csv,report,...]
//                          [--no-servers] [--no-tui]
//
// The dumps are made once and cached in bench/out/ (gitignored):
//   500mb  samples/generate.ts --scale 370 --seed 42   (~503 MB, 2.30M keys; shared with bench:parse)
//   2gb    samples/generate.ts --scale 1480 --seed 42  (4x that: ~2.0 GB, ~8.3M keys)
//   20m    redis-server DEBUG POPULATE 20000000, SAVE  (~640 MB, 20M small strings)
// Each run is a round over every measurement, rounds interleaved, so a slow moment of the
// machine hits every column alike; the table shows the median of --runs rounds.
//
// What is measured (wall time from spawn; peak RSS from /usr/bin/time -v or /proc VmHWM):
//   redis-check-rdb <dump>                    the yardstick for the analysis commands
//   rdblens csv|report|top|prefixes|stats|doctor -q <dump>   (stdout to /dev/null)
//   redis-server load: from spawn until PING stops answering -LOADING; RSS then
//   serve ready: from spawn until DBSIZE of every db equals redis-server's; RSS then, and peak
//   tui overview: `rdblens tui <dump>` in a tmux pane until the overview is drawn whole (MEMORY
//                 STATS in); RSS then, peak; and when its first figures showed (the overview accruing)
//   bytes per key: (RSS - RSS of an empty serve) / keys - mean key name length (a SCAN sample)
// No assertions: it prints the figures and the ratios to the references.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, mkdtempSync, rmSync, copyFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freePort, start, stop, runTimed, hasTime, TIME_BIN } from './proc.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const OUT = path.join(here, 'out');
const CLI = path.join(root, 'bin', 'rdblens.js');
const ANALYSIS = ['csv', 'report', 'top', 'prefixes', 'stats', 'doctor'];

const SHAPES = {
  '500mb': { file: 'bench-500mb.rdb', what: '503 MB (samples/generate.ts big)', make: (out) => generate(370, out) },
  '2gb': { file: 'scale-2gb.rdb', what: '2.0 GB (4x that)', make: (out) => generate(1480, out) },
  // a smoke run of the script itself on the bundled sample
  demo: { file: '../../samples/demo.rdb', what: 'samples/demo.rdb', make: () => fail('samples/demo.rdb is missing') },
  '20m': { file: 'scale-20m.rdb', what: '640 MB, 20M small strings (DEBUG POPULATE 20000000)', make: (out) => populate(20_000_000, out) },
};

const { values: opts } = parseArgs({
  options: {
    shapes: { type: 'string', default: '500mb,2gb,20m' },
    runs: { type: 'string', default: '3' },
    commands: { type: 'string', default: ANALYSIS.join(',') },
    'no-servers': { type: 'boolean', default: false },
    'no-tui': { type: 'boolean', default: false },
  },
});
const runs = Math.max(1, Number(opts.runs) || 3);
const shapes = opts.shapes.split(',').map((s) => s.trim()).filter(Boolean);
for (const s of shapes) if (!SHAPES[s]) fail(`unknown shape '${s}' (${Object.keys(SHAPES).join(', ')})`);
const commands = opts.commands.split(',').map((s) => s.trim()).filter(Boolean);
for (const c of commands) if (!ANALYSIS.includes(c)) fail(`unknown command '${c}' (${ANALYSIS.join(', ')})`);
const haveTmux = hasCommand('tmux');

function fail(msg) {
  console.error(`bench:scale: ${msg}`);
  process.exit(2);
}

function hasCommand(cmd) {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const run = runTimed;

/** VmRSS and VmHWM (KiB) of a live pid, from /proc. */
function procRss(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    return { rss: Number(/VmRSS:\s+(\d+)/.exec(s)?.[1] ?? NaN), hwm: Number(/VmHWM:\s+(\d+)/.exec(s)?.[1] ?? NaN) };
  } catch {
    return { rss: NaN, hwm: NaN };
  }
}

/** One RESP command on a fresh connection; the raw reply text (or null when refused). */
function resp(port, argv, timeoutMs = 2000) {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    let buf = '';
    const done = (v) => {
      sock.destroy();
      resolve(v);
    };
    const t = setTimeout(() => done(null), timeoutMs);
    sock.once('error', () => {
      clearTimeout(t);
      done(null);
    });
    sock.on('connect', () => sock.write(`*${argv.length}\r\n${argv.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`));
    sock.on('data', (d) => {
      buf += d.toString('latin1');
      if (!buf.includes('\r\n')) return;
      if (buf[0] === '$') {
        const len = Number(buf.slice(1, buf.indexOf('\r\n')));
        if (len >= 0 && buf.length < buf.indexOf('\r\n') + 2 + len + 2) return;
      }
      clearTimeout(t);
      done(buf);
    });
  });
}

/** Per-db key counts from INFO keyspace text ("db0:keys=1,expires=0,..."). */
function keyspaceOf(info) {
  const out = {};
  for (const m of info.matchAll(/^db(\d+):keys=(\d+)/gm)) out[m[1]] = Number(m[2]);
  return out;
}

async function generate(scale, out) {
  console.log(`bench:scale: generating ${path.relative(root, out)} (samples/generate.ts --scale ${scale} --seed 42)...`);
  const r = await run(process.execPath, ['--import', 'tsx', 'samples/generate.ts', '--scale', String(scale), '--out', out, '--seed', '42'], { inherit: true });
  if (r.code !== 0) fail(`generator exited ${r.code ?? r.signal}`);
}

async function populate(n, out) {
  console.log(`bench:scale: generating ${path.relative(root, out)} (DEBUG POPULATE ${n}, SAVE)...`);
  const dir = mkdtempSync(path.join(tmpdir(), 'rdblens-scale-'));
  const port = await freePort();
  const srv = start('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--dbfilename', 'populate.rdb', '--enable-debug-command', 'local']);
  try {
    await waitFor(async () => (await resp(port, ['PING']))?.startsWith('+PONG'), 30_000);
    const pop = await resp(port, ['DEBUG', 'POPULATE', String(n)], 600_000);
    if (!pop?.startsWith('+OK')) fail(`DEBUG POPULATE answered ${pop}`);
    const save = await resp(port, ['SAVE'], 600_000);
    if (!save?.startsWith('+OK')) fail(`SAVE answered ${save}`);
    copyFileSync(path.join(dir, 'populate.rdb'), out);
  } finally {
    await stop(srv);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function waitFor(pred, timeoutMs, stepMs = 20) {
  const t0 = Date.now();
  while (!(await pred())) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms`);
    await sleep(stepMs);
  }
}

/** redis-server loading the dump: seconds until PING answers +PONG (not -LOADING), RSS then. */
async function redisLoad(dump) {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'rdblens-scale-load-'));
  const t0 = performance.now();
  const srv = start('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', path.dirname(dump), '--dbfilename', path.basename(dump)], dir);
  try {
    await waitFor(async () => (await resp(port, ['PING']))?.startsWith('+PONG'), 900_000, 10);
    const seconds = (performance.now() - t0) / 1000;
    const { rss } = procRss(srv.pid);
    const info = (await resp(port, ['INFO', 'keyspace'])) ?? '';
    return { seconds, rssKB: rss, keyspace: keyspaceOf(info) };
  } finally {
    await stop(srv);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** rdblens serve: seconds until DBSIZE of every db equals the reference's; RSS then and peak. */
async function serveReady(dump, keyspace) {
  const port = await freePort();
  const t0 = performance.now();
  const srv = start(process.execPath, [CLI, 'serve', dump, '--port', String(port)]);
  try {
    const dbs = Object.keys(keyspace);
    await waitFor(async () => {
      for (const db of dbs) {
        // a fresh connection per poll: SELECT db pipelined with DBSIZE
        const size = await dbsize(port, db);
        if (size !== keyspace[db]) return false;
      }
      return true;
    }, 900_000, 20);
    const seconds = (performance.now() - t0) / 1000;
    await sleep(200);
    const { rss, hwm } = procRss(srv.pid);
    return { seconds, rssKB: rss, peakKB: hwm, nameBytes: meanKeyName(port) };
  } finally {
    await stop(srv);
  }
}

/** Mean key name length over a SCAN sample of up to 20000 keys (redis-cli --scan). */
function meanKeyName(port) {
  try {
    const out = execFileSync('sh', ['-c', `redis-cli -p ${port} --scan | head -n 20000`], { maxBuffer: 64 << 20 }).toString('latin1');
    const names = out.split('\n').filter(Boolean);
    return names.length === 0 ? NaN : names.reduce((a, n) => a + Buffer.byteLength(n, 'latin1'), 0) / names.length;
  } catch {
    return NaN;
  }
}

/** RSS (KiB) of `rdblens serve` with no dump once it answers: the base the per-key figures are over. */
async function emptyServeRss() {
  const port = await freePort();
  const srv = start(process.execPath, [CLI, 'serve', '--port', String(port)]);
  try {
    await waitFor(async () => (await resp(port, ['PING']))?.startsWith('+PONG'), 60_000, 20);
    await sleep(200);
    return procRss(srv.pid).rss;
  } finally {
    await stop(srv);
  }
}

function dbsize(port, db) {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    let buf = '';
    const t = setTimeout(() => (sock.destroy(), resolve(-1)), 2000);
    sock.once('error', () => (clearTimeout(t), resolve(-1)));
    sock.on('connect', () => sock.write(`*2\r\n$6\r\nSELECT\r\n$${db.length}\r\n${db}\r\n*1\r\n$6\r\nDBSIZE\r\n`));
    sock.on('data', (d) => {
      buf += d.toString('latin1');
      const m = /^[+-][^\r]*\r\n(:(\d+)|-[^\r]*)\r\n/.exec(buf);
      if (!m) return;
      clearTimeout(t);
      sock.destroy();
      resolve(m[2] === undefined ? -1 : Number(m[2]));
    });
  });
}

/** rdblens tui in a tmux pane: seconds until the overview is drawn; RSS then and peak. */
async function tuiOverview(dump) {
  const session = `rdblens-scale-${process.pid}-${Math.floor(Math.random() * 1e9)}`;
  const t0 = performance.now();
  execFileSync('tmux', ['new-session', '-d', '-s', session, '-x', '120', '-y', '40', process.execPath, CLI, 'tui', dump], { cwd: root });
  try {
    const pid = Number(execFileSync('tmux', ['display-message', '-p', '-t', session, '#{pane_pid}']).toString().trim());
    let hwm = 0;
    let first = NaN;
    await waitFor(async () => {
      hwm = Math.max(hwm, procRss(pid).hwm || 0);
      const screen = execFileSync('tmux', ['capture-pane', '-p', '-t', session]).toString();
      // the overview as it accrues (while loading) first; done once MEMORY STATS / used_memory are in
      if (Number.isNaN(first) && screen.includes('1 Overview')) first = (performance.now() - t0) / 1000;
      return screen.includes('1 Overview') && /used_memory|MEMORY STATS/i.test(screen);
    }, 900_000, 50);
    const seconds = (performance.now() - t0) / 1000;
    await sleep(200);
    const r = procRss(pid);
    return { seconds, first, rssKB: r.rss, peakKB: Math.max(hwm, r.hwm) };
  } finally {
    try {
      execFileSync('tmux', ['kill-session', '-t', session], { stdio: 'ignore' });
    } catch {
      // the session is gone already (the app exited): nothing to stop
    }
  }
}

function median(xs) {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
}

const s1 = (x) => (Number.isFinite(x) ? `${x.toFixed(1)} s` : '-');
const mb = (kb) => (Number.isFinite(kb) ? (kb >= 1024 * 1024 ? `${(kb / 1048576).toFixed(2)} GB` : `${Math.round(kb / 1024)} MB`) : '-');
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}x` : '-');

if (!existsSync(path.join(root, 'dist', 'cli', 'rdblens.js'))) fail('dist/cli/rdblens.js is missing: run `npm run build` (npm run bench:scale does)');
if (!hasCommand('redis-check-rdb') || !hasCommand('redis-server')) fail('needs redis-server and redis-check-rdb (apt-get install -y redis-server redis-tools)');
mkdirSync(OUT, { recursive: true });
for (const s of shapes) {
  const out = path.join(OUT, SHAPES[s].file);
  if (!existsSync(out)) await SHAPES[s].make(out);
}

console.log(`bench:scale: ${runs} interleaved round(s), medians; ${process.execPath} ${process.version}; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
const results = [];
const emptyKB = opts['no-servers'] ? NaN : await emptyServeRss();
for (const s of shapes) {
  const dump = path.join(OUT, SHAPES[s].file);
  const samples = {};
  const add = (k, v) => (samples[k] ??= []).push(v);
  for (let round = 0; round < runs; round++) {
    const ref = await run('redis-check-rdb', [dump]);
    if (ref.code !== 0) fail(`redis-check-rdb ${dump} exited ${ref.code}: ${ref.stderr.slice(-500)}`);
    add('check', ref);
    for (const c of commands) {
      const r = await run(process.execPath, [CLI, c, '-q', dump]);
      if (r.code !== 0) fail(`rdblens ${c} ${dump} exited ${r.code ?? r.signal}: ${r.stderr.slice(-1000)}`);
      add(c, r);
    }
    if (!opts['no-servers']) {
      const load = await redisLoad(dump);
      add('load', load);
      add('serve', await serveReady(dump, load.keyspace));
      samples.keys = Object.values(load.keyspace).reduce((a, b) => a + b, 0);
    }
    if (!opts['no-tui'] && haveTmux) add('tui', await tuiOverview(dump));
    process.stdout.write(`  ${s}: round ${round + 1}/${runs} done\n`);
  }
  const med = (k, f = 'seconds') => median((samples[k] ?? []).map((x) => x[f]));
  results.push({ s, dump, samples, med });
}

const header = ['dump (generator)', 'keys', 'redis-check-rdb', ...commands, 'redis-server load, RSS', 'serve ready, RSS (peak)', 'tui overview, RSS (peak)'];
const rows = results.map(({ s, samples, med }) => [
  SHAPES[s].what,
  samples.keys ? `${(samples.keys / 1e6).toFixed(2)}M` : '-',
  s1(med('check')),
  ...commands.map((c) => `${s1(med(c))}, ${mb(median(samples[c].map((x) => x.rssKB)))}`),
  `${s1(med('load'))}, ${mb(med('load', 'rssKB'))}`,
  `${s1(med('serve'))}, ${mb(med('serve', 'rssKB'))} (${mb(med('serve', 'peakKB'))})`,
  `${s1(med('tui'))}, ${mb(med('tui', 'rssKB'))} (${mb(med('tui', 'peakKB'))})`,
]);
console.log('');
console.log(`| ${header.join(' | ')} |`);
console.log(`|${header.map(() => '---').join('|')}|`);
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
console.log('');
console.log('Ratios (time / reference; target <= 1.00): analysis commands to redis-check-rdb, serve and tui to redis-server load');
for (const { s, samples, med } of results) {
  const parts = commands.map((c) => `${c} ${ratio(med(c), med('check'))}`);
  parts.push(`serve ${ratio(med('serve'), med('load'))}`, `tui ${ratio(med('tui'), med('load'))}`);
  const perKey = (k) => (samples.keys ? `${Math.round((med(k, 'rssKB') * 1024) / samples.keys)} B/key` : '-');
  // the issue's measure: (RSS - RSS of an empty serve) / keys - mean key name length; and the peak over the steady state
  const name = med('serve', 'nameBytes');
  const beside = (k) => (samples.keys && Number.isFinite(name) ? `${Math.round((((med(k, 'rssKB') - emptyKB) * 1024) / samples.keys) - name)} B/key` : '-');
  const over = (k) => (Number.isFinite(med(k, 'peakKB')) ? `+${Math.round((med(k, 'peakKB') / med(k, 'rssKB') - 1) * 100)}%` : '-');
  console.log(`  ${s}: ${parts.join('  ')};  resident per key (incl. names): serve ${perKey('serve')}, tui ${perKey('tui')}`);
  console.log(`  ${s}: tui first figures (the overview accruing) at ${s1(med('tui', 'first'))}`);
  console.log(`  ${s}: beside the key names (mean ${Number.isFinite(name) ? name.toFixed(1) : '-'} B; empty serve ${mb(emptyKB)}): serve ${beside('serve')}, tui ${beside('tui')} (target <= 64); peak over steady: serve ${over('serve')}, tui ${over('tui')} (target <= +10%)`);
}
if (!hasTime) console.log(`(${TIME_BIN} not found: no peak RSS for the analysis commands)`);
