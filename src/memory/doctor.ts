/**
 * MEMORY DOCTOR for a dump: the largest keys, then tips computed from this dump, each with the
 * bytes it would save under the MEMORY USAGE model (or the bytes at stake when it is about
 * latency or retention) and the keys, prefixes or settings it concerns. No tip without a
 * number behind it; none when nothing applies. Rules and formulas: docs/memory-stats.md.
 *
 * analyze.ts feeds a DoctorCollector with every key (inside the record callback, so the
 * collector may look at the parser's facts and re-run memoryUsage on "what if" configs).
 */
import type { KeyRecord } from '../rdb/records.js';
import type { ValueType } from '../rdb/constants.js';
import { lpStringEntrySize } from '../rdb/encoded.js';
import { printableKey } from '../rdb/errors.js';
import type { DumpAnalysis } from './analyze.js';
import type { PrefixNode } from './prefix-tree.js';
import { memoryUsage } from './usage.js';
import type { KeyMemory } from './usage.js';
import { profile as makeProfile } from './profiles.js';
import type { ServerConfig, ServerProfile } from './profiles.js';
import { featuresOf, LISTPACK_EMPTY } from './sizes.js';
import type { Features } from './sizes.js';
import { streamObjectSize } from './stream.js';
import { topNSorted } from './top-n.js';
import { estimateUsedMemory } from './stats.js';
import { keyOverhead } from './key.js';

export type TipId =
  | 'listpack-thresholds'
  | 'bucket-small-strings'
  | 'no-ttl'
  | 'big-keys'
  | 'key-names'
  | 'expired'
  | 'untrimmed-streams'
  | 'idle-keys'
  | 'near-maxmemory';

export interface Tip {
  id: TipId;
  title: string;
  /** 'saving': bytes the change would save under the model; 'at-stake': bytes concerned */
  kind: 'saving' | 'at-stake';
  bytes: number;
  /** keys, prefixes or settings the tip concerns (escaped for printing) */
  subjects: string[];
  /** the figure behind each subject: keys concerned and bytes saved (or at stake) */
  items: TipItem[];
  /** the tip as text, one line each */
  lines: string[];
}

export interface TipItem {
  subject: string;
  keys: number;
  bytes: number;
}

export interface DoctorOptions {
  /** keys listed under "Largest keys found:" */
  largestKeys: number;
  /** threshold tip: listpack entry limits to try */
  entryLimits: number[];
  /** threshold tip: listpack value limits to try */
  valueLimits: number[];
  /** small strings: fields per bucketed hash, least keys under a prefix, largest value */
  bucketFields: number;
  bucketMinKeys: number;
  /** no-TTL tip: least bytes without TTL under a prefix (and share of all bytes) */
  noTtlMinBytes: number;
  /** big keys: string bytes and collection elements */
  bigStringBytes: number;
  bigCollectionElements: number;
  /** key names: least keys under a prefix and least prefix length worth shortening */
  keyNameMinKeys: number;
  keyNameMinPrefix: number;
  /** streams: entries kept by the suggested XTRIM MAXLEN ~ N, and least length reported */
  streamMaxLen: number;
  /** idle keys: least idle seconds (LRU), LFU counter at most, least bytes */
  idleSeconds: number;
  lfuMaxFreq: number;
  idleMinBytes: number;
  /** least saving for a saving tip to be shown */
  minSaving: number;
}

export const DEFAULT_DOCTOR_OPTIONS: DoctorOptions = {
  largestKeys: 10,
  entryLimits: [256, 512, 1024],
  valueLimits: [128, 256],
  bucketFields: 100,
  bucketMinKeys: 1000,
  noTtlMinBytes: 1 << 20,
  bigStringBytes: 10 << 20,
  bigCollectionElements: 10_000,
  keyNameMinKeys: 1000,
  keyNameMinPrefix: 8,
  streamMaxLen: 10_000,
  idleSeconds: 7 * 86400,
  lfuMaxFreq: 0,
  idleMinBytes: 1 << 20,
  minSaving: 1,
};

const SEP = 0x3a; // ':'
const MAX_PREFIXES = 10_000;
const SAMPLE = 5;
/** key lengths counted in a per-prefix array (DoctorCollector.prefix) */
const SHORT_KEY = 64;

interface PrefixSlot {
  /** the prefix's bytes, the last ':' included ('' for keys without one) */
  name: Buffer;
  info: PrefixInfo;
  counts: Uint32Array;
  /** another prefix with the same hash */
  next: PrefixSlot | undefined;
}

