/**
 * What objectComputeSize (object.c) returns for a loaded value, with SAMPLES 0 (every element
 * visited, so the "average times count" is the exact sum). sizeof(robj) is reported apart as
 * the object part; `payload` is everything else.
 */
import type { KeyRecord } from '../rdb/records.js';
import type { ElementStats } from '../rdb/facts.js';
import { sdsSize, hfieldSize } from './sds.js';
import type { Features } from './sizes.js';
import {
  DICT_ENTRY,
  DICT_ENTRY_NO_VALUE,
  LISTPACK_EX,
  POINTER,
  QUICKLIST,
  ROBJ,
  SDSHDR8,
  ZSET,
  ZSKIPLIST,
} from './sizes.js';
import { expectedNodeSize, headerNodeSize } from './skiplist.js';
import { ENC, Shape } from './shape.js';

/** objectComputeSize minus sizeof(robj), for every encoding but streams and modules. */
export function payloadSize(rec: KeyRecord, s: Shape, f: Features): number {
  switch (s.enc) {
    case ENC.INT:
      return 0;
    case ENC.EMBSTR:
      // 5.0/6.2: sdslen + 2 + sizeof(robj); 7.0+: zmalloc_size of robj + sdshdr8 + string + '\0'
      return f.logicalCompactSizes ? s.strLen + 2 : f.malloc(ROBJ + SDSHDR8 + s.strLen + 1) - ROBJ;
    case ENC.RAW:
      return sdsSize(s.strLen, f);
    case ENC.QUICKLIST:
      return QUICKLIST + s.quicklistNodeBytes;
    case ENC.COMPACT:
    case ENC.INTSET:
      return s.compactAlloc;
    case ENC.LISTPACK_EX:
      return f.malloc(LISTPACK_EX) + s.compactAlloc;
    case ENC.HASHTABLE:
      return f.dictStruct + POINTER * s.dictSlots + (rec.type === 'hash' ? hashEntries(rec, f) : setEntries(rec.facts.elements!, s, f));
    case ENC.SKIPLIST:
      return ZSET + ZSKIPLIST + f.dictStruct + POINTER * s.dictSlots + headerNodeSize(f) + skiplistEntries(rec.facts.elements!, f);
    default:
      return 0;
  }
}

/** Sum of sdsSize over every element (lengths of the elements array, then the overflow). */
function sumSds(el: ElementStats, f: Features, from: number, step: number): number {
  const m = Math.min(el.count, el.lengths.length);
  const lengths = el.lengths;
  let sum = 0;
  let last = -1;
  let lastSize = 0;
  for (let i = from; i < m; i += step) {
    const len = lengths[i]!;
    // runs of equal lengths are common: skip the size lookup
    if (len !== last) {
      last = len;
      lastSize = sdsSize(len, f);
    }
    sum += lastSize;
  }
  if (el.overflow) {
    const share = step === 1 ? 1 : 1 / step;
    for (const [len, c] of el.overflow) sum += sdsSize(len, f) * c * share;
  }
  return sum;
}

/** set hashtable: one entry + one sds per member */
function setEntries(el: ElementStats, s: Shape, f: Features): number {
  const n = el.count;
  let entries: number;
  if (f.setNoValueEntries) {
    // Valkey 8.0: a lone key sits in its bucket; every other key of a bucket has a 16-byte
    // dictEntryNoValue. Expected non-empty buckets for n keys hashed into the table.
    const buckets = s.dictSlots;
    const nonEmpty = buckets * (1 - (1 - 1 / buckets) ** n);
    entries = (n - nonEmpty) * DICT_ENTRY_NO_VALUE;
  } else {
    entries = n * DICT_ENTRY;
  }
  return entries + sumSds(el, f, 0, 1);
}

/** hash hashtable: entry + field + value per pair; 7.4+ fields are mstr, with TTL metadata */
function hashEntries(rec: KeyRecord, f: Features): number {
  const el = rec.facts.elements!;
  const pairs = rec.length;
  let fields: number;
  if (f.hashFieldTtl) {
    fields = sumHfields(el, rec.facts.fieldTtl?.fieldsWithTtl ?? 0, pairs, f);
  } else {
    fields = sumSds(el, f, 0, 2);
  }
  return pairs * DICT_ENTRY + fields + sumSds(el, f, 1, 2);
}

/**
 * Fields as hfields, each with TTL metadata when it has a TTL (the parser's per-pair flags;
 * beyond them, in proportion to the count of fields with a TTL).
 */
function sumHfields(el: ElementStats, withTtl: number, pairs: number, f: Features): number {
  const m = Math.min(el.count, el.lengths.length);
  const share = pairs > 0 ? withTtl / pairs : 0;
  const flags = el.pairTtl;
  const flagged = el.pairTtlCount;
  let sum = 0;
  for (let i = 0; i < m; i += 2) {
    const len = el.lengths[i]!;
    const pair = i >> 1;
    if (pair < flagged && pair < flags.length) {
      sum += hfieldSize(len, flags[pair] === 1, f);
      continue;
    }
    const plain = hfieldSize(len, false, f);
    sum += share === 0 ? plain : plain + share * (hfieldSize(len, true, f) - plain);
  }
  if (el.overflow) for (const [len, c] of el.overflow) sum += (hfieldSize(len, false, f) * c) / 2;
  return sum;
}

/** skiplist: per member its sds, its dict entry and its node (expected size over random levels) */
function skiplistEntries(el: ElementStats, f: Features): number {
  const n = el.count;
  return sumSds(el, f, 0, 1) + n * (DICT_ENTRY + expectedNodeSize(f));
}
