/**
 * What Redis checks as it loads a dump beyond reading it (rdbLoadRioWithLoadingCtx and
 * rdbLoadObject, rdb.c): duplicate keys in one db, empty collections, and the blob and LZF
 * integrity checks. The parser reports each finding as an IntegrityRecord (or, with `strict`,
 * as an RdbError); this file holds the memory-bounded structure the duplicate checks use and the
 * collector the analysis keeps the findings in.
 *
 * Duplicates are found by 64-bit fingerprints of (db, key): Two different keys share one with
 * probability about n^2 / 2^65 (3e-6 for 10 million keys). FingerprintSet is an open-addressing
 * table of Int32 pairs (8 bytes a slot, grown at 3/4 load, no per-key objects); KeyDuplicates
 * checks a whole dump with one for its first DIRECT_KEYS keys and partitions on a temporary file
 * past that, in memory that does not grow with the keys. See docs/rdb-format.md "Load-time checks".
 */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { printableKey } from './errors.js';

export type IntegrityCheck = 'corrupt_value' | 'duplicate_key' | 'empty_key';

/** A finding of the load-time checks, in file order with the other records. */
export interface IntegrityRecord {
  kind: 'integrity';
  /** the key record's offset (corrupt_value: the offset of the damage) */
  offset: number;
  check: IntegrityCheck;
  db: number;
  key: Buffer;
  /** what redis-server 7.0 does: refuse to load the dump, or skip the key and go on */
  server: 'refuse' | 'skip';
  reason: string;
  /** `key` is empty: a duplicate found at the end (KeyDuplicates); its name is at `offset` */
  keyAt?: true;
}

/** What redis-server 7.0.15 does on each finding. */
export function serverAction(check: IntegrityCheck): 'refuse' | 'skip' {
  return check === 'empty_key' ? 'skip' : 'refuse';
}

// ------------------------------------------------------------------ fingerprints

/**
 * The fingerprint `fingerprint*` computed last: two 32-bit halves, never both 0. In a typed
 * array, not two `let`s: a module variable holding a number beyond the small-integer range is a
 * heap number, one allocation per write.
 */
const FP = new Int32Array(2);

/**
 * 64-bit fingerprint of buf[start, start+len) under `seed`: two murmur3_x86_32 lanes with
 * different constants over 4-byte blocks, each finished with murmur3's fmix32 (not a
 * cryptographic hash: the keys of a dump are not chosen to collide).
 */
export function fingerprint(buf: Uint8Array, start: number, len: number, seed: number): void {
  let a = seed ^ 0x811c9dc5;
  let b = Math.imul(seed, 0x85ebca6b) ^ 0x9747b28c;
  const end = start + len;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const k0 = buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24);
    let k = Math.imul(k0, 0xcc9e2d51);
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    a ^= k;
    a = (Math.imul((a << 13) | (a >>> 19), 5) + 0xe6546b64) | 0;
    let m = Math.imul(k0, 0x85ebca6b);
    m = Math.imul((m << 17) | (m >>> 15), 0xc2b2ae35);
    b ^= m;
    b = (Math.imul((b << 11) | (b >>> 21), 9) + 0x52dce729) | 0;
  }
  let t = 0;
  for (let sh = 0; i < end; i++, sh += 8) t |= buf[i]! << sh;
  if (len & 3) {
    a ^= Math.imul(((Math.imul(t, 0xcc9e2d51) << 15) | (Math.imul(t, 0xcc9e2d51) >>> 17)), 0x1b873593);
    b ^= Math.imul(((Math.imul(t, 0x85ebca6b) << 17) | (Math.imul(t, 0x85ebca6b) >>> 15)), 0xc2b2ae35);
  }
  const hi = fmix(a ^ len);
  const lo = fmix(b ^ Math.imul(len, 0x27d4eb2f));
  FP[0] = hi;
  FP[1] = hi === 0 && lo === 0 ? 1 : lo;
}

const DIGITS = new Uint8Array(24);

