/**
 * RDB format constants, named as in Redis's rdb.h so a grep finds both.
 */

export const RDB_TYPE = {
  STRING: 0,
  LIST: 1,
  SET: 2,
  ZSET: 3,
  HASH: 4,
  ZSET_2: 5,
  MODULE_PRE_GA: 6,
  MODULE_2: 7,
  HASH_ZIPMAP: 9,
  LIST_ZIPLIST: 10,
  SET_INTSET: 11,
  ZSET_ZIPLIST: 12,
  HASH_ZIPLIST: 13,
  LIST_QUICKLIST: 14,
  STREAM_LISTPACKS: 15,
  HASH_LISTPACK: 16,
  ZSET_LISTPACK: 17,
  LIST_QUICKLIST_2: 18,
  STREAM_LISTPACKS_2: 19,
  SET_LISTPACK: 20,
  STREAM_LISTPACKS_3: 21,
  /** Redis 7.4 release candidates; Valkey 9 (RDB 80) reuses 22 for RDB_TYPE_HASH_2. */
  HASH_METADATA_PRE_GA: 22,
  HASH_LISTPACK_EX_PRE_GA: 23,
  HASH_METADATA: 24,
  HASH_LISTPACK_EX: 25,
} as const;

/** Valkey 9's hash with per-field expiry (same number as Redis's HASH_METADATA_PRE_GA). */
export const VALKEY_RDB_TYPE_HASH_2 = 22;

export const RDB_OPCODE = {
  SLOT_INFO: 244,
  FUNCTION2: 245,
  FUNCTION_PRE_GA: 246,
  MODULE_AUX: 247,
  IDLE: 248,
  FREQ: 249,
  AUX: 250,
  RESIZEDB: 251,
  EXPIRETIME_MS: 252,
  EXPIRETIME: 253,
  SELECTDB: 254,
  EOF: 255,
} as const;

/** Length encodings: the top two bits of the first length byte. */
export const RDB_6BITLEN = 0;
export const RDB_14BITLEN = 1;
export const RDB_32BITLEN = 0x80;
export const RDB_64BITLEN = 0x81;
export const RDB_ENCVAL = 3;

/** Special string encodings (rdbLoadLen with isencoded set). */
export const RDB_ENC_INT8 = 0;
export const RDB_ENC_INT16 = 1;
export const RDB_ENC_INT32 = 2;
export const RDB_ENC_LZF = 3;

/** Module serialization opcodes (RDB_MODULE_OPCODE_*). */
export const RDB_MODULE_OPCODE = {
  EOF: 0,
  SINT: 1,
  UINT: 2,
  FLOAT: 3,
  DOUBLE: 4,
  STRING: 5,
} as const;

/** Quicklist 2 node containers. */
export const QUICKLIST_NODE_CONTAINER_PLAIN = 1;
export const QUICKLIST_NODE_CONTAINER_PACKED = 2;

/** Newest RDB version we know of: Redis 7.4/8.x write 12. Valkey 9 writes 80 with its own magic. */
export const RDB_VERSION_MAX_REDIS = 12;
export const RDB_VERSION_VALKEY_9 = 80;

/** Stream listpack master-entry flags (t_stream.c). */
export const STREAM_ITEM_FLAG_DELETED = 1;
export const STREAM_ITEM_FLAG_SAMEFIELDS = 2;

export type ValueType = 'string' | 'list' | 'set' | 'zset' | 'hash' | 'stream' | 'module';

/** The data type each RDB value type byte stands for. */
export function valueTypeOf(rdbType: number): ValueType | undefined {
  switch (rdbType) {
    case RDB_TYPE.STRING:
      return 'string';
    case RDB_TYPE.LIST:
    case RDB_TYPE.LIST_ZIPLIST:
    case RDB_TYPE.LIST_QUICKLIST:
    case RDB_TYPE.LIST_QUICKLIST_2:
      return 'list';
    case RDB_TYPE.SET:
    case RDB_TYPE.SET_INTSET:
    case RDB_TYPE.SET_LISTPACK:
      return 'set';
    case RDB_TYPE.ZSET:
    case RDB_TYPE.ZSET_2:
    case RDB_TYPE.ZSET_ZIPLIST:
    case RDB_TYPE.ZSET_LISTPACK:
      return 'zset';
    case RDB_TYPE.HASH:
    case RDB_TYPE.HASH_ZIPMAP:
    case RDB_TYPE.HASH_ZIPLIST:
    case RDB_TYPE.HASH_LISTPACK:
    case RDB_TYPE.HASH_METADATA:
    case RDB_TYPE.HASH_LISTPACK_EX:
    case RDB_TYPE.HASH_LISTPACK_EX_PRE_GA:
      return 'hash';
    case RDB_TYPE.HASH_METADATA_PRE_GA:
      return 'hash'; // also Valkey 9's HASH_2
    case RDB_TYPE.STREAM_LISTPACKS:
    case RDB_TYPE.STREAM_LISTPACKS_2:
    case RDB_TYPE.STREAM_LISTPACKS_3:
      return 'stream';
    case RDB_TYPE.MODULE_PRE_GA:
    case RDB_TYPE.MODULE_2:
      return 'module';
    default:
      return undefined;
  }
}

/**
 * The name of the on-disk encoding a value type byte stands for. Strings are refined by the
 * parser to 'int' or 'lzf' when the dump holds them that way.
 */
export function rdbEncodingName(rdbType: number): string {
  switch (rdbType) {
    case RDB_TYPE.STRING: return 'raw';
    case RDB_TYPE.LIST: return 'linkedlist';
    case RDB_TYPE.SET: return 'hashtable';
    case RDB_TYPE.ZSET: return 'skiplist';
    case RDB_TYPE.HASH: return 'hashtable';
    case RDB_TYPE.ZSET_2: return 'skiplist';
    case RDB_TYPE.MODULE_PRE_GA:
    case RDB_TYPE.MODULE_2: return 'module';
    case RDB_TYPE.HASH_ZIPMAP: return 'zipmap';
    case RDB_TYPE.LIST_ZIPLIST:
    case RDB_TYPE.ZSET_ZIPLIST:
    case RDB_TYPE.HASH_ZIPLIST: return 'ziplist';
    case RDB_TYPE.SET_INTSET: return 'intset';
    case RDB_TYPE.LIST_QUICKLIST: return 'quicklist';
    case RDB_TYPE.LIST_QUICKLIST_2: return 'quicklist2';
    case RDB_TYPE.STREAM_LISTPACKS:
    case RDB_TYPE.STREAM_LISTPACKS_2:
    case RDB_TYPE.STREAM_LISTPACKS_3: return 'stream';
    case RDB_TYPE.HASH_LISTPACK:
    case RDB_TYPE.ZSET_LISTPACK:
    case RDB_TYPE.SET_LISTPACK: return 'listpack';
    case RDB_TYPE.HASH_METADATA_PRE_GA:
    case RDB_TYPE.HASH_METADATA: return 'hashtable-ttl';
    case RDB_TYPE.HASH_LISTPACK_EX_PRE_GA:
    case RDB_TYPE.HASH_LISTPACK_EX: return 'listpackex';
    default: return 'unknown';
  }
}
