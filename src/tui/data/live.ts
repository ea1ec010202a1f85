/**
 * The explorer on a followed primary (`rdblens tui --replicaof host:port`): an Instance
 * (src/instance) with no front end, its engine filled by a Follower (src/replica) from the primary's RDB and kept
 * current by its command stream. The views read the engine's keyspaces directly; what must be
 * computed over every key (the sort orders, the totals by type and encoding, the prefix tree,
 * the TTL distribution) is rebuilt by one time-sliced pass when something changed, at most every
 * `minRebuildMs` and never more than a third of the time (a pass over 2.3M keys takes about a
 * second of work: it then runs every few seconds, a slice of a few ms at a time, so keys pressed
 * meanwhile are answered). Between passes the header's figures (keys, used_memory, the link)
 * and the visible rows' sizes are read live.
 */
import { Instance } from '../../instance/instance.js';
import { Follower } from '../../replica/follower.js';
import type { LinkState } from '../../replica/link.js';
import type { Keyspace } from '../../engine/keyspace.js';
import type { LiveValue } from '../../engine/types/generic.js';
import type { DumpAnalysis } from '../../memory/analyze.js';
import { PrefixTree } from '../../memory/prefix-tree.js';
import type { MemoryStats } from '../../memory/stats.js';
import { DICT_ENTRY, ROBJ } from '../../memory/sizes.js';
import { keyOverhead } from '../../memory/live/key.js';
import type { EscapeMode } from '../../report/escape.js';
import { ExpiryTally } from './expiry.js';
import type { Explorer, ExplorerOptions } from './explorer.js';
import { KeyIndex, SORT_FIELDS, sortKey, type SortField } from './key-index.js';
import { ElementLines, scoreText, streamFieldsText, type ElementLine, type KeyDetail } from './key-detail.js';
import { radixScratch, radixSortSteps, type RadixScratch } from './radix.js';
import { doctorOf, errorMessage, fileSummary, noKeys, typeTallies, type Summary, type Tally } from './summary.js';

type Doctor = ReturnType<typeof doctorOf>;

export interface ReplicaTarget {
  host: string;
  port: number;
  masterauth?: string;
  masteruser?: string;
}

export type LinkStatus = 'connecting' | 'syncing' | 'up' | 'down';

/** The replication figures the header, overview and loading screen show (INFO replication). */
export interface ReplicationStatus {
  /** host:port */
  source: string;
  link: LinkStatus;
  state: LinkState;
  /** stream bytes read but not applied yet (rdblens_lag_bytes) */
  lagBytes: number;
  /** seconds since the primary last sent anything (master_last_io_seconds_ago) */
  lastIoSeconds: number;
  /** seconds the link has been down, -1 when up */
  downSeconds: number;
  applied: number;
  unsupported: number;
  /** `name=count` per unsupported command, most frequent first */
  unsupportedNames: string[];
  staleKeys: number;
  engineErrors: number;
  fullSyncs: number;
  partialSyncs: number;
  reconnects: number;
  lastError: string;
  /** a full sync in progress: RDB bytes read, its size (null: diskless), keys loaded */
  sync: { read: number; size: number | null; keys: number } | null;
  /** keys now (every db), and the used_memory estimate now */
  keys: number;
  usedMemory: number;
  /** at least one full sync done */
  synced: boolean;
}

