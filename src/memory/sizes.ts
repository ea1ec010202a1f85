/**
 * Struct sizes (64-bit builds) and the behaviour switches that differ between the modelled
 * server versions. Every number here is a sizeof() or a constant from the named Redis/Valkey
 * source file; nothing is fitted to measurements.
 */
import type { ServerProfile } from './profiles.js';
import { mallocSize, mallocSizeQuantum8 } from './jemalloc.js';

/** sizeof(robj) (server.h): type:4 encoding:4 lru:24, int refcount, void *ptr. */
export const ROBJ = 16;
/** sizeof(dictEntry) (dict.h): key, union v, next. */
export const DICT_ENTRY = 24;
/** Valkey 8.0 dictEntryEmbedded without its key bytes: union v, next, uint8_t key_header_size. */
export const DICT_ENTRY_EMBEDDED_FIXED = 17;
/** Valkey 8.0 dictEntryNoValue (dict.c): key, next. */
export const DICT_ENTRY_NO_VALUE = 16;
/** sizeof(dict) up to 6.2: type, privdata, dictht ht[2] (4 words each), rehashidx, iterators. */
export const DICT_STRUCT_OLD = 96;
/** sizeof(dict) from 7.0: type, ht_table[2], ht_used[2], rehashidx, pauserehash, ht_size_exp[2] (+7.4 pauseAutoResize), padded. */
export const DICT_STRUCT_NEW = 56;
/** DICT_HT_INITIAL_SIZE (dict.h) */
export const DICT_HT_INITIAL_SIZE = 4;
/** sizeof(struct dictEntry*) */
export const POINTER = 8;
/** sizeof(quicklist) (quicklist.h): head, tail, count, len, fill:16 compress:16 (+ bookmark_count:4). */
export const QUICKLIST = 40;
/** sizeof(quicklistNode) up to 6.2 (quicklist.h): prev, next, zl, unsigned int sz, count:16 encoding:2 ... */
export const QUICKLIST_NODE_OLD = 32;
/** sizeof(quicklistNode) from 7.0: `sz` became a size_t (plain nodes may exceed 4 GB) */
export const QUICKLIST_NODE_NEW = 40;
/** sizeof(zset) (server.h): dict *, zskiplist * */
export const ZSET = 16;
/** sizeof(zskiplist) (server.h): header, tail, length, level */
export const ZSKIPLIST = 32;
/** zskiplistNode without levels (server.h): sds ele, double score, backward */
export const ZSL_NODE_BASE = 24;
/** struct zskiplistLevel: forward, span */
export const ZSL_LEVEL = 16;
/** sizeof(intset) header (intset.h): encoding u32, length u32 */
export const INTSET_HEADER = 8;
/** sizeof(listpackEx) (7.4 t_hash.c): ExpireMeta (16), sds key, void *lp */
export const LISTPACK_EX = 32;
/** 7.4 mstr field metadata for a TTL: mstrFlags (2) + ExpireMeta (16) (mstr.h, ebuckets.h) */
export const HFIELD_TTL_META = 18;
/** cluster slot-to-keys metadata per db entry in 7.0/7.2: clusterDictEntryMetadata {prev, next} */
export const CLUSTER_ENTRY_METADATA = 16;
/** Empty ziplist: zlbytes u32, zltail u32, zllen u16, zlend */
export const ZIPLIST_EMPTY = 11;
/** Empty listpack: total bytes u32, count u16, EOF */
export const LISTPACK_EMPTY = 7;
/** quicklist.c optimization_level for fill -1..-5 */
export const QUICKLIST_OPTIMIZATION_LEVEL = [4096, 8192, 16384, 32768, 65536] as const;
/** quicklist.c SIZE_SAFETY_LIMIT */
export const QUICKLIST_SIZE_SAFETY_LIMIT = 8192;
/** quicklist.c SIZE_ESTIMATE_OVERHEAD (7.0+) */
export const QUICKLIST_SIZE_ESTIMATE_OVERHEAD = 8;
/** quicklist.c packed_threshold default: elements this big get a plain node (7.0+) */
export const QUICKLIST_PACKED_THRESHOLD = 1 << 30;
/** OBJ_ENCODING_EMBSTR_SIZE_LIMIT (object.c) */
export const EMBSTR_SIZE_LIMIT = 44;
/** sizeof(struct sdshdr8) */
export const SDSHDR8 = 3;
/** LISTPACK_MAX_SAFETY_SIZE / ZIPLIST_MAX_SAFETY_SIZE (listpack.c, ziplist.c) */
export const LISTPACK_MAX_SAFETY_SIZE = 1 << 30;

