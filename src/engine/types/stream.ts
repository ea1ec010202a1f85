/**
 * Streams (mirrors t_stream.c, 7.0): the stream value (entries, consumer groups, the rax of
 * listpack nodes as memory) and the stream writes (XADD, XDEL, XTRIM).
 *
 * Values keep their data and a memory model (src/memory/live) that each operation updates per
 * element; writes take a Database, open or create the key (generic.ts) and refresh its figures.
 * Arguments may be views into a query buffer: anything kept is copied.
 */
import { StreamMemory } from '../../memory/live/stream.js';
import type { Database } from '../database.js';
import { EngineError, type Env, openForWrite } from './generic.js';
import { cgroupsMemory, cloneCGroups, type StreamCG } from './stream-cgroups.js';

export interface StreamId {
  ms: number;
  seq: number;
}

export interface LiveStreamEntry {
  ms: number;
  seq: number;
  fields: Buffer[];
}

/**
 * The parts of a stream ID are uint64_t in Redis. Here a part is the int64 with the same bits
 * held in a double: 0 .. 2^53 as they are, 2^63 .. 2^64-1 as the negatives, so UINT64_MAX is
 * -1 and the IDs next to it (the ones the edge cases use) are exact. Compare with cmpU64,
 * print with u64Text.
 */
export const U64_MAX_PART = -1;
const TWO64 = 18446744073709551616n;
const TWO63 = 9223372036854775808n;

/** the order of two ID parts as uint64_t */
export function cmpU64(a: number, b: number): number {
  if (a === b) return 0;
  const an = a < 0;
  if (an !== b < 0) return an ? 1 : -1;
  return a < b ? -1 : 1;
}

export function cmpId(ams: number, aseq: number, bms: number, bseq: number): number {
  return ams !== bms ? cmpU64(ams, bms) : cmpU64(aseq, bseq);
}

/** an ID part from its uint64 value */
export function u64Part(v: bigint): number {
  return Number(v >= TWO63 ? v - TWO64 : v);
}

/** an ID part's decimal text (as uint64_t) */
export function u64Text(v: number): string {
  return v < 0 ? (BigInt(v) + TWO64).toString() : String(v);
}

/** "ms-seq" */
export function idText(ms: number, seq: number): string {
  return `${ms < 0 ? u64Text(ms) : ms}-${seq < 0 ? u64Text(seq) : seq}`;
}

/** "ms-seq" text (a dump's) to an ID */
export function idFromText(t: string): StreamId {
  const dash = t.indexOf('-');
  return { ms: u64Part(BigInt(t.slice(0, dash))), seq: u64Part(BigInt(t.slice(dash + 1))) };
}

/** streamIncrID: false (and 0-0) past the last possible ID */
export function streamIncrID(id: StreamId): boolean {
  if (id.seq === U64_MAX_PART) {
    if (id.ms === U64_MAX_PART) {
      id.ms = 0;
      id.seq = 0;
      return false;
    }
    id.ms++;
    id.seq = 0;
  } else id.seq++;
  return true;
}

/** streamDecrID: false (and UINT64_MAX-UINT64_MAX) before 0-0 */
export function streamDecrID(id: StreamId): boolean {
  if (id.seq === 0) {
    if (id.ms === 0) {
      id.ms = U64_MAX_PART;
      id.seq = U64_MAX_PART;
      return false;
    }
    id.ms--;
    id.seq = U64_MAX_PART;
  } else id.seq--;
  return true;
}

export class StreamValue {
  readonly type = 'stream' as const;
  /** live entries in ID order, from `head` on */
  entries: LiveStreamEntry[] = [];
  head = 0;
  last: StreamId = { ms: 0, seq: 0 };
  first: StreamId = { ms: 0, seq: 0 };
  maxDeleted: StreamId = { ms: 0, seq: 0 };
  entriesAdded = 0;
  /** consumer groups (the cgroups rax, in name order): stream-cgroups.ts */
  groups: StreamCG[] = [];
  readonly mem: StreamMemory;

  constructor(private readonly env: Env) {
    this.mem = new StreamMemory(env.f, env.cfg['stream-node-max-bytes'], env.cfg['stream-node-max-entries']);
  }

  get length(): number {
    return this.entries.length - this.head;
  }

  get encoding(): string {
    return this.env.f.streamEncoding;
  }

