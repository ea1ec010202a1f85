/**
 * One server database (redisDb): the keyspace of compact per-key records, the values held in
 * memory (keys written live, dump keys a write materialised), expiry (lazy on access, active
 * by sampling the keys with a TTL) and the memory totals, kept current per write.
 *
 * A key's memory lives in the keyspace's memory column. For a value held here it is the key
 * part plus the value's live model, plus the difference between the dump model (src/memory/
 * usage.ts) and the live model at the moment a dump value was materialised, so that a key
 * reports the same figure before and after it was materialised.
 */
import type { ValueType } from '../rdb/constants.js';
import { Keyspace } from './keyspace.js';
import type { DumpStore, WeightedLru } from './dump-store.js';
import { valueFromRecord } from './materialise.js';
import type { Env, LiveValue } from './types/generic.js';
import { keyOverhead } from '../memory/key.js';
import { DICT_ENTRY, QUICKLIST, ROBJ } from '../memory/sizes.js';

/** Shared by the databases of one server. */
export interface DbShared {
  env: Env;
  dumps: DumpStore | null;
  /** decoded dump values, keyed by db * 2^32 + record id */
  cache: WeightedLru<number, LiveValue>;
  /** update memory on writes (off with --no-tracking) */
  tracking: boolean;
  stats: { expiredKeys: number; hits: number; misses: number };
  now: () => number;
  /**
   * Following a primary (replica mode): keys past their TTL are not deleted here, the primary's
   * DEL does that; readers do not see them, the primary's own commands (`applyingMaster`) do.
   */
  following?: boolean;
  applyingMaster?: boolean;
  /**
   * Set by the instance while someone waits on keys (WATCH, blocked clients): called after a
   * write created, changed or deleted `key` (signalModifiedKey / signalKeyAsReady's trigger).
   * Null otherwise, so writes pay nothing for it.
   */
  onTouch?: ((db: Database, key: Buffer) => void) | null;
  /** called when a key is deleted because its TTL passed, lazily or by active expiry (the "expired" event) */
  onExpired?: ((db: Database, key: Buffer) => void) | null;
  /** set while "new key" notifications are on: a key was added (dbAdd's "new" event) */
  onNewKey?: ((db: Database, key: Buffer) => void) | null;
  /** the objects' lru fields (src/memory/evict.ts): on load, for a new key, on a lookup */
  lru?: LruHooks;
}

/** How a server sets its objects' 24-bit lru field (LRU clock, or LFU ldt << 8 | counter). */
export interface LruHooks {
  /** objectSetLRUOrLFU: a key loaded with the dump's LFU counter / LRU idle seconds (-1: none) */
  load(freq: number, idle: number): number;
  /** createObject: a new key */
  fresh(): number;
  /** lookupKey: a key looked up (LRU_CLOCK, or updateLFU) */
  touch(lru: number): number;
}

/** A list of record ids in an Int32Array (4 bytes an id, not a JS array's 8), grown by half. */
class IdList {
  private a = new Int32Array(16);
  length = 0;
  get(i: number): number {
    return this.a[i]!;
  }
  set(i: number, id: number): void {
    this.a[i] = id;
  }
  push(id: number): void {
    if (this.length === this.a.length) {
      const n = new Int32Array(Math.ceil(this.a.length * 1.5));
      n.set(this.a);
      this.a = n;
    }
    this.a[this.length++] = id;
  }
  pop(): number {
    return this.a[--this.length]!;
  }
}

export class Database {
  readonly ks: Keyspace;
  /** values held in memory, by record id */
  private values: (LiveValue | undefined)[] = [];
  private readonly adjust = new Map<number, number>();
  /** sum of MEMORY USAGE over the keys (unknown sizes count 0) */
  usedMemory = 0;
  /**
   * What the keys take from the allocator beyond their MEMORY USAGE (src/memory/alloc.ts): a
   * dict entry is counted as sizeof(dictEntry) but allocated in the allocator's size class
   * (24 -> 32 on Debian's 16-byte-quantum jemalloc): the main dict's entry per key, and one
   * per element of hashtable-encoded hashes, sets and zsets; a quicklist's header likewise; and
   * minus the object of a shared small integer. Kept as a running sum.
   */
  allocExtra = 0;
  /** keys with a TTL: ids, and each id's position in that list */
  private volIds = new IdList();
  private volPos = new Int32Array(0);
  /** each record's lru field (LruHooks), by id */
  private lru = new Int32Array(0);