export interface LiveExtras {
  feed: LiveFeed;
  /** when this explorer's pass started and how long it took */
  builtAt: number;
  buildMs: number;
  /** the link's offset when the pass started */
  offset: number;
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function linkStatus(f: Follower): LinkStatus {
  switch (f.link.state) {
    case 'connected':
      return 'up';
    case 'waiting-rdb':
    case 'rdb':
      return 'syncing';
    case 'connecting':
    case 'handshake':
      // reconnecting after a failure is still down
      return f.linkDownSince > 0 || f.link.lastError !== '' ? 'down' : 'connecting';
    default:
      return 'down';
  }
}

export interface LiveFeedOptions {
  /** how often the screen may be updated (ms, default 500) */
  renderMs?: number;
  /** least time between two rebuilds of the index and summary (ms, default 1500) */
  minRebuildMs?: number;
  /** work per time slice of a rebuild (ms, default 8) */
  sliceMs?: number;
  /** reconnect delay of the link (ms, default 1 s) */
  reconnectMs?: number;
  log?: (line: string) => void;
}

/**
 * A follower and the explorers built from it. Listeners are told (at most every `renderMs`)
 * when there is something new to show: a sync's progress, a rebuilt explorer, changed
 * replication figures, or a second passed (the seconds since the last I/O).
 */
export class LiveFeed {
  /** the followed primary's model (no front end: nothing listens) */
  readonly instance: Instance;
  readonly follower: Follower;
  explorer: Explorer | null = null;
  /** fraction done of the rebuild running, null when none */
  rebuilding: number | null = null;
  private readonly listeners = new Set<() => void>();
  private timer: NodeJS.Timeout | null = null;
  private dirty = false;
  private news = true;
  private lastNotify = 0;
  private lastBuildEnd = 0;
  private lastBuildMs = 0;
  private building = false;
  private closed = false;
  /** when the link was last seen leaving 'up' (or the feed started), 0 while up */
  private downSince = Date.now();
  /** work arrays of the passes, kept from one to the next (2.3M keys: 55 MB less garbage each) */
  private work: { ids: Uint32Array; keys: Uint32Array[]; radix: RadixScratch } | null = null;
  private doctorFor: (Doctor & { analyses: DumpAnalysis[] }) | null = null;
  readonly renderMs: number;
  readonly minRebuildMs: number;
  readonly sliceMs: number;
  readonly startedAt = Date.now();

  constructor(
    readonly options: ExplorerOptions,
    readonly target: ReplicaTarget,
    opts: LiveFeedOptions = {},
  ) {
    this.renderMs = opts.renderMs ?? 500;
    this.minRebuildMs = opts.minRebuildMs ?? 1500;
    this.sliceMs = opts.sliceMs ?? 8;
    const log = opts.log ?? (() => {});
    this.instance = new Instance({ following: true, log });
    this.follower = new Follower(this.instance, {
      host: target.host,
      port: target.port,
      masterauth: target.masterauth,
      masteruser: target.masteruser,
      listeningPort: 0,
      reconnectMs: opts.reconnectMs,
      target: options.target,
      config: options.config,
      log,
    });
    this.follower.onChange(() => {
      this.dirty = true;
      this.news = true;
    });
  }

  get source(): string {
    return `${this.target.host}:${this.target.port}`;
  }

  start(): void {
    this.follower.start();
    this.timer = setInterval(() => this.cron(), Math.max(20, Math.min(this.renderMs, 250)));
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.follower.close();
    this.instance.close();
  }

  /** Called when there is something new to show (at most every renderMs). */
  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private notify(): void {
    this.lastNotify = Date.now();
    this.news = false;
    for (const fn of this.listeners) fn();
  }

  private cron(): void {
    if (this.closed) return;
    const now = Date.now();
    const synced = this.instance.analyses.length > 0;
    if (synced && !this.building) {
      const stale = this.explorer === null || this.datasetReplaced();
      const due = this.dirty && now - this.lastBuildEnd >= Math.max(this.minRebuildMs, 2 * this.lastBuildMs);
      if (stale || due) void this.rebuild();
    }
    // the clock moves the "last I/O" seconds: once a second at least
    if ((this.news && now - this.lastNotify >= this.renderMs) || now - this.lastNotify >= 1000) this.notify();
  }

  /** A full resync replaced the databases (or SWAPDB moved them): the index points at old ones. */
  private datasetReplaced(): boolean {
    const ex = this.explorer;
    if (!ex) return true;
    for (const s of ex.index.slices) if (this.instance.dbs[s.db]?.ks !== s.ks) return true;
    return false;
  }

