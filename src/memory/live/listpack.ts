/**
 * Entry sizes of live elements in listpacks (listpack.c lpEncodeGetType: integer text becomes an
 * integer entry) and ziplists, from the element's bytes.
 */
import { classifyIntegerText, INT_CLASS } from '../../rdb/facts.js';
import { lpEntrySize } from '../compact.js';
import { scoreEntry } from '../d2string.js';

/** INT_CLASS of an element as lpStringToInt64 / zipTryEncoding see it */
export function intClassOfBytes(b: Uint8Array): number {
  return b.length <= 20 ? classifyIntegerText(b, 0, b.length) : INT_CLASS.STRING;
}

/** Listpack entry bytes (backlen included) of an element. */
export function lpSizeOf(b: Uint8Array): number {
  return lpEntrySize(b.length, intClassOfBytes(b));
}

/** Listpack entry bytes of a zset score as zzlInsertAt writes it. */
export function lpScoreSize(score: number, fpconv: boolean): number {
  const s = scoreEntry(score, fpconv);
  return lpEntrySize(s.len, s.cls);
}
