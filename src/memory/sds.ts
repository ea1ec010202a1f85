/**
 * Sizes of sds strings (sds.h, sds.c) and of the 7.4 mstr hash fields (mstr.h).
 */
import type { Features } from './sizes.js';
import { HFIELD_TTL_META } from './sizes.js';

/** sizeof(struct sdshdr5 / 8 / 16 / 32 / 64) */
const SDS_HDR = [1, 3, 5, 9, 17] as const;

/**
 * Header size of a new sds of `len` bytes: sdsReqType + sdsHdrSize (sds.c). From 7.2 a type is
 * used while header + len + 1 still fits it (`len <= 2^8 - 3 - 1` for sdshdr8, ...). An empty
 * string never gets the type-5 header (sdsnewlen).
 */
export function sdsHdrSize(len: number, fitsHeader: boolean): number {
  if (len < 32) return len === 0 ? SDS_HDR[1] : SDS_HDR[0];
  if (fitsHeader) {
    if (len <= 256 - 3 - 1) return SDS_HDR[1];
    if (len <= 65536 - 5 - 1) return SDS_HDR[2];
    if (len <= 2 ** 32 - 9 - 1) return SDS_HDR[3];
    return SDS_HDR[4];
  }
  if (len < 256) return SDS_HDR[1];
  if (len < 65536) return SDS_HDR[2];
  if (len < 2 ** 32) return SDS_HDR[3];
  return SDS_HDR[4];
}

/**
 * What MEMORY USAGE counts for an sds of `len` bytes created by sdsnewlen: sdsAllocSize
 * (header + alloc + 1, alloc = len) on 5.0, sdsZmallocSize (the allocator's size) after.
 */
export function sdsSize(len: number, f: Features): number {
  if (len < SDS_TABLE_LEN) {
    const k = (f.exactSds ? 4 : 0) | (f.sdsTypeFitsHeader ? 2 : 0) | (f.quantum === 8 ? 1 : 0);
    return (SDS_TABLES[k] ?? buildSdsTable(f, k))[len]!;
  }
  const n = sdsHdrSize(len, f.sdsTypeFitsHeader) + len + 1;
  return f.exactSds ? n : f.malloc(n);
}

/** Lengths below this are looked up (elements are mostly short; this runs per element). */
const SDS_TABLE_LEN = 1024;
/** One table per combination of the three switches sdsSize depends on. */
const SDS_TABLES: (Uint32Array | undefined)[] = new Array(8);

function buildSdsTable(f: Features, k: number): Uint32Array {
  const t = new Uint32Array(SDS_TABLE_LEN);
  for (let len = 0; len < SDS_TABLE_LEN; len++) {
    const n = sdsHdrSize(len, f.sdsTypeFitsHeader) + len + 1;
    t[len] = f.exactSds ? n : f.malloc(n);
  }
  SDS_TABLES[k] = t;
  return t;
}

/** sizeof(struct mstrhdr5 / 8 / 16 / 64) (mstr.h) */
function mstrHdrSize(len: number): number {
  if (len < 32) return 1;
  if (len < 256) return 3;
  if (len < 65536) return 3;
  return 9;
}

/**
 * hfieldZmallocSize (7.4 t_hash.c): an mstr field, with mstrFlags + ExpireMeta in front when
 * the field has a TTL.
 */
export function hfieldSize(len: number, withTtl: boolean, f: Features): number {
  return f.malloc((withTtl ? HFIELD_TTL_META : 0) + mstrHdrSize(len) + len + 1);
}