  /** The replication figures now. */
  status(): ReplicationStatus {
    const f = this.follower;
    const l = f.link;
    const now = Date.now();
    const link = linkStatus(f);
    if (link === 'up' || link === 'syncing') this.downSince = 0;
    else if (this.downSince === 0) this.downSince = f.linkDownSince > 0 ? f.linkDownSince : now;
    let keys = 0;
    for (const d of this.instance.dbs) keys += d.size;
    const names = [...f.unsupported].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([k, v]) => `${k}=${v}`);
    const p = f.progress();
    return {
      source: this.source,
      link,
      state: l.state,
      lagBytes: Math.max(0, l.readOffset - l.offset),
      lastIoSeconds: Math.max(0, Math.floor((now - l.lastIo) / 1000)),
      downSeconds: this.downSince === 0 ? -1 : Math.floor((now - this.downSince) / 1000),
      applied: f.applied,
      unsupported: f.unsupportedTotal(),
      unsupportedNames: names,
      staleKeys: f.staleKeys(),
      engineErrors: f.engineErrors,
      fullSyncs: l.syncs.full,
      partialSyncs: l.syncs.partial,
      reconnects: l.syncs.reconnects,
      lastError: l.lastError,
      sync: l.state === 'rdb' || l.state === 'waiting-rdb' ? { read: p.rdbRead, size: p.rdbSize, keys: p.keysLoaded } : null,
      keys,
      usedMemory: this.instance.memoryStats().used,
      synced: this.instance.analyses.length > 0,
    };
  }

  /** MEMORY DOCTOR over the last full sync's RDB, computed once per sync. */
  private doctor(analyses: DumpAnalysis[]): Doctor {
    if (this.doctorFor?.analyses !== analyses) this.doctorFor = { analyses, ...doctorOf(analyses) };
    return this.doctorFor;
  }

  /** Rebuild the explorer from the engine now (time-sliced); resolves when it is in place. */
  async rebuild(): Promise<void> {
    if (this.building) return;
    this.building = true;
    this.dirty = false;
    const started = performance.now();
    this.rebuilding = 0;
    try {
      const ex = await buildLiveExplorer(this, (fraction) => {
        this.rebuilding = fraction;
      });
      if (ex && !this.closed) {
        this.explorer = ex;
        this.news = true;
        // the first explorer is shown at once
        if (this.lastBuildEnd === 0) this.notify();
      }
    } finally {
      this.building = false;
      this.rebuilding = null;
      this.lastBuildMs = performance.now() - started;
      this.lastBuildEnd = Date.now();
    }
  }

  /** Deleted records outnumbering the live ones are squeezed out (ids change: done between two explorers). */
  private compactIfNeeded(): boolean {
    let any = false;
    for (const db of this.instance.dbs) if (db.ks.tombstones >= 65536 && db.ks.tombstones >= db.ks.size) any = db.maybeCompact() || any;
    return any;
  }

  /** @internal work arrays for n keys */
  workArrays(n: number): { ids: Uint32Array; keys: Uint32Array[]; radix: RadixScratch } {
    if (!this.work || this.work.ids.length < n) {
      this.work = null;
      // room to grow before the next reallocation
      const cap = Math.ceil(n * 1.25) + 1024;
      this.work = { ids: new Uint32Array(cap), keys: SORT_FIELDS.map(() => new Uint32Array(cap)), radix: radixScratch(cap) };
    }
    return this.work;
  }

  /** @internal the pass (see buildLiveExplorer) */
  beginPass(): { compacted: boolean; doctor: Doctor } {
    const compacted = this.compactIfNeeded();
    return { compacted, doctor: this.doctor(this.instance.analyses) };
  }
}

/**
 * One pass over every key of the engine: the three sort orders, totals by type and encoding,
 * the prefix tree and the TTL distribution, in slices of `feed.sliceMs` (one go when records
 * were just compacted: the current explorer's ids no longer hold). Keys written during the pass
 * are counted as they are when the pass reaches them; keys added after its start wait for the
 * next one.
 */
