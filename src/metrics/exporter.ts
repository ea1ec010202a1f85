/**
 * `rdblens serve --metrics <host:port>`: Prometheus metrics at /metrics (text format 0.0.4, or
 * OpenMetrics 1.0 when the scraper asks for it in Accept), with prom-client. Every scrape takes
 * one snapshot of the server (snapshot.ts) and every metric reads it. Names follow Prometheus'
 * conventions: `rdblens_` prefix, base units (`_bytes`, `_seconds`), `_total` for counters,
 * labels with bounded values (db numbers, types, encodings, TTL buckets, the top-N prefixes
 * plus "(other)", DOCTOR tip ids, link states). docs/metrics.md lists them with a scrape.
 */
import http from 'node:http';
import { Counter, Gauge, Registry, type Metric } from 'prom-client';
import { TTL_BUCKETS } from '../memory/aggregate.js';
import type { LinkState } from '../replica/link.js';
import { takeSnapshot, type MetricsOptions, type MetricsSource, type Snapshot } from './snapshot.js';

const LINK_STATES: readonly LinkState[] = ['connecting', 'handshake', 'waiting-rdb', 'rdb', 'connected', 'down', 'closed'];

/** MEMORY STATS fields that are ratios (exported as 0..1) rather than bytes or counts. */
function statsMetricName(field: string): { kind: 'bytes' | 'ratio' | 'count'; scale: number } {
  if (field.endsWith('.percentage')) return { kind: 'ratio', scale: 0.01 };
  if (field.endsWith('.ratio') || field === 'fragmentation') return { kind: 'ratio', scale: 1 };
  if (field === 'keys.count') return { kind: 'count', scale: 1 };
  return { kind: 'bytes', scale: 1 };
}

export interface MetricsExporter {
  readonly port: number;
  readonly host: string;
  /** the registries' text now (tests) */
  scrape(openMetrics?: boolean): Promise<string>;
  close(): Promise<void>;
}

