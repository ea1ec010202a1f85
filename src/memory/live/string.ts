/**
 * Strings as the write path leaves them (t_string.c, object.c, sds.c, 7.0): SET stores the
 * argument through tryObjectEncoding (int, embstr up to 44 bytes, raw trimmed to fit); APPEND
 * turns the value into a raw sds and grows it greedily (sdsMakeRoomFor doubles below 1 MB);
 * INCR and friends leave an int-encoded object. An sds's capacity (its alloc field) is what the
 * allocator gave, capped at what the header type can record (sdsTypeMaxSize): a 253-byte
 * sdshdr8 in a 320-byte allocation has room for 2 more bytes, not 63.
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
/** PROTO_MBULK_BIG_ARG (server.h): from this length a client's argument is its query buffer */
export const PROTO_MBULK_BIG_ARG = 32 * 1024;

/** sdsTypeMaxSize (sds.c) of the type whose header is `hdrSize` bytes: the largest alloc it records */
function sdsTypeMaxSize(hdrSize: number): number {
  if (hdrSize === 1) return 2 ** 5 - 1;
  if (hdrSize === 3) return 2 ** 8 - 1;
  if (hdrSize === 5) return 2 ** 16 - 1;
  if (hdrSize === 9) return 2 ** 32 - 1;
  return Number.MAX_SAFE_INTEGER;
}

/** the alloc field _sdsnewlen / _sdsMakeRoomFor store: usable size less header and NUL, capped by the type */
function usableCapacity(alloc: number, h: number): number {
  return Math.min(alloc - h - 1, sdsTypeMaxSize(h));
}

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
  return usableCapacity(f.malloc(h + len + 1), h);
}

/**
 * A normal client's argument of PROTO_MBULK_BIG_ARG bytes or more as SET and friends keep it
 * (processMultibulkBuffer, networking.c, then tryObjectEncoding): the query buffer itself
 * becomes the object, an sds that sdsMakeRoomForNonGreedy sized for the bulk and its CRLF
 * (type by sdsReqType(len + 2)), the CRLF then cut from its length;
 * trimStringObjectIfNeeded gives back more than len/10 of spare room (sdsResize keeps the
 * header: the allocation becomes header + len + 1, the capacity len). Assumes the buffer was
 * grown for this argument (a fresh connection, or smaller arguments before): one that held a
 * larger argument keeps its size. Null below the limit or on 5.0's exact sizes.
 */
export function queryArgSds(len: number, f: Features): { cap: number; alloc: number } | null {
  if (len < PROTO_MBULK_BIG_ARG || f.exactSds) return null;
  const h = hdr(len + 2, f, true);
  const alloc = f.malloc(h + len + 2 + 1);
  const cap = usableCapacity(alloc, h);
  return cap - len > len / 10 ? { cap: len, alloc: f.malloc(h + len + 1) } : { cap, alloc };
}

/**
 * _sdsMakeRoomFor(s, addlen, greedy=1) (sds.c, APPEND, SETRANGE, SETBIT): the new capacity
 * (alloc) and the allocation's size, or null when the current capacity has room. `cap` is the
 * current capacity, `len` the current length. The new length doubles below SDS_MAX_PREALLOC,
 * the type is sdsReqType's for that length (never type 5), and the capacity is the usable size
 * capped by sdsTypeMaxSize.
 */
export function sdsGrow(len: number, cap: number, addlen: number, f: Features): { cap: number; alloc: number } | null {
  if (cap - len >= addlen) return null;
  let newlen = len + addlen;
  newlen = newlen < SDS_MAX_PREALLOC ? newlen * 2 : newlen + SDS_MAX_PREALLOC;
  const h = hdr(newlen, f, true);
  if (f.exactSds) return { cap: newlen, alloc: h + newlen + 1 };
  const alloc = f.malloc(h + newlen + 1);
  return { cap: usableCapacity(alloc, h), alloc };
}