export async function buildLiveExplorer(feed: LiveFeed, onProgress: (fraction: number) => void = () => {}): Promise<Explorer | null> {
  const inst = feed.instance;
  const opts = feed.options;
  let sliceStart = performance.now();
  const { compacted, doctor } = feed.beginPass();
  const sliceMs = compacted ? Infinity : feed.sliceMs;
  const builtAt = Date.now();
  const offset = feed.follower.link.offset;
  const analyses = inst.analyses;
  const dbs: { db: number; ks: Keyspace }[] = [];
  const limits: number[] = [];
  let size = 0;
  for (const [i, d] of inst.dbs.entries()) {
    if (d.size === 0) continue;
    dbs.push({ db: i, ks: d.ks });
    limits.push(d.ks.idLimit);
    size += d.ks.size;
  }
  const prefixOptions = { separators: opts.separators, depth: opts.depth };
  const tree = new PrefixTree(prefixOptions);
  const expiry = new ExpiryTally(builtAt);
  const types = new Map<string, Map<string, Tally>>();
  const { ids, keys, radix: scratch } = feed.workArrays(size);
  const totals = noKeys();
  let n = 0;
  let base = 0;
  const due = (): boolean => performance.now() - sliceStart >= sliceMs;
  /** The event loop's turn; false when the dataset was replaced meanwhile (a full resync): start over later. */
  const yieldTurn = async (fraction: number): Promise<boolean> => {
    onProgress(fraction);
    await tick();
    sliceStart = performance.now();
    return dbs.every((d) => inst.dbs[d.db]?.ks === d.ks);
  };
  // MEMORY DOCTOR once per sync and the work arrays' first allocation: a slice of their own
  if (due() && !(await yieldTurn(0))) return null;
  let done = 0;
  const total = Math.max(1, limits.reduce((a, b) => a + b, 0));
  for (const [i, { ks }] of dbs.entries()) {
    const end = limits[i]!;
    for (let id = 0; id < end; id++) {
      if ((++done & 1023) === 0 && due() && !(await yieldTurn((0.8 * done) / total))) return null;
      if (!ks.isLive(id) || n >= size) continue;
      const m = ks.memoryOf(id);
      const exp = ks.expireOf(id);
      const type = ks.typeOf(id);
      const enc = ks.encodingOf(id);
      const key = ks.keyOf(id);
      const mb = Math.max(0, m);
      ids[n] = base + id;
      for (const [j, f] of SORT_FIELDS.entries()) keys[j]![n] = sortKey(f, ks, id);
      n++;
      totals.bytes += mb;
      if (m < 0) totals.unknownSize++;
      totals.keyNameBytes += key.length;
      if (exp >= 0) {
        totals.expires++;
        if (exp <= builtAt) {
          totals.expiredKeys++;
          totals.expiredBytes += mb;
        }
      }
      expiry.add(exp, mb);
      tree.add(key, mb, exp >= 0);
      let encs = types.get(type);
      if (!encs) types.set(type, (encs = new Map()));
      const t = encs.get(enc);
      if (t) {
        t.keys++;
        t.bytes += mb;
      } else encs.set(enc, { name: enc, keys: 1, bytes: mb });
    }
    base += end;
  }
  // the sorts: a few tens of ms each on 2M keys, in steps of a fraction of a ms, sliced likewise
  const orders = new Map<SortField, Uint32Array>();
  for (const [j, f] of SORT_FIELDS.entries()) {
    const order = new Uint32Array(n);
    const steps = radixSortSteps(ids.subarray(0, n), keys[j]!.subarray(0, n), order, scratch);
    while (!steps.next().done) if (due() && !(await yieldTurn(0.8 + (0.2 * j) / SORT_FIELDS.length))) return null;
    orders.set(f, order);
    onProgress(0.8 + (0.2 * (j + 1)) / SORT_FIELDS.length);
  }
  for (const d of dbs) if (inst.dbs[d.db]?.ks !== d.ks) return null;
  const index = KeyIndex.fromOrders(dbs, limits, orders);
  let stats: MemoryStats | null = null;
  let statsError: string | null = null;
  let usedMemory: number | null = null;
  try {
    const s = inst.memoryStats();
    stats = { fields: s.fields, estimated: [], datasetByType: {} };
    usedMemory = s.used;
  } catch (err) {
    statsError = errorMessage(err);
  }
  const summary: Summary = {
    files: analyses.map(fileSummary),
    ...totals,
    keys: n,
    ...typeTallies([types]),
    prefixes: tree,
    stats,
    statsError,
    usedMemory,
    doctor: doctor.doctor,
    doctorError: doctor.doctorError,
  };
  const loadedDbs = new Map<number, Keyspace>();
  for (const d of dbs) loadedDbs.set(d.db, d.ks);
  const ex: Explorer = {
    options: { ...opts, now: builtAt },
    loaded: { dbs: loadedDbs, files: inst.files, analyses },
    index,
    summary,
    expiry,
    prefixOptions,
    live: { feed, builtAt, buildMs: 0, offset },
  };
  ex.live!.buildMs = Date.now() - builtAt;
  return ex;
}