export function buildRegistries(src: MetricsSource, o: MetricsOptions): { prom: Registry; om: Registry; scrapeSnapshot: () => void } {
  const prom = new Registry();
  const om = new Registry();
  om.setContentType(Registry.OPENMETRICS_CONTENT_TYPE as never);
  const registers = [prom, om];
  let snap: Snapshot | null = null;
  const s = (): Snapshot => (snap ??= takeSnapshot(src, o));
  const scrapeSnapshot = (): void => {
    snap = takeSnapshot(src, o);
  };

  const gauge = (name: string, help: string, labelNames: string[], fill: (g: Gauge<string>, sn: Snapshot) => void): Metric =>
    new Gauge({
      name,
      help,
      labelNames,
      registers,
      collect(this: Gauge<string>) {
        this.reset();
        fill(this, s());
      },
    });
  const counter = (name: string, help: string, value: (sn: Snapshot) => number | null): Metric =>
    new Counter({
      name,
      help,
      registers,
      collect(this: Counter<string>) {
        this.reset();
        const v = value(s());
        if (v !== null && v > 0) this.inc(v);
      },
    });

  gauge('rdblens_used_memory_bytes', "Estimated used_memory of the modelled server (MEMORY STATS total.allocated)", [], (g, sn) => g.set(sn.usedMemory));
  gauge('rdblens_memory_stats_bytes', 'MEMORY STATS figures in bytes, by field', ['field'], (g, sn) => {
    for (const [k, v] of sn.memoryStats) if (typeof v === 'number' && statsMetricName(k).kind === 'bytes') g.set({ field: k }, v);
  });
  gauge('rdblens_memory_stats_ratio', 'MEMORY STATS ratios (percentages as 0..1), by field', ['field'], (g, sn) => {
    for (const [k, v] of sn.memoryStats) {
      const m = statsMetricName(k);
      if (typeof v === 'number' && m.kind === 'ratio') g.set({ field: k }, v * m.scale);
    }
  });
  gauge('rdblens_memory_stats_keys', 'MEMORY STATS keys.count', [], (g, sn) => {
    for (const [k, v] of sn.memoryStats) if (k === 'keys.count' && typeof v === 'number') g.set(v);
  });
  gauge('rdblens_memory_stats_db_overhead_bytes', 'MEMORY STATS db.N hash table overheads', ['db', 'field'], (g, sn) => {
    for (const [k, v] of sn.memoryStats) {
      if (!Array.isArray(v)) continue;
      const db = k.replace(/^db\./, '');
      for (const [f, x] of v) g.set({ db, field: f }, x);
    }
  });
  gauge('rdblens_keys', 'Keys (not expired)', [], (g, sn) => g.set(sn.total.keys));
  gauge('rdblens_keys_bytes', "Sum of the keys' MEMORY USAGE", [], (g, sn) => g.set(sn.total.bytes));
  gauge('rdblens_db_keys', 'Keys per database', ['db'], (g, sn) => {
    for (const d of sn.byDb) g.set({ db: String(d.db) }, d.keys);
  });
  gauge('rdblens_db_bytes', "Sum of MEMORY USAGE per database", ['db'], (g, sn) => {
    for (const d of sn.byDb) g.set({ db: String(d.db) }, d.bytes);
  });
  gauge('rdblens_db_expires', 'Keys with a TTL per database', ['db'], (g, sn) => {
    for (const d of sn.byDb) g.set({ db: String(d.db) }, d.expires);
  });
  gauge('rdblens_type_keys', 'Keys per data type', ['type'], (g, sn) => {
    for (const t of sn.byType) g.set({ type: t.type }, t.keys);
  });
  gauge('rdblens_type_bytes', 'Sum of MEMORY USAGE per data type', ['type'], (g, sn) => {
    for (const t of sn.byType) g.set({ type: t.type }, t.bytes);
  });
  gauge('rdblens_encoding_keys', 'Keys per data type and encoding (OBJECT ENCODING)', ['type', 'encoding'], (g, sn) => {
    for (const t of sn.byTypeEncoding) g.set({ type: t.type, encoding: t.encoding }, t.keys);
  });
  gauge('rdblens_encoding_bytes', 'Sum of MEMORY USAGE per data type and encoding', ['type', 'encoding'], (g, sn) => {
    for (const t of sn.byTypeEncoding) g.set({ type: t.type, encoding: t.encoding }, t.bytes);
  });
  gauge('rdblens_prefix_keys', `Keys per key prefix at depth ${o.depth}: the top ${o.topPrefixes} by bytes, the rest under prefix="(other)"`, ['prefix'], (g, sn) => {
    for (const p of sn.prefixes) g.set({ prefix: p.prefix }, p.keys);
  });
  gauge('rdblens_prefix_bytes', `Sum of MEMORY USAGE per key prefix at depth ${o.depth}: the top ${o.topPrefixes}, the rest under prefix="(other)"`, ['prefix'], (g, sn) => {
    for (const p of sn.prefixes) g.set({ prefix: p.prefix }, p.bytes);
  });
  gauge('rdblens_no_ttl_keys', 'Keys without a TTL', [], (g, sn) => g.set(sn.ttl.find((t) => t.bucket === 'none')!.keys));
  gauge('rdblens_no_ttl_bytes', 'Sum of MEMORY USAGE of the keys without a TTL', [], (g, sn) => g.set(sn.ttl.find((t) => t.bucket === 'none')!.bytes));
  gauge('rdblens_ttl_keys', `Keys per time left to live (${TTL_BUCKETS.join(', ')})`, ['bucket'], (g, sn) => {
    for (const t of sn.ttl) g.set({ bucket: t.bucket }, t.keys);
  });
  gauge('rdblens_ttl_bytes', 'Sum of MEMORY USAGE per time left to live', ['bucket'], (g, sn) => {
    for (const t of sn.ttl) g.set({ bucket: t.bucket }, t.bytes);
  });
  gauge('rdblens_doctor_tip_bytes', "Bytes each MEMORY DOCTOR tip would save (kind=saving) or concerns (kind=at-stake), from the last full load", ['tip', 'kind'], (g, sn) => {
    for (const t of sn.tips) g.set({ tip: t.id, kind: t.kind }, t.bytes);
  });

  if (src.follower) followerMetrics(gauge, counter);
  if (src.refresh) refreshMetrics(gauge, counter);
  gauge('rdblens_info', 'The modelled server: version and profile', ['redis_version', 'profile'], (g) => {
    g.set({ redis_version: src.server.redisVersion(), profile: src.server.profile.id }, 1);
  });
  gauge('rdblens_scrape_timestamp_seconds', 'When this snapshot of the keyspace was taken', [], (g, sn) => g.set(sn.at / 1000));
  return { prom, om, scrapeSnapshot };
}

type GaugeFn = (name: string, help: string, labelNames: string[], fill: (g: Gauge<string>, sn: Snapshot) => void) => Metric;
type CounterFn = (name: string, help: string, value: (sn: Snapshot) => number | null) => Metric;

