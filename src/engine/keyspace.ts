/**
 * One database's keyspace: a compact record per key, held in columns (typed arrays) plus one
 * arena of key bytes, with an open-addressing hash index for lookups by key. Values are not held:
 * each record keeps the byte offset of its key record in the dump, to be read back on demand.
 *
 * Deleting a key leaves a tombstone (its slot is reused by nothing; `compact()` squeezes them
 * out), so that record ids stay stable for cursors while a scan runs.
 */
import type { ValueType } from '../rdb/constants.js';

export const VALUE_TYPES: readonly ValueType[] = ['string', 'list', 'set', 'zset', 'hash', 'stream', 'module'];
const TYPE_CODE = new Map(VALUE_TYPES.map((t, i) => [t, i]));

/** What the engine knows about one key. */
export interface KeyInfo {
  key: Buffer;
  type: ValueType;
  /** encoding the server holds it in (OBJECT ENCODING) */
  encoding: string;
  /** MEMORY USAGE estimate in bytes; -1 when unknown (module values) */
  memory: number;
  /** element count (STRLEN for strings) */
  length: number;
  maxElementLength: number;
  /** absolute expiry in ms, -1 when none */
  expireAt: number;
  /** LRU idle seconds or LFU counter from the dump, -1 when absent */
  idle: number;
  freq: number;
  /** offset of the key's record in the dump, -1 for keys written live */
  offset: number;
  /** which dump (index into the loader's file list) */
  file: number;
}

const EMPTY_SLOT = 0xffffffff;
const DELETED = 255;