  constructor(
    readonly index: number,
    readonly shared: DbShared,
    ks?: Keyspace,
  ) {
    this.ks = ks ?? new Keyspace();
  }

  /**
   * Index the loaded keys: TTLs, totals; drop the keys already expired (as a master loading
   * does; a replica keeps them for its primary to delete).
   */
  init(): number {
    const ks = this.ks;
    const now = this.shared.following ? -Infinity : this.shared.now();
    let expired = 0;
    const h = this.shared.lru;
    // a key the dump gives no idle time or frequency gets the clock now: the same field for all
    // of them in this pass (the LRU clock ticks once a second), computed once
    const plain = h ? h.load(-1, -1) : 0;
    for (let id = 0; id < ks.idLimit; id++) {
      if (!ks.isLive(id)) continue;
      const at = ks.expireOf(id);
      if (at >= 0 && at <= now) {
        ks.deleteId(id);
        expired++;
        continue;
      }
      if (at >= 0) this.volAdd(id);
      const m = ks.memoryOf(id);
      if (m > 0) this.usedMemory += m;
      this.allocExtra += this.extraOf(id);
      if (h) {
        const freq = ks.freqOf(id);
        const idle = ks.idleOf(id);
        this.setLru(id, freq === -1 && idle === -1 ? plain : h.load(freq, idle));
      }
    }
    return expired;
  }

  // ---------------------------------------------------------------- lru fields and sampling (eviction)

  lruOf(id: number): number {
    return id < this.lru.length ? this.lru[id]! : 0;
  }

  setLru(id: number, v: number): void {
    if (id >= this.lru.length) {
      // as many as the keyspace has room for (sized once from the dump's RESIZEDB hint)
      const n = new Int32Array(Math.max(16, this.ks.capacity, id + 1, Math.ceil(this.lru.length * 1.5)));
      n.set(this.lru);
      this.lru = n;
    }
    this.lru[id] = v;
  }

  /**
   * dictGetSomeKeys on the main dict (`volatile` false) or the expires dict: up to `count`
   * distinct live ids, uniformly (all of them when there are no more); see src/memory/evict.ts.
   */
  sampleIds(volatile: boolean, count: number, out: Int32Array, rand: () => number): number {
    const n = volatile ? this.volIds.length : this.ks.size;
    if (n <= count) {
      let k = 0;
      if (volatile) for (let i = 0; i < this.volIds.length; i++) out[k++] = this.volIds.get(i);
      else for (let id = 0; id < this.ks.idLimit && k < n; id++) if (this.ks.isLive(id)) out[k++] = id;
      return k;
    }
    let k = 0;
    while (k < count) {
      const id = this.randomId(volatile, rand);
      let dup = false;
      for (let j = 0; j < k && !dup; j++) dup = out[j] === id;
      if (!dup) out[k++] = id;
    }
    return k;
  }

  /** dictGetRandomKey: one live id, uniformly (the dict is not empty) */
  randomId(volatile: boolean, rand: () => number): number {
    if (volatile) return this.volIds.get(Math.floor(rand() * this.volIds.length));
    // tombstones are at most as many as live records (maybeCompact): two tries expected
    const ks = this.ks;
    for (;;) {
      const id = Math.floor(rand() * ks.idLimit);
      if (ks.isLive(id)) return id;
    }
  }

  get size(): number {
    return this.ks.size;
  }

  get expires(): number {
    return this.volIds.length;
  }

  // ---------------------------------------------------------------- lookups

  /**
   * Record id of a live, unexpired key, or -1 (an expired key is deleted on the way). The key's
   * lru field is touched (lookupKey) unless `noTouch` (LOOKUP_NOTOUCH).
   */
  find(key: Uint8Array, noTouch = false): number {
    const id = this.ks.find(key);
    if (id < 0) return -1;
    const at = this.ks.expireOf(id);
    if (at >= 0 && at <= this.shared.now()) {
      const sh = this.shared;
      if (sh.following) return sh.applyingMaster ? id : -1;
      const ex = sh.onExpired ? this.ks.keyOf(id) : null;
      this.removeId(id);
      sh.stats.expiredKeys++;
      if (ex !== null) sh.onExpired!(this, Buffer.from(ex));
      return -1;
    }
    const h = this.shared.lru;
    if (h && !noTouch && id < this.lru.length) this.lru[id] = h.touch(this.lru[id]!);
    return id;
  }