// ------------------------------------------------------------------ key detail

/**
 * A followed key in full, from the engine: its record and its value as the engine holds it
 * (written live, or read back from the primary's RDB in memory). Null when the key was deleted
 * since the index was built.
 */
export function liveKeyDetail(ex: Explorer, gid: number, maxElements: number): KeyDetail | null {
  const feed = ex.live!.feed;
  const index = ex.index;
  if (!index.isLive(gid)) return null;
  const info = index.info(gid);
  const slice = index.slices.find((s) => s.db === info.db)!;
  const db = feed.instance.dbs.find((d) => d.ks === slice.ks);
  if (!db) return null;
  const id = gid - slice.base;
  const value = db.value(id);
  const f = feed.instance.shared.env.f;
  const overhead = keyOverhead(info.key.length, f);
  const entry = f.keyInEntry ? 0 : DICT_ENTRY + f.clusterEntryMeta;
  const memory = {
    bytes: Math.max(0, info.memory),
    encoding: info.encoding,
    unknown: info.memory < 0,
    breakdown: { key: overhead - ROBJ - entry, object: ROBJ, entryOverhead: entry, payload: Math.max(0, info.memory - overhead) },
  };
  const lines = liveElementLines(value, ex.options.escape, maxElements);
  const where = info.offset >= 0 ? (ex.loaded.files[info.file] ?? feed.source) : `written live from ${feed.source}`;
  return {
    db: info.db,
    key: info.key,
    type: info.type,
    encoding: info.encoding,
    fileEncoding: info.encoding,
    expireAt: info.expireAt,
    length: info.length,
    memory,
    maxElementLength: lines.maxLength,
    largest: lines.largest,
    elements: lines.elements,
    elementCount: lines.count,
    idle: info.idle,
    freq: info.freq,
    offset: info.offset,
    file: where,
    notes: lines.notes,
  };
}

const latin1 = (s: string): Buffer => Buffer.from(s, 'latin1');

function liveElementLines(
  v: LiveValue | null,
  mode: EscapeMode,
  max: number,
): { elements: ElementLine[]; largest: ElementLine | null; count: number; notes: string[]; maxLength: number } {
  const lines = new ElementLines(mode, max);
  const { notes } = lines;
  const text = (b: Buffer): string => lines.text(b);
  const result = (count: number) => ({ elements: lines.elements, largest: lines.largest, count, notes, maxLength: Math.max(0, lines.largestBytes) });
  if (!v) return { elements: [], largest: null, count: 0, notes: ['module value: not decoded'], maxLength: 0 };
  switch (v.type) {
    case 'string': {
      const line = { label: '', text: text(v.buf), bytes: v.buf.length };
      return { elements: [line], largest: line, count: 1, notes, maxLength: v.buf.length };
    }
    case 'list': {
      for (let i = 0; i < v.items.length; i++) {
        const e = v.items.get(i)!;
        lines.add(e.length, () => ({ label: `[${i}]`, text: text(e), bytes: e.length }));
      }
      return result(v.items.length);
    }
    case 'set': {
      for (const m of v.set) lines.add(m.length, () => ({ label: '', text: text(latin1(m)), bytes: m.length }));
      return result(v.set.size);
    }
    case 'zset': {
      for (let i = 0; i < v.order.length; i++) {
        const m = v.order[i]!;
        const score = v.orderScores[i]!;
        lines.add(m.length, () => ({ label: scoreText(score), text: text(latin1(m)), bytes: m.length }));
      }
      return result(v.order.length);
    }
    case 'hash': {
      for (const [field, value] of v.map) {
        const bytes = field.length + value.length;
        lines.add(bytes, () => ({ label: text(latin1(field)), text: text(value), bytes }));
      }
      return result(v.map.size);
    }
    case 'stream': {
      for (let i = 0; i < v.length; i++) {
        const e = v.entry(i)!;
        let bytes = 0;
        for (const f of e.fields) bytes += f.length;
        lines.add(bytes, () => ({ label: `${e.ms}-${e.seq}`, text: streamFieldsText(e.fields, text), bytes }));
      }
      notes.push(`last ID ${v.last.ms}-${v.last.seq}, ${v.groups.length} consumer group(s)`);
      return result(v.length);
    }
  }
}
