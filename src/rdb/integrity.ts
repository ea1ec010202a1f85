/**
 * What Redis checks as it loads a dump beyond reading it (rdbLoadRioWithLoadingCtx and
 * rdbLoadObject, rdb.c): duplicate keys in one db, empty collections, and the blob and LZF
 * integrity checks. The parser reports each finding as an IntegrityRecord (or, with `strict`,
 * as an RdbError); this file holds the memory-bounded structure the duplicate checks use and the
 * collector the analysis keeps the findings in.
 *
 * Duplicates are found by 64-bit fingerprints of (db, key) in an open-addressing table of
 * Uint32 pairs: 8 bytes a slot, grown at 3/4 load, so 10.7 to 21.3 bytes a key (no per-key
 * objects, nothing the GC walks). Two different keys share a fingerprint with probability
 * about n^2 / 2^65 (3e-6 for 10 million keys). The table stops growing at FP_MAX_KEYS keys
 * (1 GiB): past that the check is off for the rest of the dump, and says so. See
 * docs/rdb-format.md "Load-time checks".
 */
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

// ------------------------------------------------------------------ the findings of one dump

/** Findings kept in full per dump (the counts are always complete). */
const KEEP_FINDINGS = 20;

/** One finding as plain data (crosses worker threads). */
export interface IntegrityFinding {
  offset: number;
  check: IntegrityCheck;
  db: number;
  /** the key, printable (printableKey) */
  key: string;
  server: 'refuse' | 'skip';
  reason: string;
}

/** The load-time findings of one dump, as plain data. */
export interface IntegrityData {
  corrupt: number;
  duplicates: number;
  emptySkipped: number;
  /** the first findings, in file order */
  findings: IntegrityFinding[];
  /** the duplicate-key check stopped early (memory bound): keys after that were not checked */
  duplicateCheckStoppedAt: number | null;
}

export function emptyIntegrity(): IntegrityData {
  return { corrupt: 0, duplicates: 0, emptySkipped: 0, findings: [], duplicateCheckStoppedAt: null };
}

/** Take in one IntegrityRecord. */
export function noteIntegrity(d: IntegrityData, r: IntegrityRecord): void {
  if (r.check === 'corrupt_value') d.corrupt++;
  else if (r.check === 'duplicate_key') d.duplicates++;
  else d.emptySkipped++;
  if (d.findings.length < KEEP_FINDINGS) {
    d.findings.push({ offset: r.offset, check: r.check, db: r.db, key: printableKey(r.key), server: r.server, reason: r.reason });
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
      `${skip ? `; it would also ${skip}` : ''}; the sizes are of the keys as read, a duplicate counted once${d.emptySkipped > 0 ? ', empty keys left out' : ''}`
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
  if (d.duplicateCheckStoppedAt !== null) {
    out.push(`warning: ${file}: the duplicate-key check stopped after ${d.duplicateCheckStoppedAt} keys (its memory bound); later keys were not checked`);
  }
  const verdict = serverVerdict(d);
  if (verdict) out.push(`warning: ${file}: ${verdict} (--strict makes this an error)`);
  return out;
}