  typeOf(id: number): ValueType {
    return this.ks.typeOf(id);
  }

  /** The value of a key for reading: held, cached, or read from the dump (null: a module value). */
  value(id: number): LiveValue | null {
    const v = this.values[id];
    if (v !== undefined) return v;
    const sh = this.shared;
    const ck = this.index * 4294967296 + id;
    const c = sh.cache.get(ck);
    if (c !== undefined) return c;
    const loaded = this.readDump(id);
    if (loaded) sh.cache.set(ck, loaded, Math.max(64, this.ks.memoryOf(id)));
    return loaded;
  }

  /** Whether the key's value is held in memory (written live or materialised). */
  isHeld(id: number): boolean {
    return this.values[id] !== undefined;
  }

  private readDump(id: number): LiveValue | null {
    const sh = this.shared;
    const off = this.ks.offsetOf(id);
    if (off < 0 || !sh.dumps) return null;
    const rec = sh.dumps.read(this.ks.fileOf(id), off, this.index);
    return valueFromRecord(rec, this.ks.encodingOf(id), sh.env);
  }

  /** The value of a key about to be modified: a dump value is materialised first. */
  valueForWrite(id: number): LiveValue | null {
    const held = this.values[id];
    if (held !== undefined) return held;
    const ck = this.index * 4294967296 + id;
    const v = this.shared.cache.delete(ck) ?? this.readDump(id);
    if (!v) return null;
    this.values[id] = v;
    this.releaseDump(id);
    this.ks.setOffset(id, -1);
    const recorded = this.ks.memoryOf(id);
    if (recorded >= 0) {
      const model = keyOverhead(this.ks.keyLengthOf(id), this.shared.env.f) + v.payload;
      this.adjust.set(id, recorded - model);
    }
    return v;
  }

  // ---------------------------------------------------------------- writes

  /** Add or replace a key with a value held in memory. Keeps the TTL when `keepTtl`. */
  setValue(key: Uint8Array, v: LiveValue, keepTtl = false): number {
    let id = this.ks.find(key);
    if (id >= 0 && !this.shared.following) {
      const at = this.ks.expireOf(id);
      if (at >= 0 && at <= this.shared.now()) {
        this.removeId(id);
        id = -1;
      }
    }
    if (id >= 0) {
      this.shared.cache.delete(this.index * 4294967296 + id);
      this.adjust.delete(id);
      this.ks.setType(id, v.type);
      this.releaseDump(id);
      this.ks.setOffset(id, -1);
      if (!keepTtl) this.setExpire(id, -1);
    } else {
      id = this.ks.set({
        key: key as Buffer,
        type: v.type,
        encoding: v.encoding,
        memory: 0,
        length: 0,
        maxElementLength: 0,
        expireAt: -1,
        idle: -1,
        freq: -1,
        offset: -1,
        file: 0,
      });
      this.allocExtra += this.extraOf(id);
      const h = this.shared.lru;
      if (h) this.setLru(id, h.fresh());
      const nk = this.shared.onNewKey;
      if (nk) nk(this, Buffer.from(key));
    }
    this.values[id] = v;
    this.refresh(id);
    const t = this.shared.onTouch;
    if (t) t(this, Buffer.from(key));
    return id;
  }

  /** After a value changed: its memory, encoding and length in the keyspace, and the totals. */
  refresh(id: number): void {
    const v = this.values[id];
    if (!v) return;
    const ks = this.ks;
    if (v.length === 0) {
      // an emptied collection is deleted (strings may be empty)
      if (v.type !== 'string' && v.type !== 'stream') {
        this.removeId(id);
        return;
      }
    }
    if (!this.shared.tracking) {
      ks.setLength(id, v.length);
      const t = this.shared.onTouch;
      if (t) t(this, Buffer.from(ks.keyOf(id)));
      return;
    }
    this.allocExtra -= this.extraOf(id);
    ks.setLength(id, v.length);
    ks.setEncoding(id, v.encoding);
    this.allocExtra += this.extraOf(id);
    const old = ks.memoryOf(id);
    const mem = keyOverhead(ks.keyLengthOf(id), this.shared.env.f) + v.payload + (this.adjust.size === 0 ? 0 : (this.adjust.get(id) ?? 0));
    ks.setMemory(id, mem);
    this.usedMemory += mem - (old > 0 ? old : 0);
    const t = this.shared.onTouch;
    if (t) t(this, Buffer.from(ks.keyOf(id)));
  }

