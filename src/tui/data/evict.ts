/**
 * The Evict view's data: the dumps loaded once into simulated servers (src/engine/evict-dump.ts,
 * the same as `rdblens evict`), then run for each limit, policy and mode typed in.
 */
import { loadForEviction, runEviction, type EvictMode, type EvictionRun, type SimServer } from '../../engine/evict-dump.js';
import { DEFAULT_EVICTION_CONFIG, type MaxmemoryPolicy } from '../../memory/evict.js';
import { evictSummary, victimOverlap, victimRows, type EvictSummary } from '../../report/evict.js';
import { KEY_COLUMNS } from '../../report/csv.js';
import { isoTime } from '../../report/format.js';
import { escapeBytes } from '../../report/escape.js';
import type { ExplorerOptions } from './explorer.js';
import type { CsvTable } from './export-csv.js';

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, k: 1e3, kb: 1024, m: 1e6, mb: 1024 ** 2, g: 1e9, gb: 1024 ** 3, t: 1e12, tb: 1024 ** 4 };

/** A size as typed: `100`, `64kb`, `1.5gb` (k=1000, kb=1024, as redis.conf); null when not one. */
export function parseLimit(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m ? SIZE_UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) return null;
  const n = Math.round(Number(m[1]) * unit);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

export interface EvictResult {
  maxmemory: number;
  policy: MaxmemoryPolicy;
  mode: EvictMode;
  run: EvictionRun;
  summary: EvictSummary;
  /** the other mode's victims count, and the share of this run's victims it evicts too */
  other: { mode: EvictMode; evictedKeys: number; overlap: number };
  /** the victims in eviction order, as CSV rows (export) */
  csv: CsvTable;
}

export class EvictSimulation {
  private servers: Promise<SimServer[]> | null = null;

  constructor(readonly options: ExplorerOptions) {}

  /** the dumps loaded into simulated servers (once) */
  load(): Promise<SimServer[]> {
    this.servers ??= loadForEviction(this.options.files, {
      ...(this.options.target ? { target: this.options.target } : {}),
      ...(this.options.config ? { config: this.options.config } : {}),
      ...(this.options.filter ? { filter: this.options.filter } : {}),
      eviction: DEFAULT_EVICTION_CONFIG,
      now: this.options.now,
    });
    return this.servers;
  }

  async run(maxmemory: number, policy: MaxmemoryPolicy, mode: EvictMode): Promise<EvictResult> {
    const servers = await this.load();
    const now = this.options.now;
    const cfg = { ...DEFAULT_EVICTION_CONFIG, maxmemory, 'maxmemory-policy': policy };
    for (const s of servers) s.configure(cfg);
    const otherMode: EvictMode = mode === 'exact' ? 'sampled' : 'exact';
    const other = runEviction(servers, otherMode, now);
    const otherVictims = servers.map((s) => s.victims);
    const run = runEviction(servers, mode, now);
    const summary = evictSummary(run, { separators: this.options.separators, depth: this.options.depth, top: 1000 });
    const escape = this.options.escape;
    const rows = [...victimRows(run)].map((r) => [r.db, r.type, escapeBytes(r.key, escape), r.bytes < 0 ? '' : r.bytes, r.encoding, r.length, r.maxElementLength, isoTime(r.expireAt)]);
    return {
      maxmemory,
      policy,
      mode,
      run,
      summary,
      other: { mode: otherMode, evictedKeys: other.evictedKeys, overlap: victimOverlap(servers.map((s) => s.victims), otherVictims) },
      csv: { name: 'evict', header: [...KEY_COLUMNS], rowCount: rows.length, rows: () => rows },
    };
  }
}