function samePrefix(name: Buffer, key: Buffer, end: number): boolean {
  if (name.length !== end) return false;
  for (let i = 0; i < end; i++) if (name[i] !== key[i]) return false;
  return true;
}

interface KeyRef {
  db: number;
  key: Buffer;
  type: ValueType;
  bytes: number;
  length: number;
  note?: string;
}

/** The `n` largest by bytes (small n: a sorted array), as plain data. */
interface Largest {
  readonly n: number;
  readonly items: KeyRef[];
}

function newLargest(n: number): Largest {
  return { n, items: [] };
}

function largestWants(l: Largest, bytes: number): boolean {
  return l.items.length < l.n || bytes > l.items[l.items.length - 1]!.bytes;
}

function largestAdd(l: Largest, r: KeyRef): void {
  if (!largestWants(l, r.bytes)) return;
  const items = l.items;
  let i = items.length;
  while (i > 0 && items[i - 1]!.bytes < r.bytes) i--;
  items.splice(i, 0, r);
  if (items.length > l.n) items.pop();
}

function mergeLargest(into: Largest, from: Largest): Largest {
  for (const r of from.items) largestAdd(into, r);
  return into;
}

function ref(rec: KeyRecord, bytes: number, note?: string): KeyRef {
  return { db: rec.db, key: Buffer.from(rec.key), type: rec.type, bytes, length: rec.length, note };
}

interface Group {
  keys: number;
  bytes: number;
}

/** One candidate config change for one type: keys converted and bytes saved. */
interface ThresholdCell {
  keys: number;
  saving: number;
  sample: Largest;
}

/** Per key-name prefix (up to the last ':'): key lengths, small strings. */
interface PrefixInfo {
  keys: number;
  /** key length -> count */
  lengths: Map<number, number>;
  /** small string keys without TTL: count, MEMORY USAGE, listpack entry bytes as hash fields */
  small: number;
  smallBytes: number;
  smallEntryBytes: number;
}

/** What a DoctorCollector found in one dump, as plain data (structured-clone-able). */
export interface DoctorData {
  readonly profile: ServerProfile;
  readonly options: DoctorOptions;
  readonly keyNameBytes: number;
  readonly totalBytes: number;
  readonly thresholds: Map<string, ThresholdCell>;
  readonly prefixes: Map<string, PrefixInfo>;
  readonly prefixOverflow: number;
  readonly big: Group;
  readonly bigKeys: Largest;
  readonly expired: Group;
  readonly expiredKeys: Largest;
  readonly streams: Group;
  readonly streamKeys: Largest;
  readonly idle: Group;
  readonly idleKeys: Largest;
  readonly withLru: number;
  readonly withLfu: number;
}

export class DoctorCollector implements DoctorData {
  readonly options: DoctorOptions;
  /** Σ key part of MEMORY USAGE */
  keyNameBytes = 0;
  totalBytes = 0;
  /** type|setting -> cell; setting like "hash-max-listpack-entries 512" */
  readonly thresholds = new Map<string, ThresholdCell>();
  readonly prefixes = new Map<string, PrefixInfo>();
  prefixOverflow = 0;
  readonly big: Group = { keys: 0, bytes: 0 };
  readonly bigKeys: Largest;
  readonly expired: Group = { keys: 0, bytes: 0 };
  readonly expiredKeys: Largest;
  readonly streams: Group = { keys: 0, bytes: 0 };
  readonly streamKeys: Largest;
  readonly idle: Group = { keys: 0, bytes: 0 };
  readonly idleKeys: Largest;
  /** keys carrying LRU (IDLE) or LFU (FREQ) data */
  withLru = 0;
  withLfu = 0;
  readonly profile: ServerProfile;
  private readonly whatIf: Map<string, ServerProfile> = new Map();

  constructor(profile: ServerProfile, options: Partial<DoctorOptions> = {}) {
    this.options = { ...DEFAULT_DOCTOR_OPTIONS, ...options };
    this.profile = profile;
    this.bigKeys = newLargest(SAMPLE);
    this.expiredKeys = newLargest(SAMPLE);
    this.streamKeys = newLargest(SAMPLE);
    this.idleKeys = newLargest(SAMPLE);
  }

