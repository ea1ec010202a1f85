/**
 * Shared pieces of the compact encodings (ziplist, listpack, intset, zipmap): the error they
 * raise on malformed input and what a walk over one reports.
 */

/** A malformed blob; the parser turns it into an RdbError with the blob's absolute offset. */
export class BlobFormatError extends Error {
  /** Offset of the problem relative to the start of the blob. */
  readonly at: number;
  constructor(reason: string, at: number) {
    super(reason);
    this.at = at;
  }
}

import { fingerprint, fingerprintInt, type FingerprintSet } from './integrity.js';

const FIELD_SEED = 0x6669656c;

/** An element of a compact encoding in values mode: bytes, or an integer entry. */
export type EncodedValue = Buffer | number | bigint;

/**
 * Which entries of a blob are elements (recorded in ElementStats) and which are companions
 * (zset scores, field TTLs): entry i is an element when ELEMENT_MASK[i % stride] is set.
 */
export interface EntryLayout {
  stride: number;
  /** bit k set: entry with (index % stride) === k is an element */
  elementMask: number;
}

export const ALL_ELEMENTS: EntryLayout = { stride: 1, elementMask: 1 };
/** zsets: member, score */
export const MEMBER_SCORE: EntryLayout = { stride: 2, elementMask: 1 };
/** hashes: field, value */
export const FIELD_VALUE: EntryLayout = { stride: 2, elementMask: 3 };
/** listpackex hashes: field, value, ttl */
export const FIELD_VALUE_TTL: EntryLayout = { stride: 3, elementMask: 3 };

/** Summary of one walk over a blob. */
export class BlobScan {
  /** entries in the blob (members and scores count separately) */
  entries = 0;
  /** size of the same entries written as a listpack: header 6 + entries + terminator 1 */
  listpackBytes = 0;
  /** size of the same entries written as a ziplist: header 10 + entries + terminator 1 */
  ziplistBytes = 0;
  /** the entries themselves, in values mode */
  values: EncodedValue[] | null = null;
  /**
   * The first failure of the deep checks Redis makes on load (ziplistValidateIntegrity,
   * lpValidateIntegrity, intsetValidateIntegrity, zipmapValidateIntegrity, the duplicate
   * fields of the pair encodings): the blob could still be walked, but redis-server refuses it.
   */
  damage: string | null = null;
  /** offset of `damage` relative to the start of the blob */
  damageAt = 0;
  /** set by the caller for the pair encodings (hash fields, zset members): duplicates are damage */
  fields: FingerprintSet | null = null;

  reset(wantValues: boolean): void {
    this.entries = 0;
    this.listpackBytes = 0;
    this.ziplistBytes = 0;
    this.values = wantValues ? [] : null;
    this.damage = null;
    this.damageAt = 0;
    this.fields = null;
  }

  /** Note a deep-check failure (the first one is kept). */
  damaged(reason: string, at: number): void {
    if (this.damage === null) {
      this.damage = reason;
      this.damageAt = at;
    }
  }

  /** A field or member entry (bytes): damage when the same one was seen before in this blob. */
  fieldBytes(buf: Uint8Array, start: number, len: number, at: number): void {
    fingerprint(buf, start, len, FIELD_SEED);
    if (!this.fields!.addLast()) this.damaged('duplicate field or member in the blob', at);
  }

  /** A field or member entry stored as an integer (compared as its decimal text, as Redis does). */
  fieldInt(v: number | bigint, at: number): void {
    if (typeof v === 'bigint') {
      const b = Buffer.from(v.toString(), 'latin1');
      fingerprint(b, 0, b.length, FIELD_SEED);
    } else fingerprintInt(v, FIELD_SEED);
    if (!this.fields!.addLast()) this.damaged('duplicate field or member in the blob', at);
  }
}

/** Bytes of a listpack back-length field for an entry of `size` bytes (lpEncodeBacklen). */
export function lpBacklenSize(size: number): number {
  if (size <= 127) return 1;
  if (size < 16383) return 2;
  if (size < 2097151) return 3;
  if (size < 268435455) return 4;
  return 5;
}

/** Listpack entry size (with backlen) of a string of `len` bytes. */
export function lpStringEntrySize(len: number): number {
  const s = len < 64 ? 1 + len : len < 4096 ? 2 + len : 5 + len;
  return s + lpBacklenSize(s);
}

/** Ziplist entry size (without prevlen) of a string of `len` bytes. */
export function zlStringEntrySize(len: number): number {
  return len <= 0x3f ? 1 + len : len <= 0x3fff ? 2 + len : 5 + len;
}

/** Ziplist prevlen field size for a previous entry of `prev` bytes. */
export function zlPrevlenSize(prev: number): number {
  return prev < 254 ? 1 : 5;
}

export function decimalBuffer(v: number | bigint): Buffer {
  return Buffer.from(String(v), 'latin1');
}
