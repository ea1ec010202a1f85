/**
 * One database's keyspace: a compact record per key, held in columns (typed arrays) plus one
 * arena of key bytes, with an open-addressing hash index for lookups by key. Values are not held:
 * each record keeps the byte offset of its key record in the dump, to be read back on demand.
 *
 * Deleting a key leaves a tombstone (its slot is reused by nothing; `compact()` squeezes them
 * out), so that record ids stay stable for cursors while a scan runs.
 *
 * Sizes (docs/architecture.md, "Keyspace"): a record is about 28 bytes of columns plus the key
 * bytes plus 5 bytes per hash slot (a u32 id and a u8 tag, at most 3/4 full). The numeric
 * columns are narrow: memory, length and the longest element are u32, the dump offset and the
 * key's arena address 40 bits, an expire time 48 bits; each stores value + 1 (so a zeroed
 * column reads -1: none) and a value that does not fit (a 5 GiB value, 2^32 elements, an
 * expire time past the year 10889, a fraction) goes to a side Map, read when the column holds
 * the all-ones escape. Expire times, LRU idle and LFU counters are columns only once a key has
 * one (as Redis keeps TTLs in a separate expires dict), the file index only once a key comes
 * from a second dump. `reserve()` sizes everything once from RESIZEDB's hint (no doubling slack
 * and no copy at the peak); without a hint the columns grow by half. Key bytes live in chunks
 * of at most 16 MiB that are never copied.
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

/** a slot holds record id + 1: a zeroed table is empty without a fill (no pass over it at reserve) */
const EMPTY_SLOT = 0;
const DELETED = 255;
const TWO32 = 4294967296;
/** the hash index is grown past this fill */
const MAX_FILL = 0.75;
/** key arena chunks: the first is small (a keyspace of a few keys), then they double up to this */
const CHUNK_BITS = 24;
const CHUNK_MAX = 1 << CHUNK_BITS;
const CHUNK_FIRST = 1 << 12;
/** append()ed records indexed at a time (indexPending): a batch sorted by slot sweeps the table in order */
const INDEX_BATCH = 1 << 16;
/** append() writes a page of a fresh index (TOUCH_SLOTS u32 slots) every TOUCH_EVERY keys */
const TOUCH_SLOTS = 1024;
const TOUCH_EVERY = 8;
/** top hash bits the batch is sorted by */
const SORT_BITS = 14;
/** indexBatch's arrays: hashes and their sorted order for a batch, bucket starts */
let scratch = { hashes: new Uint32Array(0), order: new Uint32Array(0), starts: new Uint32Array((1 << SORT_BITS) + 1) };
/** records a RESIZEDB hint may reserve at most (a lying hint must not allocate gigabytes) */
const MAX_RESERVE = 1 << 28;

