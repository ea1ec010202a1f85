/**
 * The in-memory shape of a value right after the server loaded it: what load-encoding.ts
 * decides (mirroring rdbLoadObject) and object-size.ts prices (mirroring objectComputeSize).
 * One instance is reused from key to key.
 */

/** OBJ_ENCODING_* as MEMORY USAGE distinguishes them. */
export const ENC = {
  INT: 0,
  EMBSTR: 1,
  RAW: 2,
  QUICKLIST: 3,
  /** a listpack (7.0+) or a ziplist (5.0/6.2): one compact allocation */
  COMPACT: 4,
  INTSET: 5,
  HASHTABLE: 6,
  SKIPLIST: 7,
  LISTPACK_EX: 8,
  STREAM: 9,
  MODULE: 10,
} as const;

import type { Features } from './sizes.js';

export class Shape {
  enc: number = ENC.RAW;
  /** OBJECT ENCODING as the server reports it */
  encoding = '';
  /** strings: the value's length */
  strLen = 0;
  /** compact encodings: the blob's logical bytes (lpBytes, ziplistBlobLen, intset bytes) */
  compactBytes = 0;
  /** compact encodings: zmalloc_size of the blob (its capacity) */
  compactAlloc = 0;
  /** quicklist: sum over nodes of sizeof(quicklistNode) + node data as MEMORY USAGE counts it */
  quicklistNodeBytes = 0;
  /** hashtables and skiplists: buckets in both tables */
  dictSlots = 0;
  /** streams: objectComputeSize's whole stream branch (robj included) */
  streamBytes = 0;

  /** a listpack/ziplist/intset: 5.0/6.2 count its logical length, later versions its allocation */
  setCompact(f: Features, encoding: string, bytes: number, alloc: number): void {
    this.enc = ENC.COMPACT;
    this.encoding = encoding;
    this.compactBytes = bytes;
    this.compactAlloc = f.logicalCompactSizes ? bytes : alloc;
  }

  setHashtable(slots: number): void {
    this.enc = ENC.HASHTABLE;
    this.encoding = 'hashtable';
    this.dictSlots = slots;
  }

  setSkiplist(slots: number): void {
    this.enc = ENC.SKIPLIST;
    this.encoding = 'skiplist';
    this.dictSlots = slots;
  }

  reset(): this {
    this.enc = ENC.RAW;
    this.encoding = '';
    this.strLen = 0;
    this.compactBytes = 0;
    this.compactAlloc = 0;
    this.quicklistNodeBytes = 0;
    this.dictSlots = 0;
    this.streamBytes = 0;
    return this;
  }
}