  /** A key that passed the filters (call inside the record callback). */
  key(rec: KeyRecord, m: KeyMemory, expired: boolean): void {
    const bytes = m.unknown ? 0 : m.bytes;
    this.totalBytes += bytes;
    this.keyNameBytes += m.breakdown.key;
    if (expired) {
      this.expired.keys++;
      this.expired.bytes += bytes;
      if (largestWants(this.expiredKeys, bytes)) largestAdd(this.expiredKeys, ref(rec, bytes));
      return; // a server drops it on load: nothing else applies
    }
    this.prefix(rec, m);
    if (m.encoding === 'hashtable' || m.encoding === 'skiplist') this.threshold(rec, m);
    const big = rec.type === 'string' ? rec.length > this.options.bigStringBytes : rec.type !== 'module' && rec.length > this.options.bigCollectionElements;
    if (big) {
      this.big.keys++;
      this.big.bytes += bytes;
      if (largestWants(this.bigKeys, bytes)) largestAdd(this.bigKeys, ref(rec, bytes));
    }
    if (rec.type === 'stream') this.stream(rec, m);
    if (rec.idle >= 0) this.withLru++;
    if (rec.freq >= 0) this.withLfu++;
    const cold = (rec.idle >= 0 && rec.idle >= this.options.idleSeconds) || (rec.freq >= 0 && rec.freq <= this.options.lfuMaxFreq);
    if (cold && bytes >= this.options.idleMinBytes) {
      this.idle.keys++;
      this.idle.bytes += bytes;
      const note = rec.idle >= 0 ? `idle ${formatDuration(rec.idle)}` : `LFU counter ${rec.freq}`;
      if (largestWants(this.idleKeys, bytes)) largestAdd(this.idleKeys, ref(rec, bytes, note));
    }
  }

  // -------------------------------------------------------------- listpack thresholds

  private threshold(rec: KeyRecord, m: KeyMemory): void {
    const kind = rec.type;
    if (kind !== 'hash' && kind !== 'set' && kind !== 'zset') return;
    const o = this.options;
    const cfg = this.profile.config;
    const names = knobNames(kind);
    const curEntries = cfg[names.entries] as number;
    const curValue = cfg[names.value] as number;
    const maxEntries = Math.max(...o.entryLimits);
    if (rec.length > maxEntries || rec.length === 0) return;
    // the smallest value limit the key needs
    let value = curValue;
    if (rec.maxElementLength > curValue) {
      const v = o.valueLimits.filter((x) => x >= rec.maxElementLength && x > curValue).sort((a, b) => a - b)[0];
      if (v === undefined) return;
      value = v;
    }
    const altId = `${kind} ${value}`;
    let alt = this.whatIf.get(altId);
    if (alt === undefined) {
      alt = this.alt({ [names.entries]: maxEntries, [names.value]: value, ...(kind === 'set' ? { 'set-max-intset-entries': Math.max(cfg['set-max-intset-entries'], maxEntries) } : {}) });
      this.whatIf.set(altId, alt);
    }
    const m2 = memoryUsage(rec, alt);
    if (m2.encoding === 'hashtable' || m2.encoding === 'skiplist') return;
    const saving = m.bytes - m2.bytes;
    if (saving <= 0) return;
    const intset = m2.encoding === 'intset';
    const entryKnob = intset ? 'set-max-intset-entries' : names.entries;
    const curLimit = intset ? cfg['set-max-intset-entries'] : curEntries;
    // every suggested entry limit at or above the key's length (or none needed)
    const limits = rec.length <= curLimit ? [0] : o.entryLimits.filter((e) => e >= rec.length && e > curLimit);
    for (const e of limits) {
      const parts: string[] = [];
      if (e > 0) parts.push(`${entryKnob} ${e}`);
      if (value !== curValue && !intset) parts.push(`${names.value} ${value}`);
      if (parts.length === 0) continue;
      const id = `${kind}\t${parts.join(' + ')}`;
      let c = this.thresholds.get(id);
      if (!c) this.thresholds.set(id, (c = { keys: 0, saving: 0, sample: newLargest(3) }));
      c.keys++;
      c.saving += saving;
      if (largestWants(c.sample, saving)) largestAdd(c.sample, ref(rec, saving));
    }
  }

  private alt(over: Partial<ServerConfig>): ServerProfile {
    const id = JSON.stringify(over);
    let p = this.whatIf.get(id);
    if (!p) {
      p = makeProfile(this.profile.id, { ...this.profile.config, ...over }, this.profile.build);
      this.whatIf.set(id, p);
    }
    return p;
  }

  // -------------------------------------------------------------- prefixes, small strings

  /**
   * Prefixes by an FNV-1a hash of their bytes, so a key costs a hash and a byte compare, not a
   * string and a Map<string> lookup (it was a tenth of `report` on 20M small keys).
   */
  private readonly prefixSlots = new Map<number, PrefixSlot>();
  /** key lengths below SHORT_KEY per prefix, counted in an array: folded into `lengths` by data() */
  private readonly shortLengths: Array<{ info: PrefixInfo; counts: Uint32Array }> = [];

