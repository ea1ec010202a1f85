/**
 * `rdblens diff`: what changed between two dumps of the same data set. The old dump's keys go
 * into a compact index, (db, key) -> memory, held in typed arrays and one arena of key bytes
 * (about 30 bytes per key plus the key name: ~100 MB for 2.3 million 20-byte keys); the new
 * dump is then streamed past it. Only the old dump's key index is held, never a row per key.
 */
import type { KeyRow } from '../memory/analyze.js';
import { VALUE_TYPES } from '../engine/keyspace.js';
import type { ValueType } from '../rdb/index.js';
import { LargestKeys } from './largest.js';
import type { ReportModel } from './model.js';
import { col, type Cell, type Table } from './table.js';

const TYPE_CODE = new Map(VALUE_TYPES.map((t, i) => [t, i]));
const EMPTY = -1;

function hashKey(db: number, key: Uint8Array): number {
  // FNV-1a over the db number's 4 bytes and the key
  let h = 0x811c9dc5;
  for (let s = 0; s < 32; s += 8) {
    h ^= (db >>> s) & 0xff;
    h = Math.imul(h, 0x01000193);
  }
  for (let i = 0; i < key.length; i++) {
    h ^= key[i]!;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The old dump's keys for a diff: (db, key) -> bytes and type, with a mark per key for "seen again". */
export class OldKeySizes {
  private n = 0;
  private cap = 0;
  private arena = Buffer.alloc(0);
  private used = 0;
  private off = new Uint32Array(0);
  private len = new Uint32Array(0);
  private dbs = new Uint32Array(0);
  private bytes = new Float64Array(0);
  private types = new Uint8Array(0);
  private marks = new Uint8Array(0);
  private slots = new Int32Array(0);

  get size(): number {
    return this.n;
  }

  /** Heap bytes held (typed arrays, arena, hash slots). */
  heapBytes(): number {
    return this.cap * (4 + 4 + 4 + 8 + 1 + 1) + this.arena.length + this.slots.byteLength;
  }

  /** Add a key (a key already there is replaced). */
  set(db: number, key: Uint8Array, bytes: number, type: ValueType): void {
    let id = this.find(db, key);
    if (id < 0) {
      if (this.n === this.cap) this.grow();
      id = this.n++;
      if (this.used + key.length > this.arena.length) {
        const size = Math.max(this.arena.length * 2, this.used + key.length, 1 << 16);
        if (size > 0xffffffff) throw new Error('diff: the old dump has more than 4 GiB of key names');
        const next = Buffer.allocUnsafe(size);
        this.arena.copy(next, 0, 0, this.used);
        this.arena = next;
      }
      this.arena.set(key, this.used);
      this.off[id] = this.used;
      this.len[id] = key.length;
      this.dbs[id] = db;
      this.used += key.length;
      this.insertSlot(id, hashKey(db, key));
    }
    this.bytes[id] = bytes;
    this.types[id] = TYPE_CODE.get(type) ?? 0;
    this.marks[id] = 0;
  }

  /** Record id of (db, key), or -1. */
  find(db: number, key: Uint8Array): number {
    if (this.slots.length === 0) return -1;
    const mask = this.slots.length - 1;
    let s = hashKey(db, key) & mask;
    for (;;) {
      const id = this.slots[s]!;
      if (id === EMPTY) return -1;
      if (this.dbs[id] === db && this.equals(id, key)) return id;
      s = (s + 1) & mask;
    }
  }

  bytesOf(id: number): number {
    return this.bytes[id]!;
  }

  typeOf(id: number): ValueType {
    return VALUE_TYPES[this.types[id]!]!;
  }

  dbOf(id: number): number {
    return this.dbs[id]!;
  }

  keyOf(id: number): Buffer {
    const o = this.off[id]!;
    return this.arena.subarray(o, o + this.len[id]!);
  }

  mark(id: number): void {
    this.marks[id] = 1;
  }

  marked(id: number): boolean {
    return this.marks[id] === 1;
  }

  private equals(id: number, key: Uint8Array): boolean {
    const n = this.len[id]!;
    if (n !== key.length) return false;
    const o = this.off[id]!;
    const a = this.arena;
    for (let i = 0; i < n; i++) if (a[o + i] !== key[i]) return false;
    return true;
  }

  private grow(): void {
    const cap = Math.max(1024, this.cap * 2);
    const resize = <T extends Uint32Array | Float64Array | Uint8Array>(old: T, make: (n: number) => T): T => {
      const next = make(cap);
      next.set(old);
      return next;
    };
    this.off = resize(this.off, (n) => new Uint32Array(n));
    this.len = resize(this.len, (n) => new Uint32Array(n));
    this.dbs = resize(this.dbs, (n) => new Uint32Array(n));
    this.bytes = resize(this.bytes, (n) => new Float64Array(n));
    this.types = resize(this.types, (n) => new Uint8Array(n));
    this.marks = resize(this.marks, (n) => new Uint8Array(n));
    this.cap = cap;
    // keep the table at most half full
    this.slots = new Int32Array(cap * 2).fill(EMPTY);
    for (let id = 0; id < this.n; id++) this.insertSlot(id, hashKey(this.dbs[id]!, this.keyOf(id)));
  }

  private insertSlot(id: number, h: number): void {
    const mask = this.slots.length - 1;
    let s = h & mask;
    while (this.slots[s] !== EMPTY) s = (s + 1) & mask;
    this.slots[s] = id;
  }
}

/** One key's change. */
export interface KeyChange {
  db: number;
  key: Buffer;
  type: ValueType;
  /** -1: not in that dump */
  oldBytes: number;
  newBytes: number;
  status: 'added' | 'removed' | 'changed';
  /** ranking fields for LargestKeys: |delta| as bytes, position in the run */
  file: number;
  ordinal: number;
  bytes: number;
}

export interface DiffCounts {
  added: number;
  removed: number;
  /** in both, with another size or type */
  changed: number;
  unchanged: number;
  addedBytes: number;
  removedBytes: number;
  /** sum over changed keys of new - old */
  changedDelta: number;
}

/** Sizes as seen by the diff (unknown module sizes count as 0). */
const known = (b: number): number => (b < 0 ? 0 : b);

/** Streams the new dump's keys past the old dump's index. */
export class DiffBuilder {
  readonly old = new OldKeySizes();
  readonly counts: DiffCounts = { added: 0, removed: 0, changed: 0, unchanged: 0, addedBytes: 0, removedBytes: 0, changedDelta: 0 };
  private readonly growing: LargestKeys<KeyChange>;
  private readonly shrinking: LargestKeys<KeyChange>;
  private ordinal = 0;

  constructor(readonly topN: number) {
    this.growing = new LargestKeys(topN);
    this.shrinking = new LargestKeys(topN);
  }

  addOld(r: KeyRow): void {
    this.old.set(r.db, r.key, r.bytes, r.type);
  }

  addNew(r: KeyRow): void {
    const ordinal = this.ordinal++;
    const id = this.old.find(r.db, r.key);
    const nb = known(r.bytes);
    if (id < 0) {
      this.counts.added++;
      this.counts.addedBytes += nb;
      this.offer({ db: r.db, key: r.key, type: r.type, oldBytes: -1, newBytes: nb, status: 'added', file: 1, ordinal, bytes: 0 }, nb);
      return;
    }
    this.old.mark(id);
    const ob = known(this.old.bytesOf(id));
    if (ob === nb && this.old.typeOf(id) === r.type) {
      this.counts.unchanged++;
      return;
    }
    this.counts.changed++;
    this.counts.changedDelta += nb - ob;
    this.offer({ db: r.db, key: r.key, type: r.type, oldBytes: ob, newBytes: nb, status: 'changed', file: 1, ordinal, bytes: 0 }, nb - ob);
  }

  /** After the new dump: the old keys never seen again were removed. */
  finish(): void {
    const idx = this.old;
    for (let id = 0; id < idx.size; id++) {
      if (idx.marked(id)) continue;
      const ob = known(idx.bytesOf(id));
      this.counts.removed++;
      this.counts.removedBytes += ob;
      const c: KeyChange = { db: idx.dbOf(id), key: idx.keyOf(id), type: idx.typeOf(id), oldBytes: ob, newBytes: -1, status: 'removed', file: 0, ordinal: id, bytes: ob };
      if (this.shrinking.wants(c)) this.shrinking.add({ ...c, key: Buffer.from(c.key) });
    }
  }

  /** Largest growth first. */
  topGrowing(): KeyChange[] {
    return this.growing.inPositionOrder().sort((a, b) => b.bytes - a.bytes || a.file - b.file || a.ordinal - b.ordinal);
  }

  /** Largest shrink first. */
  topShrinking(): KeyChange[] {
    return this.shrinking.inPositionOrder().sort((a, b) => b.bytes - a.bytes || a.file - b.file || a.ordinal - b.ordinal);
  }

  private offer(c: KeyChange, delta: number): void {
    if (delta > 0) {
      const g = { ...c, bytes: delta };
      if (this.growing.wants(g)) this.growing.add(g);
    } else if (delta < 0) {
      const s = { ...c, bytes: -delta };
      if (this.shrinking.wants(s)) this.shrinking.add(s);
    }
  }
}

/** Rows of old/new tallies by a name, largest absolute change in bytes first. */
function growthRows(
  names: Iterable<string>,
  old: (n: string) => { keys: number; bytes: number } | undefined,
  neu: (n: string) => { keys: number; bytes: number } | undefined,
  label: (n: string) => Cell,
): Cell[][] {
  const rows: Array<{ name: string; row: Cell[]; d: number }> = [];
  for (const n of new Set(names)) {
    const o = old(n) ?? { keys: 0, bytes: 0 };
    const x = neu(n) ?? { keys: 0, bytes: 0 };
    rows.push({ name: n, d: x.bytes - o.bytes, row: [label(n), o.keys, x.keys, x.keys - o.keys, o.bytes, x.bytes, x.bytes - o.bytes] });
  }
  rows.sort((a, b) => Math.abs(b.d) - Math.abs(a.d) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return rows.map((r) => r.row);
}

const GROWTH_COLUMNS = (first: ReturnType<typeof col>) => [
  first,
  col('keys_old', 'count', 'keys old'),
  col('keys_new', 'count', 'keys new'),
  col('keys_delta', 'count-delta', 'Δ keys'),
  col('bytes_old', 'bytes', 'bytes old'),
  col('bytes_new', 'bytes', 'bytes new'),
  col('bytes_delta', 'bytes-delta', 'Δ bytes'),
];

export function typeGrowthTable(oldM: ReportModel, newM: ReportModel): Table {
  const o = new Map(oldM.byType.map((t) => [t.type as string, t]));
  const x = new Map(newM.byType.map((t) => [t.type as string, t]));
  return {
    id: 'types',
    title: 'Growth by type',
    columns: GROWTH_COLUMNS(col('type', 'text')),
    rows: growthRows([...o.keys(), ...x.keys()], (n) => o.get(n), (n) => x.get(n), (n) => n),
  };
}

/** Prefixes (every level) whose memory changed most; `n` rows at most. */
export function prefixGrowthTable(oldM: ReportModel, newM: ReportModel, n: number): Table {
  const o = new Map(oldM.prefixes.flatten().map((p) => [p.prefix.toString('latin1'), p]));
  const x = new Map(newM.prefixes.flatten().map((p) => [p.prefix.toString('latin1'), p]));
  const rows = growthRows([...o.keys(), ...x.keys()], (k) => o.get(k), (k) => x.get(k), (k) => Buffer.from(k, 'latin1'));
  const changed = rows.filter((r) => r[6] !== 0 || r[3] !== 0);
  return {
    id: 'prefixes',
    title: 'Growth by prefix',
    columns: GROWTH_COLUMNS(col('prefix', 'key')),
    rows: changed.slice(0, n),
    ...(changed.length > n ? { note: `${changed.length - n} more changed prefixes not shown` } : {}),
  };
}

export function keyChangeTable(id: string, title: string, changes: readonly KeyChange[]): Table {
  return {
    id,
    title,
    columns: [
      col('db', 'number'),
      col('key', 'key'),
      col('type', 'text'),
      col('status', 'text'),
      col('bytes_old', 'bytes', 'bytes old'),
      col('bytes_new', 'bytes', 'bytes new'),
      col('bytes_delta', 'bytes-delta', 'Δ bytes'),
    ],
    rows: changes.map((c) => [
      c.db,
      c.key,
      c.type,
      c.status,
      c.oldBytes < 0 ? null : c.oldBytes,
      c.newBytes < 0 ? null : c.newBytes,
      (c.newBytes < 0 ? 0 : c.newBytes) - (c.oldBytes < 0 ? 0 : c.oldBytes),
    ]),
  };
}