function hashBytes(buf: Uint8Array, off: number, len: number): number {
  // FNV-1a, 32-bit
  let h = 0x811c9dc5;
  for (let i = off; i < off + len; i++) {
    h ^= buf[i]!;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class Keyspace {
  /** records ever added (deleted ones included) */
  private n = 0;
  private live = 0;
  private cap = 0;
  private keyArena = Buffer.alloc(0);
  private arenaUsed = 0;
  private keyOff = new Float64Array(0);
  private keyLen = new Uint32Array(0);
  private typeCode = new Uint8Array(0);
  private encCode = new Uint8Array(0);
  private memory = new Float64Array(0);
  private length = new Float64Array(0);
  private maxElem = new Uint32Array(0);
  private expireAt = new Float64Array(0);
  private idle = new Int32Array(0);
  private freq = new Int16Array(0);
  private offset = new Float64Array(0);
  private fileIdx = new Uint16Array(0);
  /** hash index: slot -> record id */
  private slots = new Uint32Array(0);
  private readonly encodings: string[] = [];
  private readonly encodingCode = new Map<string, number>();

  get size(): number {
    return this.live;
  }

  /** Ids in [0, idLimit) may be live; ids of deleted keys are skipped by the iterators. */
  get idLimit(): number {
    return this.n;
  }

  /** Insert or replace a key. Returns its record id. */
  set(info: KeyInfo): number {
    const existing = this.find(info.key);
    let id: number;
    if (existing >= 0) {
      id = existing;
    } else {
      if (this.n === this.cap) this.grow();
      id = this.n++;
      this.live++;
      this.storeKey(id, info.key);
      this.indexInsert(id);
    }
    this.typeCode[id] = TYPE_CODE.get(info.type) ?? 0;
    this.encCode[id] = this.codeOf(info.encoding);
    this.memory[id] = info.memory;
    this.length[id] = info.length;
    this.maxElem[id] = Math.min(info.maxElementLength, 0xffffffff);
    this.expireAt[id] = info.expireAt;
    this.idle[id] = info.idle;
    this.freq[id] = info.freq;
    this.offset[id] = info.offset;
    this.fileIdx[id] = info.file;
    return id;
  }

  /** Record id of a key, or -1. */
  find(key: Uint8Array): number {
    if (this.slots.length === 0) return -1;
    const mask = this.slots.length - 1;
    let s = hashBytes(key, 0, key.length) & mask;
    for (;;) {
      const id = this.slots[s]!;
      if (id === EMPTY_SLOT) return -1;
      if (this.typeCode[id] !== DELETED && this.keyEquals(id, key)) return id;
      s = (s + 1) & mask;
    }
  }

  has(key: Uint8Array): boolean {
    return this.find(key) >= 0;
  }

  get(key: Uint8Array): KeyInfo | null {
    const id = this.find(key);
    return id < 0 ? null : this.info(id);
  }

  /** Delete a key; returns whether it existed. */
  delete(key: Uint8Array): boolean {
    const id = this.find(key);
    if (id < 0) return false;
    this.typeCode[id] = DELETED;
    this.live--;
    return true;
  }

  isLive(id: number): boolean {
    return id >= 0 && id < this.n && this.typeCode[id] !== DELETED;
  }

  /** The key bytes of a record (a view into the arena: copy it to keep it). */
  keyOf(id: number): Buffer {
    const o = this.keyOff[id]!;
    return this.keyArena.subarray(o, o + this.keyLen[id]!);
  }

  memoryOf(id: number): number {
    return this.memory[id]!;
  }

  expireOf(id: number): number {
    return this.expireAt[id]!;
  }

  typeOf(id: number): ValueType {
    return VALUE_TYPES[this.typeCode[id]!]!;
  }

  setMemory(id: number, bytes: number): void {
    this.memory[id] = bytes;
  }

  setExpire(id: number, at: number): void {
    this.expireAt[id] = at;
  }

  // ---------------------------------------------------------------- per-column access (server mode)

  encodingOf(id: number): string {
    return this.encodings[this.encCode[id]!]!;
  }

  setEncoding(id: number, encoding: string): void {
    this.encCode[id] = this.codeOf(encoding);
  }

  lengthOf(id: number): number {
    return this.length[id]!;
  }

  setLength(id: number, n: number): void {
    this.length[id] = n;
  }

  setType(id: number, type: ValueType): void {
    this.typeCode[id] = TYPE_CODE.get(type) ?? 0;
  }

  offsetOf(id: number): number {
    return this.offset[id]!;
  }

  setOffset(id: number, offset: number): void {
    this.offset[id] = offset;
  }

  fileOf(id: number): number {
    return this.fileIdx[id]!;
  }

  keyLengthOf(id: number): number {
    return this.keyLen[id]!;
  }

  idleOf(id: number): number {
    return this.idle[id]!;
  }

  freqOf(id: number): number {
    return this.freq[id]!;
  }

  /** Delete by record id; returns whether it was live. */
  deleteId(id: number): boolean {
    if (!this.isLive(id)) return false;
    this.typeCode[id] = DELETED;
    this.live--;
    return true;
  }

  /** Deleted records (tombstones) still holding ids. */
  get tombstones(): number {
    return this.n - this.live;
  }

  info(id: number): KeyInfo {
    return {
      key: Buffer.from(this.keyOf(id)),
      type: this.typeOf(id),
      encoding: this.encodings[this.encCode[id]!]!,
      memory: this.memory[id]!,
      length: this.length[id]!,
      maxElementLength: this.maxElem[id]!,
      expireAt: this.expireAt[id]!,
      idle: this.idle[id]!,
      freq: this.freq[id]!,
      offset: this.offset[id]!,
      file: this.fileIdx[id]!,
    };
  }

  /** Live record ids in insertion order. */
  *ids(): IterableIterator<number> {
    for (let id = 0; id < this.n; id++) if (this.typeCode[id] !== DELETED) yield id;
  }

  /** Live record ids ordered by key bytes. */
  sortedIds(): Uint32Array {
    const out = new Uint32Array(this.live);
    let k = 0;
    for (let id = 0; id < this.n; id++) if (this.typeCode[id] !== DELETED) out[k++] = id;
    return out.sort((a, b) => Buffer.compare(this.keyOf(a), this.keyOf(b)));
  }

  /**
   * SCAN: up to `count` live ids from `cursor` on, and the next cursor (0 when done). Cursors are
   * record ids + 1, stable while keys are added or deleted.
   */
  scan(cursor: number, count: number): { ids: number[]; next: number } {
    const ids: number[] = [];
    let id = Math.max(0, cursor - 1);
    // visit at least `count` slots, like Redis's SCAN (it may return fewer keys)
    const stop = Math.min(this.n, id + Math.max(1, count));
    for (; id < stop; id++) if (this.typeCode[id] !== DELETED) ids.push(id);
    return { ids, next: id >= this.n ? 0 : id + 1 };
  }

  /** Heap bytes held by this keyspace (typed arrays, arena, index). */
  heapBytes(): number {
    const perRecord = 8 + 4 + 1 + 1 + 8 + 8 + 4 + 8 + 4 + 2 + 8 + 2;
    return this.cap * perRecord + this.keyArena.length + this.slots.byteLength;
  }

  /** Drop the tombstones and the spare capacity (ids change: not while a scan runs). */
  compact(): void {
    const keep = this.sortedIdsInOrder();
    const old = this.snapshotColumns();
    const arena = Buffer.allocUnsafe(Math.max(1, keep.reduce((s, id) => s + old.keyLen[id]!, 0)));
    this.cap = 0;
    this.n = 0;
    this.live = 0;
    this.arenaUsed = 0;
    this.keyArena = arena;
    this.allocColumns(Math.max(16, keep.length));
    this.slots = new Uint32Array(0);
    for (const id of keep) {
      const o = old.keyOff[id]!;
      const key = old.keyArena.subarray(o, o + old.keyLen[id]!);
      const nid = this.n++;
      this.live++;
      this.storeKey(nid, key);
      this.typeCode[nid] = old.typeCode[id]!;
      this.encCode[nid] = old.encCode[id]!;
      this.memory[nid] = old.memory[id]!;
      this.length[nid] = old.length[id]!;
      this.maxElem[nid] = old.maxElem[id]!;
      this.expireAt[nid] = old.expireAt[id]!;
      this.idle[nid] = old.idle[id]!;
      this.freq[nid] = old.freq[id]!;
      this.offset[nid] = old.offset[id]!;
      this.fileIdx[nid] = old.fileIdx[id]!;
    }
    this.rebuildIndex();
  }

  // ---------------------------------------------------------------- internals

  private sortedIdsInOrder(): number[] {
    const out: number[] = [];
    for (let id = 0; id < this.n; id++) if (this.typeCode[id] !== DELETED) out.push(id);
    return out;
  }

  private snapshotColumns() {
    return {
      keyArena: this.keyArena,
      keyOff: this.keyOff,
      keyLen: this.keyLen,
      typeCode: this.typeCode,
      encCode: this.encCode,
      memory: this.memory,
      length: this.length,
      maxElem: this.maxElem,
      expireAt: this.expireAt,
      idle: this.idle,
      freq: this.freq,
      offset: this.offset,
      fileIdx: this.fileIdx,
    };
  }

  private codeOf(encoding: string): number {
    let c = this.encodingCode.get(encoding);
    if (c === undefined) {
      c = this.encodings.length;
      if (c >= 255) throw new Error('too many distinct encodings');
      this.encodings.push(encoding);
      this.encodingCode.set(encoding, c);
    }
    return c;
  }

  private keyEquals(id: number, key: Uint8Array): boolean {
    const len = this.keyLen[id]!;
    if (len !== key.length) return false;
    const o = this.keyOff[id]!;
    const a = this.keyArena;
    for (let i = 0; i < len; i++) if (a[o + i] !== key[i]) return false;
    return true;
  }

  private storeKey(id: number, key: Uint8Array): void {
    if (this.arenaUsed + key.length > this.keyArena.length) {
      const next = Buffer.allocUnsafe(Math.max(this.keyArena.length * 2, this.arenaUsed + key.length, 1 << 16));
      this.keyArena.copy(next, 0, 0, this.arenaUsed);
      this.keyArena = next;
    }
    this.keyArena.set(key, this.arenaUsed);
    this.keyOff[id] = this.arenaUsed;
    this.keyLen[id] = key.length;
    this.arenaUsed += key.length;
  }

  private grow(): void {
    const cap = Math.max(16, this.cap * 2);
    const old = this.snapshotColumns();
    this.allocColumns(cap);
    this.keyOff.set(old.keyOff);
    this.keyLen.set(old.keyLen);
    this.typeCode.set(old.typeCode);
    this.encCode.set(old.encCode);
    this.memory.set(old.memory);
    this.length.set(old.length);
    this.maxElem.set(old.maxElem);
    this.expireAt.set(old.expireAt);
    this.idle.set(old.idle);
    this.freq.set(old.freq);
    this.offset.set(old.offset);
    this.fileIdx.set(old.fileIdx);
    if (this.slots.length < cap * 2) this.rebuildIndex(cap * 2);
  }

  private allocColumns(cap: number): void {
    this.cap = cap;
    this.keyOff = new Float64Array(cap);
    this.keyLen = new Uint32Array(cap);
    this.typeCode = new Uint8Array(cap);
    this.encCode = new Uint8Array(cap);
    this.memory = new Float64Array(cap);
    this.length = new Float64Array(cap);
    this.maxElem = new Uint32Array(cap);
    this.expireAt = new Float64Array(cap);
    this.idle = new Int32Array(cap);
    this.freq = new Int16Array(cap);
    this.offset = new Float64Array(cap);
    this.fileIdx = new Uint16Array(cap);
  }

  private rebuildIndex(slotCount = Math.max(32, this.cap * 2)): void {
    let size = 32;
    while (size < slotCount) size *= 2;
    this.slots = new Uint32Array(size).fill(EMPTY_SLOT);
    for (let id = 0; id < this.n; id++) if (this.typeCode[id] !== DELETED) this.indexInsert(id);
  }

  private indexInsert(id: number): void {
    const mask = this.slots.length - 1;
    const o = this.keyOff[id]!;
    let s = hashBytes(this.keyArena, o, this.keyLen[id]!) & mask;
    while (this.slots[s] !== EMPTY_SLOT) s = (s + 1) & mask;
    this.slots[s] = id;
  }
}