  private prefix(rec: KeyRecord, m: KeyMemory): void {
    const key = rec.key;
    const cut = key.lastIndexOf(SEP);
    const end = cut + 1;
    let h = 0x811c9dc5;
    for (let i = 0; i < end; i++) h = Math.imul(h ^ key[i]!, 0x01000193);
    let slot = this.prefixSlots.get(h);
    while (slot !== undefined && !samePrefix(slot.name, key, end)) slot = slot.next;
    if (slot === undefined) {
      if (this.prefixes.size >= MAX_PREFIXES) {
        this.prefixOverflow++;
        return;
      }
      const info: PrefixInfo = { keys: 0, lengths: new Map(), small: 0, smallBytes: 0, smallEntryBytes: 0 };
      const counts = new Uint32Array(SHORT_KEY);
      slot = { name: Buffer.from(key.subarray(0, end)), info, counts, next: this.prefixSlots.get(h) };
      this.prefixSlots.set(h, slot);
      this.shortLengths.push({ info, counts });
      this.prefixes.set(key.toString('latin1', 0, end), info);
    }
    const p = slot.info;
    p.keys++;
    if (key.length < SHORT_KEY) slot.counts[key.length]!++;
    else p.lengths.set(key.length, (p.lengths.get(key.length) ?? 0) + 1);
    const value = this.profile.config['hash-max-listpack-value'];
    const field = key.length - end;
    if (rec.type === 'string' && rec.expireAt < 0 && rec.length <= value && field <= value && !m.unknown) {
      p.small++;
      p.smallBytes += m.bytes;
      // as a hash field and value in a listpack (the value as text: integers would be smaller)
      p.smallEntryBytes += lpStringEntrySize(field) + lpStringEntrySize(rec.length);
    }
  }

  /** Fold the short key lengths' counts into the prefixes' `lengths` maps (once, before data is read). */
  private foldLengths(): void {
    for (const { info, counts } of this.shortLengths) {
      for (let len = 0; len < SHORT_KEY; len++) {
        const n = counts[len]!;
        if (n > 0) info.lengths.set(len, (info.lengths.get(len) ?? 0) + n);
      }
      counts.fill(0);
    }
  }

  // -------------------------------------------------------------- streams

  private stream(rec: KeyRecord, m: KeyMemory): void {
    const s = rec.facts.stream;
    const n = this.options.streamMaxLen;
    if (!s || s.length <= n || s.nodes < 2) return;
    // trimmed streams record a max-deleted-entry-id (7.0+); before 7.0 there is no record of it
    if (s.maxDeletedId !== null && s.maxDeletedId !== '0-0') return;
    // XTRIM MAXLEN ~ n removes whole nodes from the head while the rest still holds >= n entries
    const perNode = s.length / s.nodes;
    const keep = Math.min(s.nodes, Math.ceil(n / perNode) + 1);
    if (keep >= s.nodes) return;
    const from = s.nodes - keep;
    const trimmed = { ...s, nodes: keep, nodeKeys: s.nodeKeys.subarray(from * 16), nodeBytes: s.nodeBytes.slice(from), length: Math.round(keep * perNode) };
    const saving = streamObjectSize(s, this.profile) - streamObjectSize(trimmed, this.profile);
    if (saving <= 0) return;
    this.streams.keys++;
    this.streams.bytes += saving;
    if (largestWants(this.streamKeys, saving)) largestAdd(this.streamKeys, ref(rec, saving, `${s.length} entries, ${m.bytes} bytes`));
  }

  /** What was collected, as plain data (shared, not copied). */
  data(): DoctorData {
    this.foldLengths();
    return {
      profile: this.profile,
      options: this.options,
      keyNameBytes: this.keyNameBytes,
      totalBytes: this.totalBytes,
      thresholds: this.thresholds,
      prefixes: this.prefixes,
      prefixOverflow: this.prefixOverflow,
      big: this.big,
      bigKeys: this.bigKeys,
      expired: this.expired,
      expiredKeys: this.expiredKeys,
      streams: this.streams,
      streamKeys: this.streamKeys,
      idle: this.idle,
      idleKeys: this.idleKeys,
      withLru: this.withLru,
      withLfu: this.withLfu,
    };
  }

