/**
 * Stream consumer groups (t_stream.c, 7.0 "Low level implementation of consumer groups"): the
 * groups of a stream (a rax by name), each with its pending entries list (a rax of 16-byte IDs
 * to streamNACK), its consumers (a rax by name) and their own PELs sharing the group's NACKs.
 *
 * The raxes are sorted arrays here (binary search; the replies walk them in key order). Their
 * memory is what objectComputeSize (object.c, 7.0) counts per group: sizeof(streamCG), the
 * PEL's streamRadixTreeMemoryUsage, sizeof(streamNACK) per pending entry, and per consumer
 * sizeof(streamConsumer) + sdslen(name) + its PEL's streamRadixTreeMemoryUsage. A rax's
 * numnodes follows from its key set (src/memory/rax.ts: raxRemove recompresses to the shape
 * inserting the remaining keys gives, for fixed-length keys), recounted when the set changed.
 */
import { raxNodeCountByLcp } from '../../memory/rax.js';
import { streamRaxMemoryUsage } from '../../memory/stream.js';
import type { StreamGroup } from '../../rdb/stream.js';
import { cmpId, idFromText, type StreamId, type StreamValue } from './stream.js';

/** SCG_INVALID_ENTRIES_READ */
export const SCG_INVALID_ENTRIES_READ = -1;

const isZero = (id: StreamId): boolean => id.ms === 0 && id.seq === 0;

/** streamRangeHasTombstones (end: UINT64_MAX when null) */
export function streamRangeHasTombstones(s: StreamValue, start: StreamId | null, end: StreamId | null): boolean {
  if (s.length === 0 || isZero(s.maxDeleted)) return false;
  const md = s.maxDeleted;
  if (cmpId(s.first.ms, s.first.seq, md.ms, md.seq) > 0) return false;
  const st = start ?? { ms: 0, seq: 0 };
  if (cmpId(st.ms, st.seq, md.ms, md.seq) > 0) return false;
  return end === null || cmpId(md.ms, md.seq, end.ms, end.seq) <= 0;
}

/** streamEstimateDistanceFromFirstEverEntry: the ID's logical read counter, or SCG_INVALID_ENTRIES_READ */
export function streamEstimateDistanceFromFirstEverEntry(s: StreamValue, id: StreamId): number {
  if (!s.entriesAdded) return 0;
  const cmpLast = cmpId(id.ms, id.seq, s.last.ms, s.last.seq);
  if (s.length === 0 && cmpLast < 1) return s.entriesAdded;
  if (cmpLast === 0) return s.entriesAdded;
  if (cmpLast > 0) return SCG_INVALID_ENTRIES_READ;
  const cmpFirst = cmpId(id.ms, id.seq, s.first.ms, s.first.seq);
  const md = s.maxDeleted;
  if (isZero(md) || cmpId(md.ms, md.seq, s.first.ms, s.first.seq) < 0) {
    if (cmpFirst < 0) return s.entriesAdded - s.length;
    if (cmpFirst === 0) return s.entriesAdded - s.length + 1;
  }
  return SCG_INVALID_ENTRIES_READ;
}

/** sizeof(streamNACK): delivery_time, delivery_count, consumer */
const SIZEOF_STREAM_NACK = 24;

export interface StreamNACK {
  ms: number;
  seq: number;
  /** unix ms of the last delivery */
  deliveryTime: number;
  deliveryCount: number;
  /** null only for a NACK XCLAIM FORCE just created */
  consumer: StreamConsumer | null;
}

/** common leading bytes of two uint64 ID parts (held as int64 doubles) in big-endian order */
function u64Lcp(a: number, b: number): number {
  const ah = Math.floor(a / 4294967296) >>> 0;
  const bh = Math.floor(b / 4294967296) >>> 0;
  if (ah !== bh) return Math.clz32(ah ^ bh) >> 3;
  return 4 + (Math.clz32((a >>> 0) ^ (b >>> 0)) >> 3);
}

/** common prefix of two 16-byte encoded IDs */
function idLcp(a: StreamNACK, b: StreamNACK): number {
  if (a.ms !== b.ms) return u64Lcp(a.ms, b.ms);
  if (a.seq !== b.seq) return 8 + u64Lcp(a.seq, b.seq);
  return 16;
}

/** A rax of stream IDs to NACKs, in ID order. */
export class StreamPel {
  readonly items: StreamNACK[] = [];
  private nodes = 1;
  private stale = false;

  get size(): number {
    return this.items.length;
  }

