/**
 * `rdblens serve --metrics` scraped by a real Prometheus (Debian's `prometheus`, started here on
 * loopback with a temporary config and TSDB, scrape interval 1s): after a scrape, the query API
 * returns the values `rdblens report --json` gives for the same dump; for a follower
 * (`serve --replicaof`), a write on the primary shows in a later scrape.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { findFreePort, needProgram, startRedis } from '../helpers/redis-server.js';
import { startServeProcess, type ServeProcess } from '../helpers/serve-process.js';
import { rdblens } from '../cli/cli-helpers.js';
import { dataPipe } from '../source/data.js';

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

async function query(port: number, q: string): Promise<Sample[]> {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(q)}`);
  const body = (await res.json()) as { status: string; data: { result: Sample[] }; error?: string };
  if (body.status !== 'success') throw new Error(`query ${q}: ${body.error}`);
  return body.data.result;
}

async function waitFor<T>(what: string, fn: () => Promise<T | null>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown = null;
  for (;;) {
    try {
      const v = await fn();
      if (v !== null) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function metricsPort(s: ServeProcess): number {
  const m = /metrics on http:\/\/127\.0\.0\.1:(\d+)\/metrics/.exec(s.log());
  if (!m) throw new Error(`no metrics line in: ${s.log()}`);
  return Number(m[1]);
}

async function startPrometheus(dir: string, targets: Record<string, number>): Promise<{ port: number; child: ChildProcess; log: () => string }> {
  const jobs = Object.entries(targets)
    .map(([job, port]) => `  - job_name: ${job}\n    static_configs:\n      - targets: ['127.0.0.1:${port}']\n`)
    .join('');
  const cfg = path.join(dir, 'prometheus.yml');
  await writeFile(cfg, `global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\nscrape_configs:\n${jobs}`);
  const port = await findFreePort();
  const child = spawn('prometheus', [`--config.file=${cfg}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  await waitFor('prometheus to be ready', async () => {
    if (child.exitCode !== null) throw new Error(`prometheus exited ${child.exitCode}: ${log}`);
    const r = await fetch(`http://127.0.0.1:${port}/-/ready`);
    return r.ok ? true : null;
  });
  return { port, child, log: () => log };
}

function stopByPid(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(() => {
      if (child.exitCode === null) process.kill(child.pid!, 'SIGKILL');
    }, 10_000);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    process.kill(child.pid!, 'SIGTERM');
  });
}

const value = (s: Sample[] | undefined): number => (s && s.length === 1 ? Number(s[0]!.value[1]) : NaN);

test('Prometheus scrapes serve --metrics: values equal report --json; a follower shows a write on the primary', { timeout: 240_000 }, async (t) => {
  if (!needProgram('prometheus', t)) return;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rdblens-prom-'));
  const source = await startRedis();
  const primary = await startRedis();
  const serves: ServeProcess[] = [];
  let prom: Awaited<ReturnType<typeof startPrometheus>> | null = null;
  try {
    await source.pipe(dataPipe({ otherDb: true }));
    const dump = await source.save();
    await primary.pipe(dataPipe({ otherDb: false }));
    const dumpServe = await startServeProcess(['--port', '0', '--metrics', '127.0.0.1:0', '--metrics-prefixes', '50', dump]);
    serves.push(dumpServe);
    const follower = await startServeProcess(['--port', '0', '--metrics', '127.0.0.1:0', '--replicaof', `127.0.0.1:${primary.port}`]);
    serves.push(follower);
    const live = await startServeProcess(['--port', '0', '--metrics', '127.0.0.1:0', '--refresh', '1s', `redis://127.0.0.1:${source.port}`]);
    serves.push(live);
    prom = await startPrometheus(dir, { dump: metricsPort(dumpServe), follower: metricsPort(follower), live: metricsPort(live) });
    const P = prom.port;
    const one = (q: string) => query(P, q).then(value);

    await waitFor('the targets up', async () => ((await query(P, 'up == 1')).length === 3 ? true : null));
    await waitFor('a scrape of the dump', async () => (Number.isFinite(await one('rdblens_keys{job="dump"}')) ? true : null));

    const rep = await rdblens(['report', '--json', '-q', '--prefixes', '1000', dump]);
    assert.equal(rep.code, 0, rep.stderr);
    const j = JSON.parse(rep.stdout) as {
      total: { keys: number; bytes: number };
      memory_stats: Record<string, number | Record<string, number>>;
      types: Array<{ type: string; keys: number; bytes: number }>;
      encodings: Array<{ type: string; encoding: string; keys: number; bytes: number }>;
      ttl: Array<{ ttl: string; keys: number; bytes: number }>;
      databases: Array<{ db: number; keys: number; expires: number; bytes: number }>;
      prefixes: Array<{ prefix: string; depth: number; keys: number; bytes: number }>;
      doctor: string;
    };
    const job = '{job="dump"}';
    const sel = (labels: Record<string, string>) => `{job="dump",${Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}}`;
    assert.equal(await one(`rdblens_keys${job}`), j.total.keys);
    assert.equal(await one(`rdblens_keys_bytes${job}`), j.total.bytes);
    assert.equal(await one(`rdblens_used_memory_bytes${job}`), j.memory_stats['total.allocated']);
    for (const [field, v] of Object.entries(j.memory_stats)) {
      if (typeof v === 'number' && !/percentage|ratio|^fragmentation$|keys\.count/.test(field)) assert.equal(await one(`rdblens_memory_stats_bytes${sel({ field })}`), v, field);
      if (typeof v === 'number' && field.endsWith('.percentage')) assert.ok(Math.abs((await one(`rdblens_memory_stats_ratio${sel({ field })}`)) - v / 100) < 1e-9, field);
      if (typeof v === 'object') {
        for (const [f, x] of Object.entries(v)) assert.equal(await one(`rdblens_memory_stats_db_overhead_bytes${sel({ db: field.slice(3), field: f })}`), x, `${field} ${f}`);
      }
    }
    assert.equal(await one(`rdblens_memory_stats_keys${job}`), j.memory_stats['keys.count']);
    for (const ty of j.types) {
      assert.equal(await one(`rdblens_type_keys${sel({ type: ty.type })}`), ty.keys, ty.type);
      assert.equal(await one(`rdblens_type_bytes${sel({ type: ty.type })}`), ty.bytes, ty.type);
    }
    assert.equal((await query(P, `rdblens_type_keys${job}`)).length, j.types.length);
    for (const e of j.encodings) {
      assert.equal(await one(`rdblens_encoding_keys${sel({ type: e.type, encoding: e.encoding })}`), e.keys);
      assert.equal(await one(`rdblens_encoding_bytes${sel({ type: e.type, encoding: e.encoding })}`), e.bytes);
    }
    for (const d of j.databases) {
      assert.equal(await one(`rdblens_db_keys${sel({ db: String(d.db) })}`), d.keys);
      assert.equal(await one(`rdblens_db_bytes${sel({ db: String(d.db) })}`), d.bytes);
      assert.equal(await one(`rdblens_db_expires${sel({ db: String(d.db) })}`), d.expires);
    }
    for (const b of j.ttl) {
      assert.equal(await one(`rdblens_ttl_keys${sel({ bucket: b.ttl })}`), b.keys, b.ttl);
      assert.equal(await one(`rdblens_ttl_bytes${sel({ bucket: b.ttl })}`), b.bytes, b.ttl);
    }
    const none = j.ttl.find((b) => b.ttl === 'none')!;
    assert.equal(await one(`rdblens_no_ttl_bytes${job}`), none.bytes);
    // the depth-1 prefixes, every one (fewer than --metrics-prefixes), and "(other)" the rest
    const depth1 = j.prefixes.filter((p) => p.depth === 1);
    assert.ok(depth1.length > 5);
    for (const p of depth1) assert.equal(await one(`rdblens_prefix_bytes${sel({ prefix: p.prefix })}`), p.bytes, p.prefix);
    const other = await one(`rdblens_prefix_bytes${sel({ prefix: '(other)' })}`);
    assert.equal(other, j.total.bytes - depth1.reduce((s, p) => s + p.bytes, 0));
    // every DOCTOR tip that saves bytes, by the figure its text gives
    const savings = [...j.doctor.matchAll(/^ \* .*: saves (\d+) bytes$/gm)].map((m) => Number(m[1])).sort((a, b) => a - b);
    assert.ok(savings.length > 0, j.doctor);
    const tipSamples = await query(P, `rdblens_doctor_tip_bytes{job="dump",kind="saving"}`);
    assert.deepEqual(tipSamples.map((s) => Number(s.value[1])).sort((a, b) => a - b), savings);

    // the live source (the dump's own server): the same figures, and its refreshes
    assert.equal(await one('rdblens_keys{job="live"}'), j.total.keys);
    assert.equal(await one('rdblens_keys_bytes{job="live"}'), j.total.bytes);
    assert.equal(await one('rdblens_used_memory_bytes{job="live"}'), j.memory_stats['total.allocated']);
    await waitFor('a refresh of the live source', async () => ((await one('rdblens_source_refreshes_total{job="live"}')) >= 1 ? true : null));
    const age = await one('time() - rdblens_source_last_refresh_timestamp_seconds{job="live"}');
    assert.ok(age >= 0 && age < 60, `last refresh ${age} s ago`);

    // the follower: synced, then a write on the primary arrives in a later scrape
    const keys = Number(await primary.command('DBSIZE'));
    await waitFor('the follower synced', async () => ((await one('rdblens_keys{job="follower"}')) === keys && (await one('rdblens_replica_link_up{job="follower"}')) === 1 ? true : null));
    const before = await one('rdblens_type_keys{job="follower",type="set"}');
    await primary.command('SADD', 'newset', 'a', 'b', 'c');
    await waitFor('the write in a later scrape', async () => ((await one('rdblens_keys{job="follower"}')) === keys + 1 ? true : null));
    assert.equal(await one('rdblens_type_keys{job="follower",type="set"}'), before + 1);
    assert.equal(await one('rdblens_replica_link_state{job="follower",state="connected"}'), 1);
    assert.ok((await one('rdblens_replica_commands_applied_total{job="follower"}')) >= 1);
    assert.equal(await one('rdblens_replica_full_syncs_total{job="follower"}'), 1);

    // the Grafana dashboard's queries run on this Prometheus, and those over every instance answer
    const dash = JSON.parse(await readFile(path.resolve('docs/grafana-dashboard.json'), 'utf8')) as { panels: Array<{ type: string; title: string; targets?: Array<{ expr: string }> }> };
    let answered = 0;
    for (const panel of dash.panels) {
      for (const target of panel.targets ?? []) {
        const expr = target.expr.replaceAll('$job', '.*').replaceAll('$instance', '.*');
        const result = await query(P, expr);
        if (result.length > 0) answered++;
        else assert.match(panel.title, /refresh/i, `no data for "${panel.title}": ${expr}`);
      }
    }
    assert.ok(answered >= 15, `${answered} panel queries answered`);
  } finally {
    if (prom) await stopByPid(prom.child);
    for (const s of serves) await stopByPid(s.child);
    await source.stop();
    await primary.stop();
    await rm(dir, { recursive: true, force: true });
  }
});