function hashBytes(buf: Uint8Array, off: number, len: number): number {
  // FNV-1a, 32-bit
  let h = 0x811c9dc5;
  for (let i = off; i < off + len; i++) {
    h ^= buf[i]!;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A 32-bit hash's slot in a table of `size` slots: the high bits scaled (Lemire's fastrange). */
function slotOf(h: number, size: number): number {
  return Math.floor((h / TWO32) * size);
}

/**
 * A column of numbers >= -1 held as u32 (value + 1; 0 is -1), those that do not fit in a Map.
 * `a` is null until a value other than -1 is stored when the column is lazy.
 */
class Col32 {
  a: Uint32Array | null;
  big: Map<number, number> | null = null;
  constructor(
    cap: number,
    readonly lazy: boolean,
  ) {
    this.a = lazy ? null : new Uint32Array(cap);
  }
  get(id: number): number {
    const a = this.a;
    if (a === null) return -1;
    const e = a[id]!;
    return e !== 0xffffffff ? e - 1 : this.big!.get(id)!;
  }
  set(id: number, v: number, cap: number): void {
    let a = this.a;
    if (a === null) {
      if (v === -1) return;
      a = this.a = new Uint32Array(cap);
    }
    if (a[id] === 0xffffffff) this.big!.delete(id);
    const e = v + 1;
    if (e >= 0 && e < 0xffffffff && Number.isInteger(e)) a[id] = e;
    else {
      a[id] = 0xffffffff;
      (this.big ??= new Map()).set(id, v);
    }
  }
  /** a lazy column's array, made now (a hint says values come) */
  allocate(cap: number): void {
    this.a ??= new Uint32Array(cap);
  }
  resize(cap: number): void {
    if (this.a === null) return;
    const n = new Uint32Array(cap);
    n.set(this.a.length <= cap ? this.a : this.a.subarray(0, cap));
    this.a = n;
  }
  get bytes(): number {
    return (this.a?.byteLength ?? 0) + (this.big?.size ?? 0) * 48;
  }
}

/**
 * A column of wide numbers >= -1: value + 1 in a u32 and `hiBits` more bits (u8: 40 bits, u16:
 * 48 bits), the all-ones escape and a Map for what does not fit.
 */
class ColWide {
  lo: Uint32Array | null;
  hi: Uint8Array | Uint16Array | null;
  big: Map<number, number> | null = null;
  private readonly hiMax: number;
  constructor(
    cap: number,
    readonly hiBits: 8 | 16,
    readonly lazy: boolean,
  ) {
    this.hiMax = hiBits === 8 ? 0xff : 0xffff;
    this.lo = lazy ? null : new Uint32Array(cap);
    this.hi = lazy ? null : this.newHi(cap);
  }
  private newHi(cap: number): Uint8Array | Uint16Array {
    return this.hiBits === 8 ? new Uint8Array(cap) : new Uint16Array(cap);
  }
  get(id: number): number {
    const lo = this.lo;
    if (lo === null) return -1;
    const l = lo[id]!;
    const h = this.hi![id]!;
    if (l === 0xffffffff && h === this.hiMax) return this.big!.get(id)!;
    return h * TWO32 + l - 1;
  }
  set(id: number, v: number, cap: number): void {
    let lo = this.lo;
    if (lo === null) {
      if (v === -1) return;
      lo = this.lo = new Uint32Array(cap);
      this.hi = this.newHi(cap);
    }
    const hi = this.hi!;
    if (lo[id] === 0xffffffff && hi[id] === this.hiMax) this.big!.delete(id);
    const e = v + 1;
    const h = Math.floor(e / TWO32);
    const l = e - h * TWO32;
    if (e >= 0 && Number.isInteger(e) && Number.isSafeInteger(e) && (h < this.hiMax || (h === this.hiMax && l !== 0xffffffff))) {
      lo[id] = l;
      hi[id] = h;
    } else {
      lo[id] = 0xffffffff;
      hi[id] = this.hiMax;
      (this.big ??= new Map()).set(id, v);
    }
  }
  /** a lazy column's arrays, made now (a hint says values come) */
  allocate(cap: number): void {
    if (this.lo !== null) return;
    this.lo = new Uint32Array(cap);
    this.hi = this.newHi(cap);
  }
  resize(cap: number): void {
    if (this.lo === null) return;
    const lo = new Uint32Array(cap);
    const hi = this.newHi(cap);
    const n = Math.min(cap, this.lo.length);
    lo.set(this.lo.subarray(0, n));
    hi.set(this.hi!.subarray(0, n));
    this.lo = lo;
    this.hi = hi;
  }
  get bytes(): number {
    return (this.lo?.byteLength ?? 0) + (this.hi?.byteLength ?? 0) + (this.big?.size ?? 0) * 48;
  }
}

export class Keyspace {
  /** records ever added (deleted ones included) */
  private n = 0;
  private live = 0;
  private cap = 0;
  /** key bytes: chunks of at most CHUNK_MAX (a longer key has a chunk of its own), never copied */
  private chunks: Buffer[] = [];
  private chunkUsed = 0;
  /** a key's address: chunk index << CHUNK_BITS | offset in it (lo: low 32 bits, hi: the rest) */
  private addrLo = new Uint32Array(0);
  private addrHi = new Uint8Array(0);
  private keyLen = new Uint32Array(0);
  private typeCode = new Uint8Array(0);
  private encCode = new Uint8Array(0);
  private memory = new Col32(0, false);
  private length = new Col32(0, false);
  private maxElem = new Col32(0, false);
  private expireAt = new ColWide(0, 16, true);
  private idle = new Col32(0, true);
  private freq = new Col32(0, true);
  private offset = new ColWide(0, 8, false);
  /** which dump, once a key comes from one other than the first */
  private fileIdx: Uint16Array | null = null;
  /** ids [0, indexed) are in the hash index; append() leaves those after it to indexPending() */
  private indexed = 0;
  /**
   * slots [0, touched) of the index have been written once. A batch sweeps the whole table, so
   * the first would take every page fault of a fresh table at once (a 20M-key table is 134 MB:
   * 0.7 s in one go, a frozen TUI); append() writes a page of it every few keys instead.
   */
  private touched = 0;
  /** hash index: slot -> record id, and 8 bits of the key's hash (compared before the key) */
  private slots = new Uint32Array(0);
  private tags = new Uint8Array(0);
  private maxFill = 0;
  private readonly encodings: string[] = [];
  private readonly encodingCode = new Map<string, number>();

  get size(): number {
    return this.live;
  }

  /** Ids in [0, idLimit) may be live; ids of deleted keys are skipped by the iterators. */
  get idLimit(): number {
    return this.n;
  }

  /** Records there is room for without growing. */
  get capacity(): number {
    return this.cap;
  }

  /**
   * Make room for `records` records in all (RESIZEDB's db_size, added up over the files), and
   * for `expires` of them with a TTL: the columns and the hash index are sized once, exactly.
   * A hint is capped (MAX_RESERVE): a lying dump costs growth, not gigabytes.
   */
  reserve(records: number, expires = 0): void {
    const want = Math.min(Math.max(0, Math.floor(records)), MAX_RESERVE);
    if (want > this.cap) this.resize(want);
    if (want > this.maxFill) this.rebuildIndex(want);
    if (expires > 0) this.expireAt.allocate(this.cap);
  }

  /** Insert or replace a key. Returns its record id. */
  set(info: KeyInfo): number {
    if (this.indexed < this.n) this.indexPending();
    const key = info.key;
    const h = hashBytes(key, 0, key.length);
    if (this.n === this.cap) this.resize(Math.max(16, Math.ceil(this.cap * 1.5)));
    if (this.n >= this.maxFill) this.rebuildIndex(Math.max(this.cap, this.n + 1));
    let id = this.lookup(key, h);
    if (id < 0) {
      id = this.n++;
      this.indexed = this.n;
      this.live++;
      this.storeKey(id, key, 0, key.length);
      this.slots[this.freeSlot] = id + 1;
      this.tags[this.freeSlot] = h & 0xff;
    }
    this.write(id, info);
    return id;
  }

  /**
   * Add a key read from a dump without looking it up: the hash index takes the keys added so in
   * batches (indexPending), sorted by slot, so that filling it sweeps the table in order instead
   * of missing the cache at every key. Of a key added twice, one record stays whatever order
   * they come in (two threads on one dump read its parts at once): from two dumps, the later
   * dump's (shards should not overlap; the last one read wins); from one dump, the first copy,
   * which its load-time check keeps, reporting the second (redis-server refuses such a dump:
   * "Duplicated key found in RDB file"); at the same place, the later add.
   */
  append(info: KeyInfo): void {
    this.appendFrom(info, info.key, 0, info.key.length);
  }

  /** append() with the key as `len` bytes of `src` at `off` (copied). */
  appendFrom(info: Omit<KeyInfo, 'key'>, src: Uint8Array, off: number, len: number): void {
    if (this.n === this.cap) this.resize(Math.max(16, Math.ceil(this.cap * 1.5)));
    const id = this.n++;
    this.live++;
    this.storeKey(id, src, off, len);
    this.write(id, info);
    const slots = this.slots;
    if (this.touched < slots.length) {
      // a page of a fresh index every TOUCH_EVERY keys (see `touched`); batches wait until it is all in
      if ((id & (TOUCH_EVERY - 1)) === 0) {
        const t = this.touched;
        slots[t] = slots[t]!;
        this.tags[t] = this.tags[t]!;
        this.touched = t + TOUCH_SLOTS;
      }
      if (this.touched < slots.length && this.n - this.indexed < INDEX_BATCH * 64) return;
    }
    if (this.n - this.indexed >= INDEX_BATCH) this.indexPending();
  }

  private write(id: number, info: Omit<KeyInfo, 'key'>): void {
    const cap = this.cap;
    this.typeCode[id] = TYPE_CODE.get(info.type) ?? 0;
    this.encCode[id] = this.codeOf(info.encoding);
    this.memory.set(id, info.memory, cap);
    this.length.set(id, info.length, cap);
    this.maxElem.set(id, info.maxElementLength, cap);
    this.expireAt.set(id, info.expireAt, cap);
    this.idle.set(id, info.idle, cap);
    this.freq.set(id, info.freq, cap);
    this.offset.set(id, info.offset, cap);
    this.setFile(id, info.file);
  }

  /** Put the keys append() added into the hash index (done by any lookup, and when a dump is read). */
  indexPending(): void {
    const to = this.n;
    if (to > this.maxFill) this.rebuildIndex(Math.max(this.cap, to));
    for (let start = this.indexed; start < to; start += INDEX_BATCH) {
      this.indexBatch(start, Math.min(to, start + INDEX_BATCH));
      this.indexed = Math.min(to, start + INDEX_BATCH);
    }
  }

  /** ids [start, end) into the index, in slot order (a counting sort on the hash's top bits: slotOf is monotonic in it) */
  private indexBatch(start: number, end: number): void {
    const m = end - start;
    // one set of scratch arrays for every keyspace (a fresh set per batch is 576 KB of malloc churn a batch)
    if (scratch.hashes.length < m) scratch = { hashes: new Uint32Array(INDEX_BATCH), order: new Uint32Array(INDEX_BATCH), starts: scratch.starts };
    const { hashes, order, starts } = scratch;
    starts.fill(0);
    for (let i = 0; i < m; i++) {
      const h = this.hashOf(start + i);
      hashes[i] = h;
      starts[(h >>> (32 - SORT_BITS)) + 1]!++;
    }
    for (let b = 1; b <= 1 << SORT_BITS; b++) starts[b]! += starts[b - 1]!;
    for (let i = 0; i < m; i++) order[starts[hashes[i]! >>> (32 - SORT_BITS)]!++] = i;
    for (let k = 0; k < m; k++) {
      const i = order[k]!;
      this.insertLoaded(start + i, hashes[i]!);
    }
  }

  /** A loaded record into the index; of two with the same key, the one `keeps` says (see append). */
  private insertLoaded(id: number, h: number): void {
    const lo = this.addrLo[id]!;
    const chunk = this.chunks[this.addrHi[id]! * 256 + (lo >>> CHUNK_BITS)]!;
    const old = this.lookupIn(chunk, lo & (CHUNK_MAX - 1), this.keyLen[id]!, h);
    if (old < 0) {
      this.slots[this.freeSlot] = id + 1;
      this.tags[this.freeSlot] = h & 0xff;
      return;
    }
    if (this.keeps(old, id)) this.typeCode[id] = DELETED;
    else {
      this.slots[this.foundSlot] = id + 1;
      this.typeCode[old] = DELETED;
    }
    this.live--;
  }

  /** of two loaded records with the same key, whether `a` stays rather than `b` (see append) */
  private keeps(a: number, b: number): boolean {
    const fa = this.fileOf(a);
    const fb = this.fileOf(b);
    if (fa !== fb) return fa > fb;
    const oa = this.offsetOf(a);
    const ob = this.offsetOf(b);
    return oa !== ob ? oa < ob : a > b;
  }

  /** Record id of a key, or -1. */
  find(key: Uint8Array): number {
    if (this.indexed < this.n) this.indexPending();
    if (this.slots.length === 0) return -1;
    return this.lookup(key, hashBytes(key, 0, key.length));
  }

  /** the empty slot where lookup's key would go (set by a lookup that found nothing), or the slot of the key it found */
  private freeSlot = 0;
  private foundSlot = 0;

  private lookup(key: Uint8Array, h: number): number {
    return this.lookupIn(key, 0, key.length, h);
  }

  /** lookup() of the key that is `len` bytes of `src` at `off` */
  private lookupIn(src: Uint8Array, off: number, len: number, h: number): number {
    const slots = this.slots;
    const tags = this.tags;
    const size = slots.length;
    const tag = h & 0xff;
    let s = slotOf(h, size);
    for (;;) {
      const e = slots[s]!;
      if (e === EMPTY_SLOT) {
        this.freeSlot = s;
        return -1;
      }
      const id = e - 1;
      if (tags[s] === tag && this.typeCode[id] !== DELETED && this.keyEquals(id, src, off, len)) {
        this.foundSlot = s;
        return id;
      }
      if (++s === size) s = 0;
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
    const lo = this.addrLo[id]!;
    const chunk = this.chunks[this.addrHi[id]! * 256 + (lo >>> CHUNK_BITS)]!;
    const o = lo & (CHUNK_MAX - 1);
    return chunk.subarray(o, o + this.keyLen[id]!);
  }

  memoryOf(id: number): number {
    return this.memory.get(id);
  }

  expireOf(id: number): number {
    return this.expireAt.get(id);
  }

  typeOf(id: number): ValueType {
    return VALUE_TYPES[this.typeCode[id]!]!;
  }

  setMemory(id: number, bytes: number): void {
    this.memory.set(id, bytes, this.cap);
  }

  setExpire(id: number, at: number): void {
    this.expireAt.set(id, at, this.cap);
  }

  // ---------------------------------------------------------------- per-column access (server mode)

  encodingOf(id: number): string {
    return this.encodings[this.encCode[id]!]!;
  }

  setEncoding(id: number, encoding: string): void {
    this.encCode[id] = this.codeOf(encoding);
  }

  lengthOf(id: number): number {
    return this.length.get(id);
  }

  setLength(id: number, n: number): void {
    this.length.set(id, n, this.cap);
  }

  setType(id: number, type: ValueType): void {
    this.typeCode[id] = TYPE_CODE.get(type) ?? 0;
  }

  offsetOf(id: number): number {
    return this.offset.get(id);
  }

  setOffset(id: number, offset: number): void {
    this.offset.set(id, offset, this.cap);
  }

  fileOf(id: number): number {
    return this.fileIdx === null ? 0 : this.fileIdx[id]!;
  }

  keyLengthOf(id: number): number {
    return this.keyLen[id]!;
  }

  idleOf(id: number): number {
    return this.idle.get(id);
  }

  freqOf(id: number): number {
    return this.freq.get(id);
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
      memory: this.memory.get(id),
      length: this.length.get(id),
      maxElementLength: this.maxElem.get(id),
      expireAt: this.expireAt.get(id),
      idle: this.idle.get(id),
      freq: this.freq.get(id),
      offset: this.offset.get(id),
      file: this.fileOf(id),
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

  /** Heap bytes held by this keyspace (typed arrays, key chunks, index, side tables). */
  heapBytes(): number {
    let b = this.addrLo.byteLength + this.addrHi.byteLength + this.keyLen.byteLength + this.typeCode.byteLength + this.encCode.byteLength;
    for (const c of [this.memory, this.length, this.maxElem, this.expireAt, this.idle, this.freq, this.offset]) b += c.bytes;
    b += this.fileIdx?.byteLength ?? 0;
    for (const c of this.chunks) b += c.length;
    return b + this.slots.byteLength + this.tags.byteLength;
  }

  /**
   * The dump is loaded: give back the unused tail of the last key chunk (up to 16 MiB; the only
   * copy is of that chunk). Columns stay: reserve() sized them exactly.
   */
  trim(): void {
    const last = this.chunks.length - 1;
    if (last < 0 || this.chunkUsed === this.chunks[last]!.length) return;
    const c = Buffer.allocUnsafeSlow(this.chunkUsed);
    this.chunks[last]!.copy(c, 0, 0, this.chunkUsed);
    this.chunks[last] = c;
  }

  /** Drop the tombstones and the spare capacity (ids change: not while a scan runs). */
  compact(): void {
    const fresh = new Keyspace();
    fresh.reserve(this.live);
    for (let id = 0; id < this.n; id++) if (this.typeCode[id] !== DELETED) fresh.set(this.info(id));
    Object.assign(this, fresh);
  }

  // ---------------------------------------------------------------- internals

  private setFile(id: number, file: number): void {
    if (this.fileIdx === null) {
      if (file === 0) return;
      this.fileIdx = new Uint16Array(this.cap);
    }
    this.fileIdx[id] = file;
  }

  private lastEncoding = '';
  private lastCode = -1;

  private codeOf(encoding: string): number {
    if (encoding === this.lastEncoding) return this.lastCode;
    let c = this.encodingCode.get(encoding);
    if (c === undefined) {
      c = this.encodings.length;
      if (c >= 255) throw new Error('too many distinct encodings');
      this.encodings.push(encoding);
      this.encodingCode.set(encoding, c);
    }
    this.lastEncoding = encoding;
    this.lastCode = c;
    return c;
  }

  /** FNV-1a of a record's key, read in place */
  private hashOf(id: number): number {
    const lo = this.addrLo[id]!;
    const chunk = this.chunks[this.addrHi[id]! * 256 + (lo >>> CHUNK_BITS)]!;
    return hashBytes(chunk, lo & (CHUNK_MAX - 1), this.keyLen[id]!);
  }

  /** whether record `id` holds the key that is `len` bytes of `src` at `off` */
  private keyEquals(id: number, src: Uint8Array, off: number, len: number): boolean {
    if (len !== this.keyLen[id]) return false;
    const lo = this.addrLo[id]!;
    const chunk = this.chunks[this.addrHi[id]! * 256 + (lo >>> CHUNK_BITS)]!;
    const o = lo & (CHUNK_MAX - 1);
    for (let i = 0; i < len; i++) if (chunk[o + i] !== src[off + i]) return false;
    return true;
  }

  private storeKey(id: number, src: Uint8Array, off: number, len: number): void {
    let ci = this.chunks.length - 1;
    let chunk = this.chunks[ci];
    if (chunk === undefined || this.chunkUsed + len > chunk.length) {
      // the next chunk doubles up to CHUNK_MAX; a key longer than that gets one of its own size
      const size = Math.max(len, Math.min(CHUNK_MAX, chunk === undefined ? CHUNK_FIRST : chunk.length * 2));
      chunk = Buffer.allocUnsafe(size);
      this.chunks.push(chunk);
      ci++;
      this.chunkUsed = 0;
      if (ci >= 1 << 16) throw new Error('keyspace: more than 1 TiB of key names');
    }
    const at = this.chunkUsed;
    if (len <= 32) for (let i = 0; i < len; i++) chunk[at + i] = src[off + i]!;
    else chunk.set(off === 0 && len === src.length ? src : src.subarray(off, off + len), at);
    const addr = ci * CHUNK_MAX + this.chunkUsed;
    const hi = Math.floor(addr / TWO32);
    this.addrHi[id] = hi;
    this.addrLo[id] = addr - hi * TWO32;
    this.keyLen[id] = len;
    this.chunkUsed += len;
  }

  /** columns for `cap` records (a copy of those held) */
  private resize(cap: number): void {
    this.cap = cap;
    const copy = <T extends Uint8Array | Uint16Array | Uint32Array>(a: T, make: (n: number) => T): T => {
      const out = make(cap);
      out.set(a.length <= cap ? a : (a.subarray(0, cap) as T));
      return out;
    };
    this.addrLo = copy(this.addrLo, (n) => new Uint32Array(n));
    this.addrHi = copy(this.addrHi, (n) => new Uint8Array(n));
    this.keyLen = copy(this.keyLen, (n) => new Uint32Array(n));
    this.typeCode = copy(this.typeCode, (n) => new Uint8Array(n));
    this.encCode = copy(this.encCode, (n) => new Uint8Array(n));
    if (this.fileIdx) this.fileIdx = copy(this.fileIdx, (n) => new Uint16Array(n));
    for (const c of [this.memory, this.length, this.maxElem, this.expireAt, this.idle, this.freq, this.offset]) c.resize(cap);
  }

  /** a hash index for `records` records (at most MAX_FILL full), with the records held */
  private rebuildIndex(records: number): void {
    // any size (slotOf maps the hash onto it): exactly 1/MAX_FILL slots per record
    const size = Math.max(32, Math.ceil(records / MAX_FILL) + 1);
    this.slots = new Uint32Array(size);
    this.tags = new Uint8Array(size);
    this.touched = this.indexed > 0 ? size : 0;
    this.maxFill = Math.floor(size * MAX_FILL);
    // the records in the index so far (append()'s later ones follow in indexPending)
    for (let id = 0; id < this.indexed; id++) {
      if (this.typeCode[id] === DELETED) continue;
      const h = this.hashOf(id);
      let s = slotOf(h, size);
      while (this.slots[s] !== EMPTY_SLOT) if (++s === size) s = 0;
      this.slots[s] = id + 1;
      this.tags[s] = h & 0xff;
    }
  }
}
