/**
 * What the parser emits, in file order.
 */
import type { ValueType } from './constants.js';
import type { IntegrityRecord } from './integrity.js';

export type { IntegrityRecord } from './integrity.js';
import type { ElementStats } from './facts.js';
import type { StreamFacts, RdbStreamValue } from './stream.js';

export interface HeaderRecord {
  kind: 'header';
  offset: 0;
  /** 'REDIS' or 'VALKEY' */
  magic: string;
  version: number;
}

export interface AuxRecord {
  kind: 'aux';
  offset: number;
  name: string;
  value: Buffer;
}

export interface SelectDbRecord {
  kind: 'selectdb';
  offset: number;
  db: number;
}

export interface ResizeDbRecord {
  kind: 'resizedb';
  offset: number;
  dbSize: number;
  expiresSize: number;
}

export interface SlotInfoRecord {
  kind: 'slot-info';
  offset: number;
  slot: number;
  slotSize: number;
  expiresSlotSize: number;
}

export interface FunctionRecord {
  kind: 'function';
  offset: number;
  /** The library source (FUNCTION2), or the function's code (7.0 RC format). */
  code: Buffer;
  /** Only for the 7.0 release-candidate format (opcode 246): one named function per record. */
  preRelease?: { name: string; engine: string; description: Buffer | null };
}

export interface ModuleAuxRecord {
  kind: 'module-aux';
  offset: number;
  moduleName: string;
  moduleVersion: number;
  when: number;
}

export interface EofRecord {
  kind: 'eof';
  offset: number;
  /**
   * 'verified': trailer matched; 'not-computed': zero trailer (rdbchecksum no); 'absent': RDB < 5
   * has none; 'unchecked': the caller turned verification off.
   */
  checksum: 'verified' | 'not-computed' | 'absent' | 'unchecked';
  /** the CRC-64 stored in the trailer, null when there is none */
  trailer: bigint | null;
  /** Total bytes read, trailer included. */
  size: number;
}

/** Facts about a hash with per-field TTLs. */
export interface FieldTtlFacts {
  fieldsWithTtl: number;
  /** smallest field expiry (ms), -1 when none */
  minExpireAt: number;
}

/** One node of a quicklist as stored. */
export interface QuicklistNodeFacts {
  /** 1 plain, 2 packed */
  container: number;
  /** bytes of the node's blob as stored (ziplist or listpack, after LZF decompression) */
  blobBytes: number;
  /** bytes the node takes as a listpack (7.0+ converts ziplist nodes); plain: element length */
  listpackBytes: number;
  /** entries in the node */
  entries: number;
  /** bytes of the node in the dump when it was LZF-compressed there, else 0 */
  compressedBytes: number;
}

/**
 * Everything a memory calculator needs about a value. `elements` is the parser's reusable
 * scratch: read it inside the record callback, never keep it.
 */
export interface ValueFacts {
  /** strings: whether the value is integer text Redis would store as an int-encoded robj */
  integer: boolean;
  /** per-element lengths and integer classes (collections); scores for hashtable zsets */
  elements: ElementStats | null;
  /** bytes of the compact blob as stored (ziplist/listpack/intset/zipmap), 0 when none */
  blobBytes: number;
  /** the same entries as a listpack (ziplist/zipmap/listpack blobs), 0 when not applicable */
  listpackBytes: number;
  /** the same entries as a ziplist (ziplist blobs), 0 when not applicable */
  ziplistBytes: number;
  /** intset width in bytes, 0 when not an intset */
  intsetWidth: number;
  /** quicklist nodes, null for other encodings */
  nodes: QuicklistNodeFacts[] | null;
  fieldTtl: FieldTtlFacts | null;
  stream: StreamFacts | null;
  /** module values: the module's name (from its 64-bit id) and encoding version */
  module: { name: string; version: number } | null;
  /** bytes of the value in the dump (after the key name) */
  serializedBytes: number;
}

export type ZsetEntry = [member: Buffer, score: number];
export interface HashEntry {
  field: Buffer;
  value: Buffer;
  /** absolute field expiry in ms, -1 when none */
  expireAt: number;
}

export type Value =
  | { type: 'string'; value: Buffer }
  | { type: 'list'; value: Buffer[] }
  | { type: 'set'; value: Buffer[] }
  | { type: 'zset'; value: ZsetEntry[] }
  | { type: 'hash'; value: HashEntry[] }
  | { type: 'stream'; value: RdbStreamValue }
  | { type: 'module'; value: null };

export interface KeyRecord {
  kind: 'key';
  db: number;
  key: Buffer;
  type: ValueType;
  /** the value type byte */
  rdbType: number;
  /** on-disk encoding: raw|int|lzf for strings, else ziplist, listpack, quicklist2, hashtable, ... */
  encoding: string;
  /** absolute expiry in ms since the epoch, -1 when none */
  expireAt: number;
  /** LRU idle seconds (IDLE opcode), -1 when absent */
  idle: number;
  /** LFU counter (FREQ opcode), -1 when absent */
  freq: number;
  /** byte offset where the key's record starts (its first expiry/idle/freq opcode or type byte) */
  offset: number;
  /** byte offset just after the record */
  end: number;
  /** STRLEN / LLEN / SCARD / ZCARD / HLEN / XLEN */
  length: number;
  /** bytes of the longest element (strings: the length; hashes: longest field or value) */
  maxElementLength: number;
  facts: ValueFacts;
  /** only in values mode */
  value?: Value;
}

export type RdbRecord =
  | HeaderRecord
  | AuxRecord
  | SelectDbRecord
  | ResizeDbRecord
  | SlotInfoRecord
  | FunctionRecord
  | ModuleAuxRecord
  | KeyRecord
  | IntegrityRecord
  | EofRecord;
