/**
 * Every key of every database behind one id space, and the key orders the explorer pages
 * through. A global id is a database's base plus the record id in its Keyspace; the per-key
 * facts stay in the Keyspace's typed columns, this adds one sorted Uint32Array of ids per sort
 * field (4 bytes per key each), computed once by radix sort.
 */
import type { Keyspace, KeyInfo } from '../../engine/keyspace.js';
import type { ValueType } from '../../rdb/index.js';
import { radixScratch, radixSortSteps, type RadixScratch } from './radix.js';

export type SortField = 'memory' | 'elements' | 'ttl';

/** The sort fields in the order `s` cycles through them. */
export const SORT_FIELDS: readonly SortField[] = ['memory', 'elements', 'ttl'];

/** How each field is ordered (reversing flips it). */
export const SORT_LABELS: Record<SortField, string> = {
  memory: 'memory, largest first',
  elements: 'elements, most first',
  ttl: 'TTL, soonest to expire first',
};

interface Slice {
  db: number;
  ks: Keyspace;
  /** first global id of this database */
  base: number;
  /** record ids indexed are below this (a live keyspace grows past it until the next index) */
  end: number;
}

const MAX_KEY = 0xffffffff;

export class KeyIndex {
  /** databases in ascending number */
  readonly slices: readonly Slice[];
  /** global ids are < limit; some may be dead (deleted records) */
  readonly limit: number;
  /** live keys */
  readonly size: number;
  private readonly orders = new Map<SortField, Uint32Array>();
  private readonly bases: Float64Array;

  private constructor(slices: Slice[], limit: number, size: number) {
    this.slices = slices;
    this.limit = limit;
    this.size = size;
    this.bases = Float64Array.from(slices, (s) => s.base);
  }

  /**
   * Index the keyspaces: sort the ids by each field. `pause` is awaited every `sliceMs` of work
   * at most, with the fraction done as `done / total` (yield to the event loop there to keep
   * a display answering keys while 20M keys are sorted).
   */
  static async build(
    dbs: ReadonlyMap<number, Keyspace>,
    pause: (done: number, total: number) => Promise<void> | void = () => {},
    sliceMs = 20,
  ): Promise<KeyIndex> {
    const slices: Slice[] = [];
    let base = 0;
    let size = 0;
    for (const db of [...dbs.keys()].sort((a, b) => a - b)) {
      const ks = dbs.get(db)!;
      slices.push({ db, ks, base, end: ks.idLimit });
      base += ks.idLimit;
      size += ks.size;
    }
    const index = new KeyIndex(slices, base, size);
    // one set of work buffers for the three sorts (three sets would be garbage at once)
    const scratch = radixScratch(size);
    const keys = new Uint32Array(size);
    let sliceStart = performance.now();
    for (const [i, f] of SORT_FIELDS.entries()) {
      const steps = index.sortSteps(f, keys, scratch);
      for (;;) {
        const r = steps.next();
        if (r.done) {
          index.orders.set(f, r.value);
          break;
        }
        if (performance.now() - sliceStart >= sliceMs) {
          await pause(i + r.value, SORT_FIELDS.length);
          sliceStart = performance.now();
        }
      }
      await pause(i + 1, SORT_FIELDS.length);
      sliceStart = performance.now();
    }
    return index;
  }

  /**
   * An index over sort orders computed elsewhere (the live explorer's time-sliced pass,
   * src/tui/data/live.ts). Ids in the orders may have been deleted since: see isLive.
   */
  static fromOrders(dbs: readonly { db: number; ks: Keyspace }[], limits: readonly number[], orders: ReadonlyMap<SortField, Uint32Array>): KeyIndex {
    const slices: Slice[] = [];
    let base = 0;
    for (const [i, d] of dbs.entries()) {
      slices.push({ db: d.db, ks: d.ks, base, end: limits[i]! });
      base += limits[i]!;
    }
    const index = new KeyIndex(slices, base, orders.get('memory')?.length ?? 0);
    for (const [f, o] of orders) index.orders.set(f, o);
    return index;
  }

  /** Live ids in the field's order (see SORT_LABELS); iterate backwards for the reverse. */
  order(field: SortField): Uint32Array {
    return this.orders.get(field)!;
  }