  /**
   * Fold another dump's findings (same profile) into this one. `capped`: `o` is the rest of the
   * same dump (split.ts), so its new prefixes count only while one pass would have kept them.
   */
  merge(o: DoctorData, capped = false): void {
    this.keyNameBytes += o.keyNameBytes;
    this.totalBytes += o.totalBytes;
    for (const [k, c] of o.thresholds) {
      const t = this.thresholds.get(k);
      if (!t) this.thresholds.set(k, { keys: c.keys, saving: c.saving, sample: mergeLargest(newLargest(3), c.sample) });
      else {
        t.keys += c.keys;
        t.saving += c.saving;
        mergeLargest(t.sample, c.sample);
      }
    }
    for (const [k, p] of o.prefixes) {
      const t = this.prefixes.get(k);
      if (!t) {
        if (capped && this.prefixes.size >= MAX_PREFIXES) this.prefixOverflow += p.keys;
        else this.prefixes.set(k, { ...p, lengths: new Map(p.lengths) });
        continue;
      }
      t.keys += p.keys;
      t.small += p.small;
      t.smallBytes += p.smallBytes;
      t.smallEntryBytes += p.smallEntryBytes;
      for (const [len, c] of p.lengths) t.lengths.set(len, (t.lengths.get(len) ?? 0) + c);
    }
    this.prefixOverflow += o.prefixOverflow;
    for (const [g, og] of [
      [this.big, o.big],
      [this.expired, o.expired],
      [this.streams, o.streams],
      [this.idle, o.idle],
    ] as const) {
      g.keys += og.keys;
      g.bytes += og.bytes;
    }
    mergeLargest(this.bigKeys, o.bigKeys);
    mergeLargest(this.expiredKeys, o.expiredKeys);
    mergeLargest(this.streamKeys, o.streamKeys);
    mergeLargest(this.idleKeys, o.idleKeys);
    this.withLru += o.withLru;
    this.withLfu += o.withLfu;
  }
}

/** "x 256 + y 128" before "x 512": by the numbers, in order */
function compareSettings(a: string, b: string): number {
  const na = (a.match(/\d+/g) ?? []).map(Number);
  const nb = (b.match(/\d+/g) ?? []).map(Number);
  for (let i = 0; i < Math.max(na.length, nb.length); i++) {
    const d = (na[i] ?? -1) - (nb[i] ?? -1);
    if (d !== 0) return d;
  }
  return a.localeCompare(b);
}

function keyItems(l: Largest): TipItem[] {
  return l.items.map((r) => ({ subject: `db=${r.db} key='${printKey(r.key)}'`, keys: 1, bytes: Math.round(r.bytes) }));
}

function knobNames(type: 'hash' | 'set' | 'zset'): { entries: keyof ServerConfig; value: keyof ServerConfig } {
  return { entries: `${type}-max-listpack-entries`, value: `${type}-max-listpack-value` };
}

/** The name a server of this profile knows a knob by (*-ziplist-* before 7.0). */
function knobLabel(setting: string, f: Features): string {
  return f.listpack ? setting : setting.replace(/(hash|zset)-max-listpack-/g, '$1-max-ziplist-');
}

// ------------------------------------------------------------------ report

