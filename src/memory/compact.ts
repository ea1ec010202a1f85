/**
 * Entry sizes of the compact encodings Redis builds while loading: listpack (listpack.c
 * lpEncodeGetType / lpEncodeBacklen) and ziplist (ziplist.c zipStoreEntryEncoding /
 * zipStorePrevEntryLength). Elements come as (length as text, INT_CLASS) pairs from the parser.
 */
import { LP_INT_SIZE, ZL_INT_SIZE } from '../rdb/facts.js';
import { lpStringEntrySize, zlStringEntrySize, zlPrevlenSize } from '../rdb/encoded.js';

/** Bytes one element takes in a listpack, backlen included. */
export function lpEntrySize(len: number, cls: number): number {
  return cls !== 0 ? LP_INT_SIZE[cls]! + 1 : lpStringEntrySize(len);
}

/** Bytes one element takes in a ziplist after an entry of `prev` bytes (0: first entry). */
export function zlEntrySize(len: number, cls: number, prev: number): number {
  return zlPrevlenSize(prev) + (cls !== 0 ? ZL_INT_SIZE[cls]! : zlStringEntrySize(len));
}

/** Bytes of a listpack integer entry (backlen included) for an INT_CLASS. */
export function lpIntEntrySize(cls: number): number {
  return LP_INT_SIZE[cls]! + 1;
}
