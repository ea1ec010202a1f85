/**
 * Strings as the write path leaves them (t_string.c, object.c, sds.c, 7.0): SET stores the
 * argument through tryObjectEncoding (int, embstr up to 44 bytes, raw trimmed to fit); APPEND
 * turns the value into a raw sds and grows it greedily (sdsMakeRoomFor doubles below 1 MB);
 * INCR and friends leave an int-encoded object.
 */
import { classifyIntegerText, INT_CLASS } from '../../rdb/facts.js';
import type { Features } from '../sizes.js';
import { EMBSTR_SIZE_LIMIT, ROBJ, SDSHDR8 } from '../sizes.js';
import { sdsHdrSize } from '../sds.js';

/** A live string's object encoding (OBJ_ENCODING_INT, _EMBSTR, _RAW); index into STRING_ENCODINGS. Not the RDB_STR_* of src/rdb/reader.ts (how a dump stored it). */
export const STR_INT = 0;
export const STR_EMBSTR = 1;
export const STR_RAW = 2;

export const STRING_ENCODINGS = ['int', 'embstr', 'raw'] as const;

/** SDS_MAX_PREALLOC (sds.h) */
const SDS_MAX_PREALLOC = 1024 * 1024;

/** The encoding tryObjectEncoding gives a value of these bytes. */
export function stringEncodingOf(b: Uint8Array): number {
  if (b.length <= 20 && classifyIntegerText(b, 0, b.length) !== INT_CLASS.STRING) return STR_INT;
  return b.length <= EMBSTR_SIZE_LIMIT ? STR_EMBSTR : STR_RAW;
}

/** sds header of a type picked for `len` (sdsReqType; type 5 only for sdsnewlen of < 32 bytes) */
function hdr(len: number, f: Features, noType5: boolean): number {
  const h = sdsHdrSize(len, f.sdsTypeFitsHeader);
  return noType5 && h === 1 ? SDSHDR8 : h;
}

/**
 * The size MEMORY USAGE counts for a string value, robj excluded (objectComputeSize's string
 * branch): int 0, embstr the one allocation minus the robj, raw sdsZmallocSize.
 * `rawAlloc` is the raw sds's allocation (header + alloc + 1) when known, else exact.
 */
export function stringPayload(enc: number, len: number, rawAlloc: number, f: Features): number {
  if (enc === STR_INT) return 0;
  if (enc === STR_EMBSTR) return f.logicalCompactSizes ? len + 2 : f.malloc(ROBJ + SDSHDR8 + len + 1) - ROBJ;
  if (rawAlloc > 0) return rawAlloc;
  return rawSdsNew(len, f);
}

/** zmalloc size of sdsnewlen(len) (or sdsAllocSize on 5.0) */
export function rawSdsNew(len: number, f: Features): number {
  const n = hdr(len, f, len === 0) + len + 1;
  return f.exactSds ? n : f.malloc(n);
}

/** sds capacity (alloc) of sdsnewlen(len): the allocator's usable size less header and NUL */
export function rawSdsCapacity(len: number, f: Features): number {
  const h = hdr(len, f, len === 0);
  if (h === 1) return len; // sdshdr5 has no alloc field: no spare room
  if (f.exactSds) return len;
  return f.malloc(h + len + 1) - h - 1;
}

/**
 * sdsMakeRoomFor(s, addlen) with greedy growth (APPEND): the new capacity (alloc) and the
 * allocation's size, or null when the current capacity has room. `cap` is the current
 * capacity, `len` the current length.
 */
export function sdsGrow(len: number, cap: number, addlen: number, f: Features): { cap: number; alloc: number } | null {
  if (cap - len >= addlen) return null;
  let newlen = len + addlen;
  newlen = newlen < SDS_MAX_PREALLOC ? newlen * 2 : newlen + SDS_MAX_PREALLOC;
  const h = hdr(newlen, f, true);
  if (f.exactSds) return { cap: newlen, alloc: h + newlen + 1 };
  const alloc = f.malloc(h + newlen + 1);
  return { cap: alloc - h - 1, alloc };
}
