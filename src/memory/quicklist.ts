/**
 * Quicklists a load builds by pushing elements one at a time (quicklistPushTail, quicklist.c):
 * linked lists (RDB_TYPE_LIST) and RDB_TYPE_LIST_ZIPLIST values. Node boundaries follow
 * list-max-listpack-size, so the pushes are replayed with each element's encoded size.
 */
import type { ElementStats } from '../rdb/facts.js';
import { lpEntrySize, zlEntrySize } from './compact.js';
import type { Features } from './sizes.js';
import {
  LISTPACK_EMPTY,
  QUICKLIST_OPTIMIZATION_LEVEL,
  QUICKLIST_PACKED_THRESHOLD,
  QUICKLIST_SIZE_ESTIMATE_OVERHEAD,
  QUICKLIST_SIZE_SAFETY_LIMIT,
  ZIPLIST_EMPTY,
} from './sizes.js';

/** What replaying the pushes produced. One instance is reused: read it before the next call. */
export interface PushedQuicklist {
  nodes: number;
  /** sum over nodes of sizeof(quicklistNode) + the node's data as MEMORY USAGE counts it */
  nodeBytes: number;
  /** the last node: its bytes (ziplist/listpack length), entries, and whether it is plain */
  lastBytes: number;
  lastCount: number;
  lastPlain: boolean;
}

const result: PushedQuicklist = { nodes: 0, nodeBytes: 0, lastBytes: 0, lastCount: 0, lastPlain: false };

/** quicklist.c quicklistSetFill clamps fill to [-5, 2^15-1]. */
export function clampFill(fill: number): number {
  return fill < -5 ? -5 : fill > 32767 ? 32767 : fill;
}

/** The byte limit of a node for a negative fill (quicklistNodeNegFillLimit). */
export function negFillLimit(fill: number): number {
  return QUICKLIST_OPTIMIZATION_LEVEL[-fill - 1]!;
}

/** mirrors quicklistNodeExceedsLimit (quicklist.c, 7.0+) */
export function nodeExceedsLimit(fill: number, newSize: number, newCount: number): boolean {
  if (fill < 0) return newSize > negFillLimit(fill);
  if (newSize > QUICKLIST_SIZE_SAFETY_LIMIT) return true;
  return newCount > (fill === 0 ? 1 : fill);
}

/** Replay quicklistPushTail for every element, in order. */
export function pushAll(el: ElementStats, f: Features, fillIn: number): PushedQuicklist {
  const fill = clampFill(fillIn);
  result.nodes = 0;
  result.nodeBytes = 0;
  result.lastBytes = 0;
  result.lastCount = 0;
  result.lastPlain = false;
  const n = Math.min(el.count, el.lengths.length);
  const lengths = el.lengths;
  const classes = el.intClasses;
  if (f.listpack) {
    for (let i = 0; i < n; i++) pushListpack(lengths[i]!, classes[i]!, f, fill);
    if (el.overflow) for (const [len, c] of el.overflow) for (let j = 0; j < c; j++) pushListpack(len, 0, f, fill);
    closeNode(f);
  } else {
    for (let i = 0; i < n; i++) pushZiplist(lengths[i]!, classes[i]!, f, fill);
    if (el.overflow) for (const [len, c] of el.overflow) for (let j = 0; j < c; j++) pushZiplist(len, 0, f, fill);
    closeNode(f);
  }
  return result;
}

/** size of the last ziplist entry pushed (its successor's prevlen depends on it) */
let lastEntry = 0;

// ------------------------------------------------------------------ 7.0+: listpack nodes

function closeNode(f: Features): void {
  if (result.lastCount === 0) return;
  const data = f.logicalCompactSizes ? result.lastBytes : f.malloc(result.lastBytes);
  result.nodeBytes += f.quicklistNode + data;
}

function startNode(f: Features, bytes: number, plain: boolean): void {
  closeNode(f);
  result.nodes++;
  result.lastBytes = bytes;
  result.lastCount = 1;
  result.lastPlain = plain;
}

function pushListpack(len: number, cls: number, f: Features, fill: number): void {
  const large = f.plainLargeElements
    ? len > (fill < 0 ? negFillLimit(fill) : QUICKLIST_SIZE_SAFETY_LIMIT)
    : len >= QUICKLIST_PACKED_THRESHOLD;
  if (large) {
    // __quicklistInsertPlainNode: the element alone, zmalloc(sz)
    startNode(f, len, true);
    return;
  }
  // mirrors _quicklistNodeAllowInsert (quicklist.c, 7.0+)
  if (
    result.lastCount > 0 &&
    !result.lastPlain &&
    !nodeExceedsLimit(fill, result.lastBytes + len + QUICKLIST_SIZE_ESTIMATE_OVERHEAD, result.lastCount + 1)
  ) {
    result.lastBytes += lpEntrySize(len, cls);
    result.lastCount++;
    return;
  }
  startNode(f, LISTPACK_EMPTY + lpEntrySize(len, cls), false);
}

// ------------------------------------------------------------------ 5.0 / 6.2: ziplist nodes

function pushZiplist(len: number, cls: number, f: Features, fill: number): void {
  if (result.lastCount > 0) {
    // mirrors _quicklistNodeAllowInsert (quicklist.c, 5.0/6.2): an overestimate of the entry
    let overhead = len < 254 ? 1 : 5;
    overhead += len < 64 ? 1 : len < 16384 ? 2 : 5;
    const newSize = result.lastBytes + len + overhead;
    let allow: boolean;
    if (fill < 0 && newSize <= negFillLimit(fill)) allow = true;
    else if (newSize > QUICKLIST_SIZE_SAFETY_LIMIT) allow = false;
    else allow = result.lastCount < fill;
    if (allow) {
      const e = zlEntrySize(len, cls, lastEntry);
      result.lastBytes += e;
      result.lastCount++;
      lastEntry = e;
      return;
    }
  }
  const e = zlEntrySize(len, cls, 0);
  startNode(f, ZIPLIST_EMPTY + e, false);
  lastEntry = e;
}
