/**
 * What MEMORY USAGE adds for the key itself, besides the value (mirrors memoryCommand,
 * object.c): the key name, sizeof(robj) and the main dict's entry.
 *
 *   name   the key's sds (sdsAllocSize on 5.0, sdsZmallocSize after); on Valkey 8.0, where the
 *          key is embedded in the dict entry (dictEntryEmbedded), the entry's zmalloc_size
 *          less its fixed part
 *   entry  sizeof(dictEntry) plus the 7.0/7.2 cluster metadata; on Valkey 8.0 the fixed part
 *          of the embedded entry
 *
 * The one place the formula lives: usage.ts (dumps), the live keyspace (src/engine) and
 * MEMORY DOCTOR's new-key figures call it.
 */
import type { Features } from './sizes.js';
import { DICT_ENTRY, DICT_ENTRY_EMBEDDED_FIXED, ROBJ } from './sizes.js';
import { sdsHdrSize, sdsSize } from './sds.js';

/** The key name's part of MEMORY USAGE for a name of `len` bytes. */
export function keyNameSize(len: number, f: Features): number {
  if (f.keyInEntry) return f.malloc(DICT_ENTRY_EMBEDDED_FIXED + sdsHdrSize(len, f.sdsTypeFitsHeader) + len + 1) - DICT_ENTRY_EMBEDDED_FIXED;
  return sdsSize(len, f);
}

/** The main dict entry's part of MEMORY USAGE (the same for every key). */
export function keyEntrySize(f: Features): number {
  return f.keyInEntry ? DICT_ENTRY_EMBEDDED_FIXED : DICT_ENTRY + f.clusterEntryMeta;
}

/** Everything MEMORY USAGE charges a key of `len` name bytes besides its value's payload: name, robj, entry. */
export function keyOverhead(len: number, f: Features): number {
  return keyNameSize(len, f) + ROBJ + keyEntrySize(f);
}
