/**
 * Streaming aggregates over a dump's keys, in bounded memory: totals by db, type and encoding,
 * a capped prefix tree, TTL buckets, size and element-count histograms, and the top keys by
 * memory and by element count.
 *
 * DumpAggregate collects during the pass; what an analysis keeps (and sends between threads)
 * is its AggregateData, plain data read with the functions below.
 */
import type { ValueType } from '../rdb/constants.js';
import { PrefixTree, type PrefixOptions, type PrefixTreeData } from './prefix-tree.js';
import { TopN, type TopNData } from './top-n.js';

export interface Tally {
  keys: number;
  bytes: number;
}

export interface KeySample {
  db: number;
  key: Buffer;
  type: ValueType;
  encoding: string;
  bytes: number;
  length: number;
  expireAt: number;
  file: number;
}

export const TTL_BUCKETS = ['none', 'expired', '< 1h', '< 1d', '< 7d', '< 30d', 'later'] as const;
export type TtlBucket = (typeof TTL_BUCKETS)[number];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export function ttlBucket(expireAt: number, now: number): TtlBucket {
  if (expireAt < 0) return 'none';
  const left = expireAt - now;
  if (left <= 0) return 'expired';
  if (left < HOUR) return '< 1h';
  if (left < DAY) return '< 1d';
  if (left < 7 * DAY) return '< 7d';
  if (left < 30 * DAY) return '< 30d';
  return 'later';
}

/** Size histogram: upper bounds in bytes (the last bucket is open). */
export const SIZE_BOUNDS = [64, 128, 256, 512, 1024, 4096, 16384, 65536, 262144, 1048576, 10485760, Infinity];
/** Element-count histogram upper bounds. */
export const COUNT_BOUNDS = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000, Infinity];

export interface AggregateOptions {
  /** reference time for TTL buckets (ms) */
  now: number;
  topN: number;
  prefix: Partial<PrefixOptions>;
}

/** The aggregates of one pass as plain data (structured-clone-able). */
export interface AggregateData {
  readonly options: AggregateOptions;
  readonly total: Tally;
  readonly byDb: Map<number, Tally & { expires: number }>;
  /** type -> encoding -> tally */
  readonly typeEncodings: Map<ValueType, Map<string, Tally>>;
  readonly byFile: Map<number, Tally>;
  readonly ttl: Map<TtlBucket, Tally>;
  readonly sizeHistogram: Tally[];
  readonly countHistogram: Tally[];
  readonly topByMemory: TopNData<KeySample>;
  readonly topByElements: TopNData<KeySample>;
  readonly prefixes: PrefixTreeData;
  /** bytes of key names (the raw key length) */
  readonly keyNameBytes: number;
  /** keys with an unknown size (module values) */
  readonly unknownSize: number;
}

type TypeEncodings = { readonly typeEncodings: ReadonlyMap<ValueType, ReadonlyMap<string, Tally>> };

/** type -> tally */
export function tallyByType(g: TypeEncodings): Map<ValueType, Tally> {
  const out = new Map<ValueType, Tally>();
  for (const [t, encs] of g.typeEncodings) out.set(t, sumTallies(encs.values()));
  return out;
}

/** encoding -> tally */
export function tallyByEncoding(g: TypeEncodings): Map<string, Tally> {
  const out = new Map<string, Tally>();
  for (const encs of g.typeEncodings.values()) {
    for (const [e, t] of encs) {
      const o = out.get(e);
      if (o) {
        o.keys += t.keys;
        o.bytes += t.bytes;
      } else out.set(e, { ...t });
    }
  }
  return out;
}

/** "type/encoding" -> tally, e.g. "hash/listpack" */
export function tallyByTypeEncoding(g: TypeEncodings): Map<string, Tally> {
  const out = new Map<string, Tally>();
  for (const [t, encs] of g.typeEncodings) for (const [e, tally] of encs) out.set(`${t}/${e}`, { ...tally });
  return out;
}

export class DumpAggregate {
  readonly total: Tally = { keys: 0, bytes: 0 };
  readonly byDb = new Map<number, Tally & { expires: number }>();
  /** type -> encoding -> tally */
  readonly typeEncodings = new Map<ValueType, Map<string, Tally>>();
  readonly byFile = new Map<number, Tally>();
  private lastFile = -1;
  private fileTally: Tally = { keys: 0, bytes: 0 };
  // keys come in runs of one db and of one type and encoding: the last tallies are kept
  private lastDb = -1;
  private dbTally: Tally & { expires: number } = { keys: 0, bytes: 0, expires: 0 };
  private lastType: ValueType | null = null;
  private lastEncoding = '';
  private encodingTally: Tally = { keys: 0, bytes: 0 };
  readonly ttl = new Map<TtlBucket, Tally>(TTL_BUCKETS.map((b) => [b, { keys: 0, bytes: 0 }]));
  /** this.ttl's tallies by bucket, for the keys without a TTL (most) */
  private readonly noTtl = this.ttl.get('none')!;
  readonly sizeHistogram: Tally[] = SIZE_BOUNDS.map(() => ({ keys: 0, bytes: 0 }));
  readonly countHistogram: Tally[] = COUNT_BOUNDS.map(() => ({ keys: 0, bytes: 0 }));
  readonly topByMemory: TopN<KeySample>;
  readonly topByElements: TopN<KeySample>;
  readonly prefixes: PrefixTree;
  /** bytes of key names (the raw key length) */
  keyNameBytes = 0;
  /** keys with an unknown size (module values) */
  unknownSize = 0;
  readonly options: AggregateOptions;