/** What changes between versions, resolved once per profile. */
export interface Features {
  /** zmalloc_size of a request on this build (jemalloc quantum 8 or 16) */
  malloc: (n: number) => number;
  /** jemalloc quantum of the build: 8 (Redis's bundled jemalloc) or 16 (system jemalloc) */
  quantum: 8 | 16;
  version: number;
  valkey: boolean;
  /** 5.0: MEMORY USAGE counts sds by sdsAllocSize (header + alloc + 1), not the allocator's size */
  exactSds: boolean;
  /** 5.0/6.2: ziplists, intsets and embstr are counted by their logical length, not zmalloc_size */
  logicalCompactSizes: boolean;
  /** 7.0+: listpack instead of ziplist for hashes, zsets and quicklist nodes */
  listpack: boolean;
  /** 7.2+: small lists are a bare listpack */
  listpackLists: boolean;
  /** 7.2+: small non-integer sets are a listpack */
  listpackSets: boolean;
  /** 7.4+: hash fields are mstr (hfield) with optional TTL metadata; listpackex */
  hashFieldTtl: boolean;
  /** 7.2+: sdsReqType picks the smaller header when len + header + 1 still fits the type */
  sdsTypeFitsHeader: boolean;
  /** 7.4+/Valkey 8.0: list elements above the node size limit get a plain quicklist node */
  plainLargeElements: boolean;
  /** 7.2+: zset scores in listpacks are integers when integral, else fpconv shortest text */
  fpconvScores: boolean;
  /** 7.4+/Valkey 8.0: dictExpand never shrinks a table (size <= current is refused) */
  expandNeverShrinks: boolean;
  /** 6.2+: empty ziplist quicklist nodes are skipped on load */
  skipEmptyNodes: boolean;
  /** ZSKIPLIST_MAXLEVEL (server.h): 64 in 5.0, 32 from 6.0 */
  zslMaxLevel: number;
  /** sizeof(dict) */
  dictStruct: number;
  /** sizeof(quicklistNode) */
  quicklistNode: number;
  /** sizeof(quicklistLZF) before its compressed bytes: the compressed length */
  quicklistLzfHeader: number;
  /** Valkey 8.0: the key lives inside the main dict entry (dictEntryEmbedded) */
  keyInEntry: boolean;
  /** Valkey 8.0: set dicts have no values; a lone key sits in the bucket itself (keys_are_odd) */
  setNoValueEntries: boolean;
  /** bytes per key of cluster slot bookkeeping counted by MEMORY USAGE */
  clusterEntryMeta: number;
  /** OBJECT ENCODING for a stream ('unknown' on 5.0, whose strEncoding lacks it) */
  streamEncoding: string;
}

/** The last profile asked about and its features: one profile per pass is the common case. */
let lastProfile: ServerProfile | null = null;
let lastFeatures: Features | null = null;
const cache = new WeakMap<ServerProfile, Features>();

export function featuresOf(p: ServerProfile): Features {
  if (p === lastProfile) return lastFeatures!;
  let f = cache.get(p);
  if (f === undefined) {
    f = computeFeatures(p);
    cache.set(p, f);
  }
  lastProfile = p;
  lastFeatures = f;
  return f;
}

function computeFeatures(p: ServerProfile): Features {
  const v = p.version;
  const valkey = p.valkey;
  const cluster = p.config['cluster-enabled'];
  const quantum = p.build.jemallocQuantum;
  return {
    malloc: quantum === 8 ? mallocSizeQuantum8 : mallocSize,
    quantum,
    version: v,
    valkey,
    exactSds: v < 600,
    logicalCompactSizes: v < 700,
    listpack: v >= 700,
    listpackLists: v >= 702,
    listpackSets: v >= 702,
    hashFieldTtl: v >= 704 && !valkey,
    sdsTypeFitsHeader: v >= 702,
    plainLargeElements: v >= 704,
    fpconvScores: v >= 702,
    expandNeverShrinks: v >= 704,
    skipEmptyNodes: v >= 602,
    zslMaxLevel: v < 600 ? 64 : 32,
    dictStruct: v < 700 ? DICT_STRUCT_OLD : DICT_STRUCT_NEW,
    quicklistNode: v < 700 ? QUICKLIST_NODE_OLD : QUICKLIST_NODE_NEW,
    quicklistLzfHeader: v < 700 ? 4 : 8,
    keyInEntry: valkey,
    setNoValueEntries: valkey,
    clusterEntryMeta: cluster && (v === 700 || v === 702) && !valkey ? CLUSTER_ENTRY_METADATA : 0,
    streamEncoding: v < 600 ? 'unknown' : 'stream',
  };
}