/** A follower (serve --replicaof): its link to the primary. */
function followerMetrics(gauge: GaugeFn, counter: CounterFn): void {
  gauge('rdblens_replica_link_up', 'Whether the link to the primary is up (master_link_status)', [], (g, sn) => {
    if (sn.follower) g.set(sn.follower.up ? 1 : 0);
  });
  gauge('rdblens_replica_link_state', 'The link to the primary: 1 for its current state', ['state'], (g, sn) => {
    if (sn.follower) for (const st of LINK_STATES) g.set({ state: st }, sn.follower.state === st ? 1 : 0);
  });
  gauge('rdblens_replica_last_io_seconds', 'Seconds since the last interaction with the primary (master_last_io_seconds_ago)', [], (g, sn) => {
    if (sn.follower) g.set(sn.follower.lastIoSecondsAgo);
  });
  gauge('rdblens_replica_lag_bytes', 'Replication stream bytes read but not yet applied', [], (g, sn) => {
    if (sn.follower) g.set(sn.follower.lagBytes);
  });
  gauge('rdblens_replica_offset_bytes', 'Replication offset applied (slave_repl_offset)', [], (g, sn) => {
    if (sn.follower) g.set(sn.follower.offset);
  });
  gauge('rdblens_replica_sync_in_progress', 'Whether a full sync is being read', [], (g, sn) => {
    if (sn.follower) g.set(sn.follower.syncing ? 1 : 0);
  });
  gauge('rdblens_replica_sync_read_bytes', 'RDB bytes read of the full sync in progress', [], (g, sn) => {
    if (sn.follower) g.set(sn.follower.syncReadBytes);
  });
  gauge('rdblens_replica_sync_size_bytes', 'RDB size of the full sync in progress (-1: unknown, diskless)', [], (g, sn) => {
    if (sn.follower) g.set(sn.follower.syncTotalBytes);
  });
  gauge('rdblens_replica_sync_keys_loaded', 'Keys loaded so far from the full sync in progress', [], (g, sn) => {
    if (sn.follower) g.set(sn.follower.keysLoaded);
  });
  gauge('rdblens_replica_stale_keys', 'Keys whose figures may be off (written by a command the engine does not model)', [], (g, sn) => {
    if (sn.follower) g.set(sn.follower.staleKeys);
  });
  counter('rdblens_replica_full_syncs_total', 'Full syncs taken from the primary', (sn) => sn.follower?.fullSyncs ?? null);
  counter('rdblens_replica_partial_syncs_total', 'Partial resyncs (PSYNC continue)', (sn) => sn.follower?.partialSyncs ?? null);
  counter('rdblens_replica_commands_applied_total', 'Commands of the replication stream applied', (sn) => sn.follower?.commandsApplied ?? null);
  counter('rdblens_replica_unsupported_commands_total', 'Commands of the stream the engine does not model', (sn) => sn.follower?.unsupportedCommands ?? null);
}

/** Live sources read on a schedule (serve redis://... --refresh). */
function refreshMetrics(gauge: GaugeFn, counter: CounterFn): void {
  gauge('rdblens_source_last_refresh_timestamp_seconds', 'When the live sources were last read completely (unix time)', [], (g, sn) => {
    if (sn.refresh && sn.refresh.lastRefresh > 0) g.set(sn.refresh.lastRefresh / 1000);
  });
  gauge('rdblens_source_refresh_duration_seconds', 'How long the last complete read of the live sources took', [], (g, sn) => {
    if (sn.refresh && sn.refresh.lastRefresh > 0) g.set(sn.refresh.lastDuration / 1000);
  });
  counter('rdblens_source_refreshes_total', 'Complete re-reads of the live sources after the first', (sn) => sn.refresh?.refreshes ?? null);
  counter('rdblens_source_refresh_failures_total', 'Re-reads of the live sources that failed (the previous data is kept)', (sn) => sn.refresh?.failures ?? null);
}

/** Listen on host:port; /metrics answers, anything else is 404. */
export async function startMetrics(src: MetricsSource, o: MetricsOptions, host: string, port: number): Promise<MetricsExporter> {
  const { prom, om, scrapeSnapshot } = buildRegistries(src, o);
  const scrape = async (openMetrics = false): Promise<string> => {
    scrapeSnapshot();
    return (openMetrics ? om : prom).metrics();
  };
  const server = http.createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    if (url !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('rdblens: metrics are at /metrics\n');
      return;
    }
    const wantOm = /application\/openmetrics-text/.test(req.headers.accept ?? '');
    scrape(wantOm).then(
      (text) => {
        res.writeHead(200, { 'Content-Type': wantOm ? om.contentType : prom.contentType });
        res.end(req.method === 'HEAD' ? undefined : text);
      },
      (err: unknown) => {
        res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`rdblens: metrics failed: ${err instanceof Error ? err.message : String(err)}\n`);
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address();
  const bound = typeof addr === 'object' && addr ? addr.port : port;
  return {
    host,
    port: bound,
    scrape,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
