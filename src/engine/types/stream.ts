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

export function cmpId(ams: number, aseq: number, bms: number, bseq: number): number {
  return ams !== bms ? (ams < bms ? -1 : 1) : aseq === bseq ? 0 : aseq < bseq ? -1 : 1;
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
  let ms: number;
  let seq: number;
  if (a.ms === null) {
    const now = db.shared.now();
    if (now > s.last.ms) {
      ms = now;
      seq = 0;
    } else {
      ms = s.last.ms;
      seq = s.last.seq + 1;
    }
  } else if (a.seq === null) {
    ms = a.ms;
    seq = s.last.ms === ms ? s.last.seq + 1 : 0;
  } else {
    ms = a.ms;
    seq = a.seq;
  }
  if (cmpId(ms, seq, s.last.ms, s.last.seq) <= 0) {
    throw new EngineError('ERR The ID specified in XADD is equal or smaller than the target stream top item');
  }
  s.append(ms, seq, fields.map((f) => Buffer.from(f)));
  if (a.maxlen >= 0) s.trimMaxlen(a.maxlen, a.approx, a.limit);
  else if (a.minid) s.trim(0, a.minid, a.approx, a.limit);
  if (o) db.refresh(o.id);
  else db.setValue(key, s);
  return `${ms}-${seq}`;
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