/** Key bytes as printable text: printable ASCII as is, other bytes and quotes as \xNN. */
export function printKey(key: Buffer): string {
  return printableKey(key, 200).replace(/'/g, '\\x27');
}

function printPrefix(p: string): string {
  return printKey(Buffer.from(p, 'latin1')) + '*';
}

function keyLine(r: KeyRef, what = 'size'): string {
  const note = r.note ? ` (${r.note})` : '';
  return `db=${r.db} key='${printKey(r.key)}' type=${r.type} ${what}=${Math.round(r.bytes)} bytes${note}`;
}

function formatDuration(s: number): string {
  if (s >= 86400) return `${Math.floor(s / 86400)}d`;
  if (s >= 3600) return `${Math.floor(s / 3600)}h`;
  if (s >= 60) return `${Math.floor(s / 60)}m`;
  return `${s}s`;
}

function plural(n: number, one: string, many = one + 's'): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A maxmemory to hold the dumps against (each dump a server with this limit). */
export interface DoctorLimit {
  /** bytes; 0 or absent: no limit tip */
  maxmemory?: number;
  /** share of the limit from which a dump counts as close to it (default 0.9) */
  near?: number;
}

/** MEMORY DOCTOR over one or more dumps (cluster shards: summed). */
export function memoryDoctor(analyses: DumpAnalysis[], limit: DoctorLimit = {}): { text: string; tips: Tip[] } {
  if (analyses.length === 0) throw new Error('memoryDoctor: no dump');
  const first = analyses[0]!;
  const d = new DoctorCollector(first.doctor.profile, first.doctor.options);
  for (const a of analyses) d.merge(a.doctor);
  const o = d.options;
  const f = featuresOf(d.profile);
  const tips: Tip[] = [];

  // listpack thresholds: the best saving per type and resulting setting
  const byType = new Map<string, [string, ThresholdCell][]>();
  for (const [id, c] of d.thresholds) {
    const [type, setting] = id.split('\t') as [string, string];
    if (c.saving < o.minSaving) continue;
    const list = byType.get(type) ?? [];
    list.push([setting, c]);
    byType.set(type, list);
  }
  if (byType.size > 0) {
    const lines: string[] = [];
    const subjects: string[] = [];
    const items: TipItem[] = [];
    let best = 0;
    for (const [type, list] of byType) {
      list.sort((a, b) => compareSettings(a[0], b[0]));
      let bestHere = 0;
      for (const [setting, c] of list) {
        const label = knobLabel(setting, f);
        subjects.push(label);
        items.push({ subject: `${type}: ${label}`, keys: c.keys, bytes: Math.round(c.saving) });
        lines.push(`${label}: ${plural(c.keys, `${type} key`)} would load as compact encodings, saving ${Math.round(c.saving)} bytes`);
        for (const r of c.sample.items) lines.push(`    e.g. ${keyLine(r, 'saves')}`);
        bestHere = Math.max(bestHere, c.saving);
      }
      best += bestHere;
    }
    lines.push(
      'Listpacks are scanned linearly: lookups and updates in a key of N entries cost O(N) instead of O(1), and every write rewrites the listpack. Up to a few hundred short entries this costs microseconds; raise the limits only as far as the keys need.',
    );
    tips.push({ id: 'listpack-thresholds', title: 'Hash tables and skiplists that would fit in listpacks', kind: 'saving', bytes: Math.round(best), subjects, items, lines });
  }

  // small strings that would be cheaper as fields of bucketed hashes
  {
    const rows: { prefix: string; keys: number; saving: number; hashes: number }[] = [];
    const fields = o.bucketFields;
    for (const [prefix, p] of d.prefixes) {
      if (prefix === '' || p.small < o.bucketMinKeys) continue;
      const hashes = Math.ceil(p.small / fields);
      // the hash key names: the prefix and a bucket number
      const nameLen = prefix.length + String(hashes - 1).length;
      const perHash = (LISTPACK_EMPTY + p.smallEntryBytes / hashes) | 0;
      const after = hashes * (keyOverhead(nameLen, f) + f.malloc(perHash));
      const saving = p.smallBytes - after;
      if (saving >= o.minSaving) rows.push({ prefix, keys: p.small, saving, hashes });
    }
    rows.sort((a, b) => b.saving - a.saving);
    if (rows.length > 0) {
      const top = rows.slice(0, SAMPLE);
      const total = rows.reduce((s, r) => s + r.saving, 0);
      const lines = top.map(
        (r) => `${printPrefix(r.prefix)}: ${r.keys} small strings as fields of ${plural(r.hashes, 'hash', 'hashes')} of ${fields} fields (HSET ${printKey(Buffer.from(r.prefix, 'latin1'))}<n / ${fields}> <rest of the name> <value>) would save ${Math.round(r.saving)} bytes`,
      );
      if (rows.length > top.length) lines.push(`and ${rows.length - top.length} more prefixes (${Math.round(total - top.reduce((s, r) => s + r.saving, 0))} bytes)`);
      lines.push(`Hash fields have no TTL of their own${f.hashFieldTtl ? ' (7.4+: HEXPIRE)' : ''}; keys with a TTL were left out.`);
      const items = rows.map((r) => ({ subject: printPrefix(r.prefix), keys: r.keys, bytes: Math.round(r.saving) }));
      tips.push({ id: 'bucket-small-strings', title: 'Many small string keys under one prefix', kind: 'saving', bytes: Math.round(total), subjects: top.map((r) => printPrefix(r.prefix)), items, lines });
    }
  }

  // memory without TTL by prefix: the most specific prefixes of the aggregates' prefix tree
  {
    const merged = new Map<string, { prefix: Buffer; bytes: number; keys: number; all: number; parent: string | null }>();
    for (const a of analyses) {
      const walk = (n: PrefixNode, parent: string | null): void => {
        const k = n.prefix.toString('latin1');
        const t = merged.get(k);
        if (!t) merged.set(k, { prefix: n.prefix, bytes: n.bytesNoTtl, keys: n.keysNoTtl, all: n.bytes, parent });
        else {
          t.bytes += n.bytesNoTtl;
          t.keys += n.keysNoTtl;
          t.all += n.bytes;
        }
        for (const c of n.children.values()) walk(c, k);
      };
      for (const c of a.aggregate.prefixes.root.children.values()) walk(c, null);
    }
    const qualifying = [...merged.entries()].filter(([, n]) => n.bytes >= o.noTtlMinBytes);
    const parents = new Set(qualifying.map(([, n]) => n.parent));
    const rows = qualifying.filter(([k]) => !parents.has(k)).map(([, n]) => n).sort((a, b) => b.bytes - a.bytes);
    if (rows.length > 0) {
      const top = rows.slice(0, SAMPLE);
      const total = rows.reduce((s, r) => s + r.bytes, 0);
      const lines = top.map((r) => `${printKey(r.prefix)}*: ${r.bytes} bytes in ${plural(r.keys, 'key')} without TTL (${((100 * r.bytes) / Math.max(1, r.all)).toFixed(0)}% of the prefix)`);
      lines.push('Keys that never expire stay until deleted; if these are caches or sessions, give them a TTL (EXPIRE) or an eviction policy that may evict them (allkeys-*).');
      const items = rows.map((r) => ({ subject: printKey(r.prefix) + '*', keys: r.keys, bytes: r.bytes }));
      tips.push({ id: 'no-ttl', title: 'Memory without TTL by prefix', kind: 'at-stake', bytes: total, subjects: top.map((r) => printKey(r.prefix) + '*'), items, lines });
    }
  }

  // big keys
  if (d.big.keys > 0) {
    const lines = [`${plural(d.big.keys, 'key')} (${d.big.bytes} bytes) are strings over ${o.bigStringBytes} bytes or collections over ${o.bigCollectionElements} elements. DEL frees them in one go on the main thread and MIGRATE/replication moves them as one value: use UNLINK (or lazyfree-lazy-user-del yes) and split them across keys.`];
    for (const r of d.bigKeys.items) lines.push(`    ${keyLine(r)}${r.type === 'string' ? '' : `, ${r.length} elements`}`);
    tips.push({ id: 'big-keys', title: 'Big keys that block DEL and replication', kind: 'at-stake', bytes: d.big.bytes, subjects: d.bigKeys.items.map((r) => printKey(r.key)), items: keyItems(d.bigKeys), lines });
  }

  // key names
  {
    const rows: { prefix: string; keys: number; saving: number; short: string }[] = [];
    for (const [prefix, p] of d.prefixes) {
      if (prefix.length < o.keyNameMinPrefix || p.keys < o.keyNameMinKeys) continue;
      // shorten to its first letter and the separator
      const short = prefix[0]! + ':';
      const cut = prefix.length - short.length;
      let saving = 0;
      for (const [len, c] of p.lengths) saving += c * (keyOverhead(len, f) - keyOverhead(len - cut, f));
      if (saving >= o.minSaving) rows.push({ prefix, keys: p.keys, saving, short });
    }
    rows.sort((a, b) => b.saving - a.saving);
    if (rows.length > 0) {
      const top = rows.slice(0, SAMPLE);
      const total = top.reduce((s, r) => s + r.saving, 0);
      const lines = [`Key names take ${d.keyNameBytes} bytes (${((100 * d.keyNameBytes) / Math.max(1, d.totalBytes)).toFixed(1)}% of MEMORY USAGE).`];
      for (const r of top) lines.push(`${printPrefix(r.prefix)} (${plural(r.keys, 'key')}): renamed to ${printPrefix(r.short)} would save ${r.saving} bytes`);
      const items = top.map((r) => ({ subject: printPrefix(r.prefix), keys: r.keys, bytes: r.saving }));
      tips.push({ id: 'key-names', title: 'Bytes spent on key names', kind: 'saving', bytes: total, subjects: top.map((r) => printPrefix(r.prefix)), items, lines });
    }
  }

  // already expired
  if (d.expired.keys > 0) {
    const when = new Date(first.aggregate.options.now).toISOString();
    const lines = [
      `${plural(d.expired.keys, 'key')} (${d.expired.bytes} bytes) had expired at ${when} but are still in the dump: a master drops them when loading it; on the server that wrote it they held memory until expiry reached them (raise active-expire-effort, or hz, if such keys pile up).`,
    ];
    for (const r of d.expiredKeys.items) lines.push(`    ${keyLine(r)}`);
    tips.push({ id: 'expired', title: 'Already expired keys still in the dump', kind: 'saving', bytes: d.expired.bytes, subjects: d.expiredKeys.items.map((r) => printKey(r.key)), items: keyItems(d.expiredKeys), lines });
  }

  // untrimmed streams
  if (d.streams.keys > 0 && d.streams.bytes >= o.minSaving) {
    const lines = [`${plural(d.streams.keys, 'stream')} hold more than ${o.streamMaxLen} entries and were never trimmed: XTRIM key MAXLEN ~ ${o.streamMaxLen} (or XADD ... MAXLEN ~ ${o.streamMaxLen}) would save ${d.streams.bytes} bytes.`];
    for (const r of d.streamKeys.items) lines.push(`    ${keyLine(r, 'saves')}`);
    tips.push({ id: 'untrimmed-streams', title: 'Streams growing without trimming', kind: 'saving', bytes: d.streams.bytes, subjects: d.streamKeys.items.map((r) => printKey(r.key)), items: keyItems(d.streamKeys), lines });
  }

  // idle big keys
  if (d.idle.keys > 0) {
    const rule = [d.withLru > 0 ? `idle for ${formatDuration(o.idleSeconds)} or more` : '', d.withLfu > 0 ? `with an LFU counter of ${o.lfuMaxFreq} or less` : ''].filter(Boolean).join(' or ');
    const lines = [`${plural(d.idle.keys, 'key')} of ${o.idleMinBytes} bytes or more (${d.idle.bytes} bytes) were ${rule} when the dump was written: candidates for deletion, a TTL, or colder storage.`];
    for (const r of d.idleKeys.items) lines.push(`    ${keyLine(r)}`);
    tips.push({ id: 'idle-keys', title: 'Big keys nobody reads', kind: 'at-stake', bytes: d.idle.bytes, subjects: d.idleKeys.items.map((r) => printKey(r.key)), items: keyItems(d.idleKeys), lines });
  }

  // close to (or over) a given maxmemory: the writer's used-mem aux field, or the estimate after loading
  if (limit.maxmemory) {
    const max = limit.maxmemory;
    const near = limit.near ?? 0.9;
    const items: TipItem[] = [];
    const lines: string[] = [];
    for (const a of analyses) {
      const est = estimateUsedMemory(a);
      const aux = Number(a.aux['used-mem']);
      const figures: [string, number][] = [['estimated used_memory after loading', est]];
      if (Number.isFinite(aux) && aux > 0) figures.unshift(['used-mem when saved', aux]);
      const worst = Math.max(...figures.map(([, v]) => v));
      if (worst < near * max) continue;
      const keys = a.stats.dbs.size > 0 ? [...a.stats.dbs.values()].reduce((n, x) => n + x.keys, 0) : 0;
      const stake = Math.abs(worst - max);
      items.push({ subject: a.file, keys, bytes: stake });
      const what = figures.map(([n, v]) => `${n} ${v} bytes (${((100 * v) / max).toFixed(1)}% of maxmemory ${max})`).join(', ');
      lines.push(
        worst > max
          ? `${a.file}: ${what}: ${stake} bytes over the limit; a server with it evicts that much by its maxmemory-policy (rdblens evict shows which keys), or under noeviction answers writes with -OOM`
          : `${a.file}: ${what}: ${stake} bytes of headroom left before evictions (or -OOM under noeviction) start`,
      );
    }
    if (items.length > 0) {
      lines.push('used_memory also counts client and replication buffers, which the dump does not show: keep headroom beyond the dataset.');
      tips.push({ id: 'near-maxmemory', title: 'Close to maxmemory', kind: 'at-stake', bytes: items.reduce((n, i) => n + i.bytes, 0), subjects: items.map((i) => i.subject), items, lines });
    }
  }

  // report
  const used = analyses.reduce((s, a) => s + estimateUsedMemory(a), 0);
  const out: string[] = [`Memory usage: ${used} bytes (estimated used_memory after loading; the keys' MEMORY USAGE adds up to ${d.totalBytes} bytes)`];
  out.push('Largest keys found:');
  const largest = analyses
    .flatMap((a) => topNSorted(a.aggregate.topByMemory).map((e) => e.item))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, o.largestKeys);
  for (const k of largest) out.push(`db=${k.db} key='${printKey(k.key)}' type=${k.type} size=${k.bytes} bytes`);
  if (tips.length === 0) out.push('', 'No tips: nothing in this dump calls for one.');
  else {
    out.push('', 'Tips:');
    for (const t of tips) {
      out.push('', ` * ${t.title}: ${t.kind === 'saving' ? 'saves' : 'concerns'} ${t.bytes} bytes`);
      for (const l of t.lines) out.push(`   ${l}`);
    }
  }
  return { text: out.join('\n') + '\n', tips };
}