  constructor(opts: Partial<AggregateOptions> = {}) {
    this.options = { now: opts.now ?? Date.now(), topN: opts.topN ?? 100, prefix: opts.prefix ?? {} };
    this.topByMemory = new TopN(this.options.topN);
    this.topByElements = new TopN(this.options.topN);
    this.prefixes = new PrefixTree(this.options.prefix);
  }

  get byType(): Map<ValueType, Tally> {
    return tallyByType(this);
  }

  get byEncoding(): Map<string, Tally> {
    return tallyByEncoding(this);
  }

  /** "type/encoding" -> tally, e.g. "hash/listpack" */
  get byTypeEncoding(): Map<string, Tally> {
    return tallyByTypeEncoding(this);
  }

  /** The aggregates as plain data (shared, not copied). */
  data(): AggregateData {
    return {
      options: this.options,
      total: this.total,
      byDb: this.byDb,
      typeEncodings: this.typeEncodings,
      byFile: this.byFile,
      ttl: this.ttl,
      sizeHistogram: this.sizeHistogram,
      countHistogram: this.countHistogram,
      topByMemory: this.topByMemory.data(),
      topByElements: this.topByElements.data(),
      prefixes: this.prefixes.data(),
      keyNameBytes: this.keyNameBytes,
      unknownSize: this.unknownSize,
    };
  }

  /**
   * One key. `ord` orders it among keys of equal size in the top lists (the top-n.ts tie rule):
   * its record's offset in the dump, or by default its place among the keys added.
   */
  add(db: number, key: Buffer, type: ValueType, encoding: string, bytes: number, length: number, expireAt: number, file = 0, ord = this.total.keys): void {
    if (bytes < 0) {
      this.unknownSize++;
      bytes = 0;
    }
    this.total.keys++;
    this.total.bytes += bytes;
    if (db !== this.lastDb) {
      this.lastDb = db;
      let d = this.byDb.get(db);
      if (!d) this.byDb.set(db, (d = { keys: 0, bytes: 0, expires: 0 }));
      this.dbTally = d;
    }
    const d = this.dbTally;
    d.keys++;
    d.bytes += bytes;
    if (expireAt >= 0) d.expires++;
    // one tally per type x encoding; the per-type and per-encoding tallies are derived from it
    // when read (see byType / byEncoding)
    if (type !== this.lastType || encoding !== this.lastEncoding) {
      this.lastType = type;
      this.lastEncoding = encoding;
      let encs = this.typeEncodings.get(type);
      if (!encs) this.typeEncodings.set(type, (encs = new Map()));
      let e = encs.get(encoding);
      if (!e) encs.set(encoding, (e = { keys: 0, bytes: 0 }));
      this.encodingTally = e;
    }
    this.encodingTally.keys++;
    this.encodingTally.bytes += bytes;
    if (file !== this.lastFile) {
      this.lastFile = file;
      this.fileTally = this.byFile.get(file) ?? { keys: 0, bytes: 0 };
      this.byFile.set(file, this.fileTally);
    }
    this.fileTally.keys++;
    this.fileTally.bytes += bytes;
    const t = expireAt < 0 ? this.noTtl : this.ttl.get(ttlBucket(expireAt, this.options.now))!;
    t.keys++;
    t.bytes += bytes;
    const s = this.sizeHistogram[bucketOf(SIZE_BOUNDS, bytes)]!;
    s.keys++;
    s.bytes += bytes;
    if (type !== 'string') {
      const c = this.countHistogram[bucketOf(COUNT_BOUNDS, length)]!;
      c.keys++;
      c.bytes += bytes;
    }
    this.keyNameBytes += key.length;
    this.prefixes.add(key, bytes, expireAt >= 0);
    const wantMem = this.topByMemory.wants(bytes, ord);
    const wantLen = type !== 'string' && this.topByElements.wants(length, ord);
    if (wantMem || wantLen) {
      const sample: KeySample = { db, key: Buffer.from(key), type, encoding, bytes, length, expireAt, file };
      if (wantMem) this.topByMemory.add(bytes, sample, ord);
      if (wantLen) this.topByElements.add(length, sample, ord);
    }
  }
}

function sumTallies(ts: Iterable<Tally>): Tally {
  const out = { keys: 0, bytes: 0 };
  for (const t of ts) {
    out.keys += t.keys;
    out.bytes += t.bytes;
  }
  return out;
}

function bucketOf(bounds: number[], v: number): number {
  let i = 0;
  while (v > bounds[i]!) i++;
  return i;
}