  get payload(): number {
    return this.groups.length === 0 ? this.mem.payload : this.mem.payload + cgroupsMemory(this.groups, this.env.f.version);
  }

  entry(i: number): LiveStreamEntry | undefined {
    if (i < 0 || i >= this.length) return undefined;
    return this.entries[this.head + i];
  }

  append(ms: number, seq: number, fields: Buffer[]): void {
    this.mem.append(ms, seq, fields);
    this.entries.push({ ms, seq, fields });
    if (this.length === 1) this.first = { ms, seq };
    this.last = { ms, seq };
    this.entriesAdded++;
  }

  /** XADD/XTRIM MAXLEN; returns entries removed */
  trimMaxlen(maxlen: number, approx: boolean, limit: number): number {
    return this.trim(maxlen, null, approx, limit);
  }

  /** drop the first n live entries from the list (trimmed or deleted at the front) */
  private dropFront(n: number): void {
    if (n <= 0) return;
    this.head += n;
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }

  private updateFirst(): void {
    const e = this.entry(0);
    this.first = e ? { ms: e.ms, seq: e.seq } : { ms: 0, seq: 0 };
  }

  /** node index holding entry (ms, seq): the last node whose master ID is not above it */
  private nodeOf(ms: number, seq: number): number {
    const nodes = this.mem.nodes;
    let lo = 0;
    let hi = nodes.length - 1;
    let ans = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const n = nodes[mid]!;
      if (cmpId(n.masterMs, n.masterSeq, ms, seq) <= 0) {
        ans = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return ans;
  }

  /** the last ID in node 0 (lpGetEdgeStreamID): tracked for appended nodes, else its last live entry */
  private lastIdOfFirstNode(liveInNode: number): StreamId {
    const n = this.mem.nodes[0]!;
    const e = this.entry(liveInNode - 1);
    let best: StreamId = e ? { ms: e.ms, seq: e.seq } : { ms: n.masterMs, seq: n.masterSeq };
    if (n.lastMs !== undefined && cmpId(n.lastMs, n.lastSeq!, best.ms, best.seq) > 0) best = { ms: n.lastMs, seq: n.lastSeq! };
    return best;
  }

  /**
   * streamTrim (t_stream.c, 7.0): MAXLEN (minid null) or MINID; whole nodes first, then (not
   * approx) entries of the first node marked deleted. `limit` bounds the entries removed with
   * whole nodes (0: none). Returns how many entries went.
   */
  trim(maxlen: number, minid: StreamId | null, approx: boolean, limit: number): number {
    let deleted = 0;
    const mem = this.mem;
    while (mem.nodes.length > 0) {
      if (minid === null && this.length <= maxlen) break;
      const node = mem.nodes[0]!;
      const entries = node.live;
      if (limit && deleted + entries > limit) break;
      let removeNode: boolean;
      if (minid === null) removeNode = this.length - entries >= maxlen;
      else {
        const last = this.lastIdOfFirstNode(entries);
        removeNode = cmpId(last.ms, last.seq, minid.ms, minid.seq) < 0;
      }
      if (removeNode) {
        mem.removeNode(0);
        this.dropFront(entries);
        deleted += entries;
        continue;
      }
      if (approx) break;
      let k = 0;
      while (k < entries) {
        if (minid === null) {
          if (this.length - k <= maxlen) break;
        } else {
          const e = this.entry(k)!;
          if (cmpId(e.ms, e.seq, minid.ms, minid.seq) >= 0) break;
        }
        k++;
      }
      mem.markDeleted(0, k);
      this.dropFront(k);
      deleted += k;
      break;
    }
    if (deleted > 0) this.updateFirst();
    return deleted;
  }

  /** XDEL of one ID: whether it was there */
  deleteId(ms: number, seq: number): boolean {
    const i = this.lowerBound(ms, seq);
    const e = this.entry(i);
    if (!e || e.ms !== ms || e.seq !== seq) return false;
    const ni = this.nodeOf(ms, seq);
    if (ni >= 0) this.mem.deleteEntry(ni);
    if (i === 0) this.dropFront(1);
    else this.entries.splice(this.head + i, 1);
    return true;
  }

  /** after XDEL: first ID and the maximal tombstone */
  afterDelete(maxDeleted: StreamId | null, firstDeleted: boolean): void {
    if (maxDeleted && cmpId(maxDeleted.ms, maxDeleted.seq, this.maxDeleted.ms, this.maxDeleted.seq) > 0) this.maxDeleted = maxDeleted;
    if (this.length === 0) this.first = { ms: 0, seq: 0 };
    else if (firstDeleted) this.updateFirst();
  }

  /** streamDup (COPY) */
  clone(): StreamValue {
    const v = new StreamValue(this.env);
    v.entries = this.entries.slice(this.head).map((e) => ({ ms: e.ms, seq: e.seq, fields: e.fields }));
    v.last = { ...this.last };
    v.first = { ...this.first };
    v.maxDeleted = { ...this.maxDeleted };
    v.entriesAdded = this.entriesAdded;
    v.groups = cloneCGroups(this.groups);
    v.mem.copyFrom(this.mem);
    return v;
  }

  /** index of the first entry with ID >= (ms, seq) */
  lowerBound(ms: number, seq: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const e = this.entries[this.head + mid]!;
      if (cmpId(e.ms, e.seq, ms, seq) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

// ------------------------------------------------------------------ writes

export interface XaddArgs {
  /** null: '*' (the next ID from the clock) */
  ms: number | null;
  seq: number | null;
  noMkStream: boolean;
  maxlen: number;
  /** MINID threshold (null: none) */
  minid?: StreamId | null;
  approx: boolean;
  limit: number;
}

/** XADD: the new entry's ID, or null when NOMKSTREAM and the key is absent */
export function streamAdd(db: Database, key: Uint8Array, a: XaddArgs, fields: Buffer[]): string | null {
  const o = openForWrite(db, key, 'stream');
  if (!o && a.noMkStream) return null;
  const s = o ? o.v : new StreamValue(db.shared.env);
  if (s.last.ms === U64_MAX_PART && s.last.seq === U64_MAX_PART) {
    throw new EngineError('ERR The stream has exhausted the last possible ID, unable to add more items');
  }
  const ID_ERR = 'ERR The ID specified in XADD is equal or smaller than the target stream top item';
  let ms: number;
  let seq: number;
  if (a.ms === null) {
    // streamNextID
    const now = db.shared.now();
    if (cmpU64(now, s.last.ms) > 0) {
      ms = now;
      seq = 0;
    } else {
      const id = { ms: s.last.ms, seq: s.last.seq };
      streamIncrID(id);
      ms = id.ms;
      seq = id.seq;
    }
  } else if (a.seq === null) {
    ms = a.ms;
    if (s.last.ms === ms) {
      if (s.last.seq === U64_MAX_PART) throw new EngineError(ID_ERR);
      seq = s.last.seq + 1;
    } else seq = 0;
  } else {
    ms = a.ms;
    seq = a.seq;
  }
  if (cmpId(ms, seq, s.last.ms, s.last.seq) <= 0) throw new EngineError(ID_ERR);
  s.append(ms, seq, fields.map((f) => Buffer.from(f)));
  if (a.maxlen >= 0) s.trimMaxlen(a.maxlen, a.approx, a.limit);
  else if (a.minid) s.trim(0, a.minid, a.approx, a.limit);
  if (o) db.refresh(o.id);
  else db.setValue(key, s);
  return idText(ms, seq);
}

/** XDEL: how many of the IDs were deleted */
export function streamDelete(db: Database, key: Uint8Array, ids: StreamId[]): number {
  const o = openForWrite(db, key, 'stream');
  if (!o) return 0;
  const s = o.v;
  let deleted = 0;
  let firstDeleted = false;
  let maxDel: StreamId | null = null;
  for (const id of ids) {
    const wasFirst = s.length > 0 && s.first.ms === id.ms && s.first.seq === id.seq;
    if (s.deleteId(id.ms, id.seq)) {
      if (wasFirst) firstDeleted = true;
      if (!maxDel || cmpId(id.ms, id.seq, maxDel.ms, maxDel.seq) > 0) maxDel = id;
      deleted++;
    }
  }
  if (deleted) {
    s.afterDelete(maxDel, firstDeleted);
    db.refresh(o.id);
  }
  return deleted;
}

/** XTRIM: how many entries went */
export function streamTrim(db: Database, key: Uint8Array, maxlen: number, minid: StreamId | null, approx: boolean, limit: number): number {
  const o = openForWrite(db, key, 'stream');
  if (!o) return 0;
  const n = o.v.trim(maxlen, minid, approx, limit);
  if (n > 0) db.refresh(o.id);
  return n;
}