  /** The key no longer refers to its record in an in-memory dump (MemoryDump.release). */
  private releaseDump(id: number): void {
    const off = this.ks.offsetOf(id);
    if (off >= 0) this.shared.dumps?.release(this.ks.fileOf(id), off);
  }

  /** Delete a key by id. */
  removeId(id: number): void {
    const ks = this.ks;
    if (!ks.isLive(id)) return;
    const t = this.shared.onTouch;
    const touched = t ? Buffer.from(ks.keyOf(id)) : null;
    const m = ks.memoryOf(id);
    if (m > 0) this.usedMemory -= m;
    this.allocExtra -= this.extraOf(id);
    if (ks.expireOf(id) >= 0) this.volRemove(id);
    this.releaseDump(id);
    ks.deleteId(id);
    this.values[id] = undefined;
    this.adjust.delete(id);
    this.shared.cache.delete(this.index * 4294967296 + id);
    if (touched !== null) t!(this, touched);
  }

  /** DEL: whether it existed (and was not expired). */
  delete(key: Uint8Array): boolean {
    const id = this.find(key);
    if (id < 0) return false;
    this.removeId(id);
    return true;
  }

  setExpire(id: number, at: number): void {
    const had = this.ks.expireOf(id) >= 0;
    this.ks.setExpire(id, at);
    if (at >= 0 && !had) this.volAdd(id);
    else if (at < 0 && had) this.volRemove(id);
    const t = this.shared.onTouch;
    if (t && (at >= 0 || had)) t(this, Buffer.from(this.ks.keyOf(id)));
  }

  /** RENAME: move the record's value and metadata to a new key. */
  rename(id: number, to: Uint8Array): void {
    const v = this.valueForWrite(id);
    const ks = this.ks;
    const at = ks.expireOf(id);
    const typ = ks.typeOf(id);
    if (v) {
      const adj = this.adjust.get(id);
      this.removeId(id);
      const nid = this.setValue(to, v);
      if (adj !== undefined) {
        this.adjust.set(nid, adj);
        this.refresh(nid);
      }
      if (at >= 0) this.setExpire(nid, at);
      return;
    }
    // a module value: keep its metadata as it is (its dump record passes to the new name)
    const info = ks.info(id);
    ks.setOffset(id, -1);
    this.removeId(id);
    this.delete(to);
    const nid = ks.set({ ...info, key: Buffer.from(to), type: typ });
    if (info.memory > 0) this.usedMemory += info.memory;
    this.allocExtra += this.extraOf(nid);
    if (at >= 0) this.volAdd(nid);
  }

  flush(): void {
    for (let id = 0; id < this.ks.idLimit; id++) if (this.ks.isLive(id)) this.removeId(id);
    this.values = [];
    this.adjust.clear();
    this.volIds = new IdList();
    this.usedMemory = 0;
    this.allocExtra = 0;
  }

  /** allocator bytes of key `id` beyond its MEMORY USAGE (see allocExtra) */
  private extraOf(id: number): number {
    const c = this.allocConsts();
    const ks = this.ks;
    const enc = ks.encodingOf(id);
    if (enc === 'embstr' || enc === 'raw' || enc === 'listpack') return c.mainEntry;
    if (enc === 'int') {
      // a small integer value is one of the server's shared objects (OBJ_SHARED_INTEGERS), as alloc.ts counts it
      return ks.typeOf(id) === 'string' && ks.lengthOf(id) <= 4 ? c.mainEntry - ROBJ : c.mainEntry;
    }
    if (enc === 'quicklist') return c.mainEntry + c.quicklist;
    if (enc === 'skiplist' || (enc === 'hashtable' && (c.setEntries || ks.typeOf(id) === 'hash'))) return c.mainEntry + ks.lengthOf(id) * c.entry;
    return c.mainEntry;
  }

  private consts: { entry: number; mainEntry: number; quicklist: number; setEntries: boolean } | null = null;

