/**
 * What MEMORY USAGE adds for the key itself (memoryCommand, object.c): the key's sds, the main
 * dict's entry (plus 7.0/7.2 cluster metadata) and sizeof(robj); on Valkey 8.0 the key lives in
 * an embedded dict entry. Mirrors the key part of src/memory/usage.ts.
 */
import type { Features } from '../sizes.js';
import { DICT_ENTRY, DICT_ENTRY_EMBEDDED_FIXED, ROBJ } from '../sizes.js';
import { sdsHdrSize, sdsSize } from '../sds.js';

export function keyOverhead(keyLen: number, f: Features): number {
  if (f.keyInEntry) return f.malloc(DICT_ENTRY_EMBEDDED_FIXED + sdsHdrSize(keyLen, f.sdsTypeFitsHeader) + keyLen + 1) + ROBJ;
  return sdsSize(keyLen, f) + ROBJ + DICT_ENTRY + f.clusterEntryMeta;
}