  private sliceOf(g: number): Slice {
    const b = this.bases;
    let lo = 0;
    let hi = b.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (b[mid]! <= g) lo = mid;
      else hi = mid - 1;
    }
    return this.slices[lo]!;
  }

  isLive(g: number): boolean {
    if (g < 0 || g >= this.limit) return false;
    const s = this.sliceOf(g);
    return s.ks.isLive(g - s.base);
  }

  /** The key bytes (a view into the keyspace's arena: copy it to keep it). */
  keyOf(g: number): Buffer {
    const s = this.sliceOf(g);
    return s.ks.keyOf(g - s.base);
  }

  memoryOf(g: number): number {
    const s = this.sliceOf(g);
    return s.ks.memoryOf(g - s.base);
  }

  expireOf(g: number): number {
    const s = this.sliceOf(g);
    return s.ks.expireOf(g - s.base);
  }

  typeOf(g: number): ValueType {
    const s = this.sliceOf(g);
    return s.ks.typeOf(g - s.base);
  }

  encodingOf(g: number): string {
    const s = this.sliceOf(g);
    return s.ks.encodingOf(g - s.base);
  }

  lengthOf(g: number): number {
    const s = this.sliceOf(g);
    return s.ks.lengthOf(g - s.base);
  }

  dbOf(g: number): number {
    return this.sliceOf(g).db;
  }

  /** Everything the keyspace holds about a key (allocates: for visible rows only). */
  info(g: number): KeyInfo & { db: number } {
    const s = this.sliceOf(g);
    return { ...s.ks.info(g - s.base), db: s.db };
  }

  /** The global id of a key in a database, or -1. */
  find(db: number, key: Uint8Array): number {
    const s = this.slices.find((x) => x.db === db);
    if (!s) return -1;
    const id = s.ks.find(key);
    return id < 0 || id >= s.end ? -1 : s.base + id;
  }

  /** Call `fn` for every live id in chunks, awaiting `pause` between them. */
  async forEachLive(fn: (g: number) => void, pause: (done: number) => Promise<boolean | void> | boolean | void): Promise<boolean> {
    let done = 0;
    for (const s of this.slices) {
      const { ks, base, end } = s;
      for (let id = 0; id < end; id++) {
        if (ks.isLive(id)) fn(base + id);
        if (++done % 8192 === 0 && (await pause(done)) === false) return false;
      }
    }
    return true;
  }

  /** The ids sorted by a field, in steps (each yields the fraction of this sort done). */
  private *sortSteps(field: SortField, keys: Uint32Array, scratch: RadixScratch): Generator<number, Uint32Array, void> {
    const ids = new Uint32Array(this.size);
    const n = this.size;
    let k = 0;
    for (const s of this.slices) {
      const { ks, base } = s;
      for (let id = 0; id < ks.idLimit; id++) {
        if (!ks.isLive(id)) continue;
        ids[k] = base + id;
        keys[k++] = sortKey(field, ks, id);
        if ((k & 0xffff) === 0) yield (0.25 * k) / Math.max(1, n);
      }
    }
    const sort = radixSortSteps(ids, keys, ids, scratch);
    let step = 0;
    // a sort is about 3 reads of n (histograms, then one or two passes)
    const stepsAll = Math.max(1, Math.ceil(n / (1 << 16)) * 3);
    for (;;) {
      const r = sort.next();
      if (r.done) return r.value;
      yield 0.25 + 0.75 * Math.min(1, ++step / stepsAll);
    }
  }
}

/** The 32-bit radix key of a record for a field: smaller sorts first. */
export function sortKey(field: SortField, ks: Keyspace, id: number): number {
  switch (field) {
    case 'memory': {
      // largest first; unknown sizes (module values, -1) last
      const m = ks.memoryOf(id);
      return m < 0 ? MAX_KEY : MAX_KEY - 1 - Math.min(Math.round(m), MAX_KEY - 1);
    }
    case 'elements': {
      // most elements first; strings (no elements) last
      const t = ks.typeOf(id);
      return t === 'string' ? MAX_KEY : MAX_KEY - 1 - Math.min(ks.lengthOf(id), MAX_KEY - 1);
    }
    case 'ttl': {
      // soonest expiry first (to the second); keys without a TTL last
      const e = ks.expireOf(id);
      return e < 0 ? MAX_KEY : Math.min(Math.floor(e / 1000), MAX_KEY - 1);
    }
  }
}