/** Fingerprint of an integer's decimal text (what ziplistGet/lpGet compare integer entries as). */
export function fingerprintInt(v: number, seed: number): void {
  let n = 0;
  let x = Math.abs(v);
  do {
    DIGITS[23 - n++] = 48 + (x % 10);
    x = Math.floor(x / 10);
  } while (x > 0);
  if (v < 0) DIGITS[23 - n++] = 45;
  fingerprint(DIGITS, 24 - n, n, seed);
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

const TOUCHED_MAX = 256;

/** Keys a FingerprintSet holds at most: 2^26 keys, 2^27 slots, 1 GiB. */
export const FP_MAX_KEYS = 1 << 26;

/** A set of 64-bit fingerprints (see the file comment). */
export class FingerprintSet {
  private slots: Int32Array;
  private mask: number;
  size = 0;
  /** set once FP_MAX_KEYS (or the given maximum) is reached: adds are refused from then on */
  full = false;

  constructor(
    initialSlots = 1024,
    private readonly maxKeys = FP_MAX_KEYS,
  ) {
    let n = 16;
    while (n < initialSlots) n *= 2;
    this.slots = new Int32Array(2 * n);
    this.mask = n - 1;
  }

  /** Make room for `n` keys in all (RESIZEDB's hint), up to the maximum: no rehash on the way. */
  reserve(n: number): void {
    const want = Math.min(n, this.maxKeys);
    while (want * 4 > (this.mask + 1) * 3) this.grow();
  }

  /** Bytes the table takes. */
  get bytes(): number {
    return this.slots.byteLength;
  }

  /** slots of the first TOUCHED_MAX adds: a small set is cleared slot by slot, not whole */
  private readonly touched = new Int32Array(TOUCHED_MAX);

  /** Empty it, keeping its capacity. */
  clear(): void {
    const s = this.slots;
    if (this.size <= TOUCHED_MAX) {
      for (let k = 0; k < this.size; k++) {
        const i = this.touched[k]!;
        s[2 * i] = 0;
        s[2 * i + 1] = 0;
      }
    } else s.fill(0);
    this.size = 0;
    this.full = false;
  }

  /** Add the last fingerprint computed: false when it was there already (or the set is full). */
  addLast(): boolean {
    if (this.full) return false;
    const hi = FP[0]!;
    const lo = FP[1]!;
    const s = this.slots;
    let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask;
    for (;;) {
      const h = s[2 * i]!;
      const l = s[2 * i + 1]!;
      if (h === 0 && l === 0) break;
      if (h === hi && l === lo) return false;
      i = (i + 1) & this.mask;
    }
    if (this.size >= this.maxKeys) {
      this.full = true;
      return false;
    }
    s[2 * i] = hi;
    s[2 * i + 1] = lo;
    if (this.size < TOUCHED_MAX) this.touched[this.size] = i;
    if (++this.size * 4 > (this.mask + 1) * 3) this.grow();
    return true;
  }

  /** Every fingerprint held, as its two halves. */
  forEach(fn: (hi: number, lo: number) => void): void {
    const s = this.slots;
    for (let j = 0; j < s.length; j += 2) if (s[j] !== 0 || s[j + 1] !== 0) fn(s[j]!, s[j + 1]!);
  }

  private grow(): void {
    const old = this.slots;
    const n = (this.mask + 1) * 2;
    this.slots = new Int32Array(2 * n);
    this.mask = n - 1;
    const s = this.slots;
    let k = 0;
    for (let j = 0; j < old.length; j += 2) {
      const hi = old[j]!;
      const lo = old[j + 1]!;
      if (hi === 0 && lo === 0) continue;
      let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask;
      while (s[2 * i] !== 0 || s[2 * i + 1] !== 0) i = (i + 1) & this.mask;
      s[2 * i] = hi;
      s[2 * i + 1] = lo;
      if (k < TOUCHED_MAX) this.touched[k++] = i;
    }
  }
}

// ------------------------------------------------------------------ duplicate keys at scale

/** Keys checked in an exact in-memory table before the check turns to partitions: 2^20 (16 MiB). */
export const DIRECT_KEYS = 1 << 20;
const PARTS = 256;
/** records in a partition's chunk: 1024 x 16 bytes */
const CHUNK = 1024;
/** the record's offset field of a key read before the switch (its copy is the first one) */
const EARLY = -1;

/** A duplicate found by KeyDuplicates.finish: the later copy's offset and db. */
export interface DeferredDuplicate {
  offset: number;
  db: number;
}

/**
 * The (db, key) duplicate check of a whole dump in bounded memory. The first DIRECT_KEYS keys go
 * to an exact FingerprintSet, so a duplicate among them is found as it is read (in file order,
 * with the key). Past that, each key's fingerprint and offset (16 bytes) is appended to one of 256
 * partitions chosen by the fingerprint's top byte; full partition chunks go to an unlinked
 * temporary file, so memory stays at a few MiB however many keys there are. The partitions are
 * checked at the end (`finish`), each in a table small enough for the cache: one sequential
 * write and one cache-local probe a key, where a table of every key costs a cache miss a key
 * (13 s of a 41 s report on 20M keys). A duplicate past the switch is therefore found at the end
 * of the dump, by offset; both copies were read and counted by then.
 */
export class KeyDuplicates {
  private direct: FingerprintSet | null;
  private parts: Int32Array[] | null = null;
  private fill: Uint32Array | null = null;
  /** spilled chunks: partition -> file positions */
  private spilled: number[][] | null = null;
  private fd = -1;
  private fileAt = 0;
  private records = 0;

  constructor(private readonly directKeys = DIRECT_KEYS) {
    this.direct = new FingerprintSet(1 << 12, directKeys);
  }

  /** Size the exact table for `n` keys in all (RESIZEDB's hint), up to its bound. */
  reserve(n: number): void {
    this.direct?.reserve(Math.min(n, this.directKeys));
  }

  /** Keys checked so far. */
  get size(): number {
    return (this.direct?.size ?? 0) + this.records;
  }

  /**
   * The last fingerprint computed (fingerprint()), of the key record at `offset` in db `db`:
   * false when it is a duplicate found now. Past the exact part, true: `finish` finds those.
   */
  addLast(offset: number, db: number): boolean {
    const d = this.direct;
    if (d !== null) {
      if (d.addLast()) return true;
      if (!d.full) return false;
      this.switchToParts(d);
    }
    this.push(FP[0]!, FP[1]!, offset, db);
    return true;
  }

  private switchToParts(d: FingerprintSet): void {
    this.direct = null;
    this.parts = Array.from({ length: PARTS }, () => new Int32Array(4 * CHUNK));
    this.fill = new Uint32Array(PARTS);
    this.spilled = Array.from({ length: PARTS }, () => []);
    d.forEach((hi, lo) => this.push(hi, lo, EARLY, 0));
  }

  private push(hi: number, lo: number, offset: number, db: number): void {
    const p = hi >>> 24;
    const chunk = this.parts![p]!;
    let f = this.fill![p]!;
    const at = 4 * f;
    chunk[at] = hi;
    chunk[at + 1] = lo;
    if (offset === EARLY) {
      chunk[at + 2] = -1;
      chunk[at + 3] = -1;
    } else {
      chunk[at + 2] = offset % 0x100000000 | 0;
      // offsets below 2^40, dbs below 2^24
      chunk[at + 3] = (Math.floor(offset / 0x100000000) & 0xff) | ((db & 0xffffff) << 8);
    }
    this.records++;
    if (++f === CHUNK) {
      this.spill(p, chunk);
      f = 0;
    }
    this.fill![p] = f;
  }

  private spill(p: number, chunk: Int32Array): void {
    if (this.fd < 0) {
      const file = join(tmpdir(), `rdblens-keys-${process.pid}-${randomBytes(6).toString('hex')}`);
      this.fd = openSync(file, 'w+', 0o600);
      unlinkSync(file); // gone from the directory now; its blocks go when the descriptor closes
    }
    writeSync(this.fd, chunk, 0, chunk.byteLength, this.fileAt);
    this.spilled![p]!.push(this.fileAt);
    this.fileAt += chunk.byteLength;
  }

  /** The duplicates past the exact part, in file order. Call once; frees everything. */
  finish(): DeferredDuplicate[] {
    const out: DeferredDuplicate[] = [];
    const parts = this.parts;
    this.direct = null;
    if (parts === null) return out;
    try {
      const read = new Int32Array(4 * CHUNK);
      // one partition at a time in a FingerprintSet sized for it (cache-sized), cleared between
      const set = new FingerprintSet(16);
      const take = (c: Int32Array, count: number): void => {
        for (let r = 0; r < count; r++) {
          FP[0] = c[4 * r]!;
          FP[1] = c[4 * r + 1]!;
          if (set.addLast()) continue;
          const w = c[4 * r + 3]!;
          out.push({ offset: (c[4 * r + 2]! >>> 0) + (w & 0xff) * 0x100000000, db: w >>> 8 });
        }
      };
      for (let p = 0; p < PARTS; p++) {
        const chunks = this.spilled![p]!;
        const n = chunks.length * CHUNK + this.fill![p]!;
        if (n === 0) continue;
        set.clear();
        set.reserve(n);
        for (const at of chunks) {
          readSync(this.fd, read, 0, read.byteLength, at);
          take(read, CHUNK);
        }
        take(parts[p]!, this.fill![p]!);
      }
    } finally {
      this.close();
    }
    return out.sort((a, b) => a.offset - b.offset);
  }

  /** Drop everything (the temporary file too) without checking. */
  close(): void {
    this.parts = null;
    this.spilled = null;
    this.fill = null;
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}

// ------------------------------------------------------------------ the findings of one dump

/** Findings kept in full per dump (the counts are always complete). */
export const KEEP_FINDINGS = 20;

/** One finding as plain data (crosses worker threads). */
export interface IntegrityFinding {
  offset: number;
  check: IntegrityCheck;
  db: number;
  /** the key, printable (printableKey); '' until named when `keyAt` */
  key: string;
  /** the key is to be read back from the dump at `offset` (IntegrityRecord.keyAt) */
  keyAt?: true;
  server: 'refuse' | 'skip';
  reason: string;
}

/** The load-time findings of one dump, as plain data. */
export interface IntegrityData {
  corrupt: number;
  duplicates: number;
  /** of the duplicates, those found at the end of the dump (KeyDuplicates): counted twice */
  lateDuplicates: number;
  emptySkipped: number;
  /** the first findings, in file order */
  findings: IntegrityFinding[];
}

export function emptyIntegrity(): IntegrityData {
  return { corrupt: 0, duplicates: 0, lateDuplicates: 0, emptySkipped: 0, findings: [] };
}

/** Take in one IntegrityRecord. */
export function noteIntegrity(d: IntegrityData, r: IntegrityRecord): void {
  if (r.check === 'corrupt_value') d.corrupt++;
  else if (r.check === 'duplicate_key') {
    d.duplicates++;
    if (r.keyAt) d.lateDuplicates++;
  }
  else d.emptySkipped++;
  if (d.findings.length < KEEP_FINDINGS) {
    d.findings.push({ offset: r.offset, check: r.check, db: r.db, key: printableKey(r.key), server: r.server, reason: r.reason, ...(r.keyAt ? { keyAt: true as const } : {}) });
  }
}

/** Whether redis-server 7.0 would refuse to load the dump. */
export function serverRefuses(d: IntegrityData): boolean {
  return d.corrupt > 0 || d.duplicates > 0;
}

/** One sentence: what redis-server 7.0 would do with the dump; null when nothing was found. */
export function serverVerdict(d: IntegrityData): string | null {
  const parts: string[] = [];
  if (d.corrupt > 0) parts.push(`${d.corrupt} damaged value${d.corrupt === 1 ? '' : 's'}`);
  if (d.duplicates > 0) parts.push(`${d.duplicates} duplicated key${d.duplicates === 1 ? '' : 's'}`);
  const skip = d.emptySkipped > 0 ? `skip ${d.emptySkipped} empty key${d.emptySkipped === 1 ? '' : 's'} ("empty keys skipped: ${d.emptySkipped}")` : '';
  if (parts.length > 0) {
    return (
      `redis-server 7.0 would refuse to load this dump (${parts.join(', ')}) and hold nothing` +
      `${skip ? `; it would also ${skip}` : ''}; the sizes are of the keys as read, ${d.lateDuplicates === 0 ? 'a duplicate counted once' : d.lateDuplicates === d.duplicates ? 'a duplicate counted twice (found at the end of the dump)' : `${d.lateDuplicates} duplicates counted twice (found at the end of the dump)`}${d.emptySkipped > 0 ? ', empty keys left out' : ''}`
    );
  }
  return skip ? `redis-server 7.0 would ${skip}; the sizes leave them out` : null;
}

/** The stderr lines for a dump's findings: one per kept finding, then a count of the rest. */
export function integrityWarnings(file: string, d: IntegrityData): string[] {
  const out = d.findings.map(
    (f) => `warning: ${file}: ${f.check} at byte ${f.offset} (db ${f.db}, key "${f.key}"): ${f.reason}; redis-server would ${f.server === 'refuse' ? 'refuse to load the dump' : 'skip the key'}`,
  );
  const total = d.corrupt + d.duplicates + d.emptySkipped;
  if (total > d.findings.length) out.push(`warning: ${file}: ${total - d.findings.length} more load-time findings not listed`);
  const verdict = serverVerdict(d);
  if (verdict) out.push(`warning: ${file}: ${verdict} (--strict makes this an error)`);
  return out;
}