  /** the allocation corrections of this build, computed once */
  private allocConsts(): { entry: number; mainEntry: number; quicklist: number; setEntries: boolean } {
    if (this.consts) return this.consts;
    const f = this.shared.env.f;
    const entry = f.malloc(DICT_ENTRY) - DICT_ENTRY;
    this.consts = { entry, mainEntry: f.keyInEntry ? 0 : entry, quicklist: f.malloc(QUICKLIST) - QUICKLIST, setEntries: !f.listpackSets };
    return this.consts;
  }

  /**
   * Squeeze out the records of deleted keys once they outnumber the live ones (ids change:
   * a SCAN in progress may then see keys again or miss some, as after a Redis rehash it may
   * see them again). Amortised O(1) per delete. Returns whether it ran.
   */
  maybeCompact(minTombstones = 65536): boolean {
    const ks = this.ks;
    const dead = ks.tombstones;
    if (dead < minTombstones || dead < ks.size) return false;
    const remap = new Int32Array(ks.idLimit).fill(-1);
    let next = 0;
    for (let id = 0; id < ks.idLimit; id++) if (ks.isLive(id)) remap[id] = next++;
    const values: (LiveValue | undefined)[] = new Array(next);
    for (let id = 0; id < this.values.length; id++) {
      const v = this.values[id];
      if (v !== undefined && remap[id]! >= 0) values[remap[id]!] = v;
    }
    const adjust = [...this.adjust].filter(([id]) => remap[id]! >= 0).map(([id, a]) => [remap[id]!, a] as const);
    const lru = new Int32Array(Math.max(16, next));
    for (let id = 0; id < Math.min(this.lru.length, remap.length); id++) if (remap[id]! >= 0) lru[remap[id]!] = this.lru[id]!;
    this.lru = lru;
    ks.compact();
    this.values = values;
    this.adjust.clear();
    for (const [id, a] of adjust) this.adjust.set(id, a);
    this.volIds = new IdList();
    this.volPos = new Int32Array(0);
    for (let id = 0; id < ks.idLimit; id++) if (ks.expireOf(id) >= 0) this.volAdd(id);
    this.shared.cache.clear();
    return true;
  }

  // ---------------------------------------------------------------- expiry

  private volAdd(id: number): void {
    if (id >= this.volPos.length) {
      const n = new Int32Array(Math.max(16, this.ks.capacity, id + 1, Math.ceil(this.volPos.length * 1.5)));
      n.set(this.volPos);
      this.volPos = n;
    }
    this.volPos[id] = this.volIds.length;
    this.volIds.push(id);
  }

  private volRemove(id: number): void {
    const pos = this.volPos[id]!;
    const last = this.volIds.pop();
    if (last !== id) {
      this.volIds.set(pos, last);
      this.volPos[last] = pos;
    }
  }

  /**
   * One pass of activeExpireCycle (expire.c) for this db: sample keys with a TTL, delete the
   * expired ones, go on while more than a quarter of a sample was expired and time remains.
   */
  activeExpire(deadline: number, rand: () => number): number {
    let total = 0;
    for (;;) {
      const n = this.volIds.length;
      if (n === 0) return total;
      const now = this.shared.now();
      let expired = 0;
      const samples = Math.min(20, n);
      for (let i = 0; i < samples && this.volIds.length > 0; i++) {
        const id = this.volIds.get(Math.floor(rand() * this.volIds.length));
        const at = this.ks.expireOf(id);
        if (at >= 0 && at <= now) {
          const ex = this.shared.onExpired ? Buffer.from(this.ks.keyOf(id)) : null;
          this.removeId(id);
          expired++;
          if (ex !== null) this.shared.onExpired!(this, ex);
        }
      }
      total += expired;
      this.shared.stats.expiredKeys += expired;
      if (expired * 4 <= samples || Date.now() > deadline) return total;
    }
  }

  /** Average TTL (ms) of a sample of keys with one (INFO keyspace avg_ttl). */
  avgTtl(): number {
    const n = this.volIds.length;
    if (n === 0) return 0;
    const now = this.shared.now();
    let sum = 0;
    let k = 0;
    const step = Math.max(1, Math.floor(n / 100));
    for (let i = 0; i < n; i += step) {
      const at = this.ks.expireOf(this.volIds.get(i));
      if (at > now) {
        sum += at - now;
        k++;
      }
    }
    return k === 0 ? 0 : Math.round(sum / k);
  }
}