  /** index of the first NACK with ID >= (ms, seq) (raxSeek ">=") */
  lowerBound(ms: number, seq: number): number {
    const a = this.items;
    let lo = 0;
    let hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const e = a[mid]!;
      if (cmpId(e.ms, e.seq, ms, seq) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  find(ms: number, seq: number): StreamNACK | undefined {
    const e = this.items[this.lowerBound(ms, seq)];
    return e !== undefined && e.ms === ms && e.seq === seq ? e : undefined;
  }

  /** raxTryInsert: false when the ID is there already */
  insert(n: StreamNACK): boolean {
    const i = this.lowerBound(n.ms, n.seq);
    const e = this.items[i];
    if (e !== undefined && e.ms === n.ms && e.seq === n.seq) return false;
    if (i === this.items.length) this.items.push(n);
    else this.items.splice(i, 0, n);
    this.stale = true;
    return true;
  }

  /** raxRemove: the NACK that was there */
  remove(ms: number, seq: number): StreamNACK | undefined {
    const i = this.lowerBound(ms, seq);
    const e = this.items[i];
    if (e === undefined || e.ms !== ms || e.seq !== seq) return undefined;
    this.items.splice(i, 1);
    this.stale = true;
    return e;
  }

  /** items were pushed directly (in order): numnodes is recounted */
  changed(): void {
    this.stale = true;
  }

  /** rax->numnodes (of the 16-byte big-endian IDs, streamEncodeID) */
  get raxNodes(): number {
    if (this.stale) {
      const a = this.items;
      this.nodes = raxNodeCountByLcp(a.length, 16, (i) => idLcp(a[i - 1]!, a[i]!));
      this.stale = false;
    }
    return this.nodes;
  }

  /** streamRadixTreeMemoryUsage of this rax */
  get memory(): number {
    return streamRaxMemoryUsage(this.items.length, this.raxNodes);
  }
}

export interface StreamConsumer {
  name: Buffer;
  /** unix ms it was last seen (streamLookupConsumer refreshes it) */
  seenTime: number;
  pel: StreamPel;
}

export interface StreamCG {
  name: Buffer;
  lastId: StreamId;
  /** SCG_INVALID_ENTRIES_READ when unknown */
  entriesRead: number;
  pel: StreamPel;
  /** the consumers rax, in name (memcmp) order */
  consumers: StreamConsumer[];
}

/** index of the first element whose name is >= name (memcmp order, as the raxes keep them) */
function nameBound<T extends { name: Buffer }>(a: readonly T[], name: Uint8Array): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (Buffer.compare(a[mid]!.name, name) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function findNamed<T extends { name: Buffer }>(a: readonly T[], name: Uint8Array): T | undefined {
  const e = a[nameBound(a, name)];
  return e !== undefined && Buffer.compare(e.name, name) === 0 ? e : undefined;
}

/** raxTryInsert by name: false when the name is taken */
function insertNamed<T extends { name: Buffer }>(a: T[], v: T): boolean {
  const i = nameBound(a, v.name);
  const e = a[i];
  if (e !== undefined && e.name.equals(v.name)) return false;
  a.splice(i, 0, v);
  return true;
}

function removeNamed<T extends { name: Buffer }>(a: T[], name: Uint8Array): T | undefined {
  const i = nameBound(a, name);
  const e = a[i];
  if (e === undefined || Buffer.compare(e.name, name) !== 0) return undefined;
  a.splice(i, 1);
  return e;
}

/** streamLookupCG */
export function streamLookupCG(groups: readonly StreamCG[], name: Uint8Array): StreamCG | undefined {
  return findNamed(groups, name);
}

/** streamCreateCG: null when a group of that name exists */
export function streamCreateCG(groups: StreamCG[], name: Uint8Array, id: StreamId, entriesRead: number): StreamCG | null {
  const cg: StreamCG = { name: Buffer.from(name), lastId: { ms: id.ms, seq: id.seq }, entriesRead, pel: new StreamPel(), consumers: [] };
  return insertNamed(groups, cg) ? cg : null;
}

/** XGROUP DESTROY: whether the group was there */
export function streamDestroyCG(groups: StreamCG[], name: Uint8Array): boolean {
  return removeNamed(groups, name) !== undefined;
}

/** streamLookupConsumer; refreshes its seen time unless `noRefresh` (SLC_NO_REFRESH) */
export function streamLookupConsumer(cg: StreamCG, name: Uint8Array, now: number, noRefresh = false): StreamConsumer | undefined {
  const c = findNamed(cg.consumers, name);
  if (c !== undefined && !noRefresh) c.seenTime = now;
  return c;
}

/** streamCreateConsumer: null when it exists */
export function streamCreateConsumer(cg: StreamCG, name: Uint8Array, now: number): StreamConsumer | null {
  const c: StreamConsumer = { name: Buffer.from(name), seenTime: now, pel: new StreamPel() };
  return insertNamed(cg.consumers, c) ? c : null;
}

/** streamDelConsumer: its pending entries leave the group PEL too */
export function streamDelConsumer(cg: StreamCG, consumer: StreamConsumer): void {
  for (const n of consumer.pel.items) cg.pel.remove(n.ms, n.seq);
  removeNamed(cg.consumers, consumer.name);
}

/** XACK / deleted entries: drop a NACK from the group and its consumer */
export function streamRemoveNACK(cg: StreamCG, n: StreamNACK): void {
  cg.pel.remove(n.ms, n.seq);
  n.consumer?.pel.remove(n.ms, n.seq);
}

/** the groups' share of MEMORY USAGE (objectComputeSize's cgroups loop, object.c 7.0) */
export function cgroupsMemory(groups: readonly StreamCG[], version: number): number {
  const cgSize = version < 700 ? 32 : 40;
  const consumerSize = version < 702 ? 24 : 32;
  let size = 0;
  for (const g of groups) {
    size += cgSize + g.pel.memory + SIZEOF_STREAM_NACK * g.pel.size;
    for (const c of g.consumers) size += consumerSize + c.name.length + c.pel.memory;
  }
  return size;
}

/** streamDup's copy of the groups: the NACKs copied once, shared by the copied consumers */
export function cloneCGroups(groups: readonly StreamCG[]): StreamCG[] {
  const out: StreamCG[] = [];
  for (const g of groups) {
    const cg: StreamCG = { name: g.name, lastId: { ...g.lastId }, entriesRead: g.entriesRead, pel: new StreamPel(), consumers: [] };
    const byOld = new Map<StreamConsumer, StreamConsumer>();
    for (const c of g.consumers) {
      const nc: StreamConsumer = { name: c.name, seenTime: c.seenTime, pel: new StreamPel() };
      byOld.set(c, nc);
      cg.consumers.push(nc);
    }
    for (const n of g.pel.items) {
      const owner = n.consumer ? (byOld.get(n.consumer) ?? null) : null;
      const nn: StreamNACK = { ms: n.ms, seq: n.seq, deliveryTime: n.deliveryTime, deliveryCount: n.deliveryCount, consumer: owner };
      cg.pel.items.push(nn);
      owner?.pel.items.push(nn);
    }
    markStale(cg);
    out.push(cg);
  }
  return out;
}

function markStale(cg: StreamCG): void {
  cg.pel.changed();
  for (const c of cg.consumers) c.pel.changed();
}

const parseId = idFromText;

/**
 * The groups of a stream loaded from a dump (rdbLoadObject's cgroups part): PEL entries in ID
 * order, each given to the consumer whose PEL names it. `s` has its IDs and counters loaded;
 * `legacy`: the dump's type has no entries-read (before RDB_TYPE_STREAM_LISTPACKS_2).
 */
export function cgroupsFromRdb(s: StreamValue, groups: readonly StreamGroup[], legacy: boolean): StreamCG[] {
  const out: StreamCG[] = [];
  for (const g of groups) {
    const lastId = parseId(g.lastId);
    // before RDB_TYPE_STREAM_LISTPACKS_2 (`legacy`) the counter is estimated (rdbLoadObject)
    const entriesRead = g.entriesRead ?? (legacy ? streamEstimateDistanceFromFirstEverEntry(s, lastId) : SCG_INVALID_ENTRIES_READ);
    const cg: StreamCG = { name: g.name, lastId, entriesRead, pel: new StreamPel(), consumers: [] };
    const byId = new Map<string, StreamNACK>();
    for (const p of g.pending) {
      const id = parseId(p.id);
      const n: StreamNACK = { ms: id.ms, seq: id.seq, deliveryTime: p.deliveryTime, deliveryCount: p.deliveryCount, consumer: null };
      byId.set(p.id, n);
      cg.pel.insert(n);
    }
    for (const c of g.consumers) {
      const sc: StreamConsumer = { name: c.name, seenTime: c.seenTime, pel: new StreamPel() };
      for (const id of c.pending) {
        const n = byId.get(id);
        if (n === undefined) continue; // rdbLoad refuses such a dump; the parser has checked it
        n.consumer = sc;
        sc.pel.insert(n);
      }
      insertNamed(cg.consumers, sc);
    }
    insertNamed(out, cg);
  }
  return out;
}
