/**
 * The unit reader of the values stored as one encoded string (rdbLoadObject, rdb.c): ziplist
 * lists, hashes and zsets, listpack sets, hashes (with TTLs too) and zsets, intsets and zipmaps.
 * The string is walked by ziplist.ts, listpack.ts, intset.ts or zipmap.ts; values mode turns the
 * entries into the record's value.
 */
import { RDB_TYPE, type ValueType } from './constants.js';
import { ALL_ELEMENTS, BlobScan, decimalBuffer, FIELD_VALUE, FIELD_VALUE_TTL, MEMBER_SCORE, type EncodedValue, type EntryLayout } from './encoded.js';
import { parseScore } from './elements.js';
import { scanIntset } from './intset.js';
import { scanListpack } from './listpack.js';
import type { RdbParser } from './parser.js';
import type { HashEntry, Value, ZsetEntry } from './records.js';
import { scanZiplist } from './ziplist.js';
import { scanZipmap } from './zipmap.js';

/** A value stored as one encoded string: ziplist, listpack, intset or zipmap. */
export function readBlobValue(p: RdbParser): void {
  const rec = p.cur!;
  p.readStringHeader();
  if (p.skimming) {
    // a split's tail before its boundary: only the key counts (length -1: not taken as empty)
    p.skipPayload();
    p.finishKey(-1);
    return;
  }
  p.viewString();
  const blob = p.vBuf;
  const bs = p.vStart;
  const be = p.vEnd;
  const facts = rec.facts;
  facts.blobBytes = be - bs;
  const scan = p.scan;
  scan.reset(p.wantValues);
  const t = rec.rdbType;
  const stats = p.stats;
  if (layoutOf(t).stride === 2) p.checkFields();
  try {
    switch (t) {
      case RDB_TYPE.LIST_ZIPLIST:
        scanZiplist(blob, bs, be, ALL_ELEMENTS, stats, scan);
        break;
      case RDB_TYPE.ZSET_ZIPLIST:
        scanZiplist(blob, bs, be, MEMBER_SCORE, stats, scan);
        break;
      case RDB_TYPE.HASH_ZIPLIST:
        scanZiplist(blob, bs, be, FIELD_VALUE, stats, scan);
        break;
      case RDB_TYPE.SET_LISTPACK:
        scanListpack(blob, bs, be, ALL_ELEMENTS, stats, scan);
        break;
      case RDB_TYPE.ZSET_LISTPACK:
        scanListpack(blob, bs, be, MEMBER_SCORE, stats, scan);
        break;
      case RDB_TYPE.HASH_LISTPACK:
        scanListpack(blob, bs, be, FIELD_VALUE, stats, scan);
        break;
      case RDB_TYPE.HASH_LISTPACK_EX:
      case RDB_TYPE.HASH_LISTPACK_EX_PRE_GA:
        scanListpack(blob, bs, be, FIELD_VALUE_TTL, stats, scan);
        break;
      case RDB_TYPE.SET_INTSET:
        facts.intsetWidth = scanIntset(blob, bs, be, stats, scan);
        break;
      case RDB_TYPE.HASH_ZIPMAP:
        scanZipmap(blob, bs, be, stats, scan);
        break;
    }
  } catch (e) {
    p.blobError(e, p.sAt);
  }
  p.blobDamage(p.sAt);
  facts.listpackBytes = scan.listpackBytes;
  facts.ziplistBytes = scan.ziplistBytes;
  const layout = layoutOf(t);
  if (scan.entries % layout.stride !== 0) {
    throw p.fail('corrupt_value', `${rec.encoding} holds ${scan.entries} entries, not a multiple of ${layout.stride}`, p.sAt);
  }
  const length = scan.entries / layout.stride;
  if (layout === FIELD_VALUE_TTL) {
    // every third entry is a TTL (0: none); summary mode walks the blob again for them
    let entries = scan.values;
    if (entries === null) {
      const all = new BlobScan();
      all.reset(true);
      scanListpack(blob, bs, be, FIELD_VALUE_TTL, null, all);
      entries = all.values!;
    }
    let withTtl = 0;
    let lowest = -1;
    for (let i = 2; i < entries.length; i += 3) {
      const ttl = Number(entries[i]);
      stats.addPairTtl(ttl > 0);
      if (ttl > 0) {
        withTtl++;
        if (lowest < 0 || ttl < lowest) lowest = ttl;
      }
    }
    facts.fieldTtl = { fieldsWithTtl: withTtl, minExpireAt: lowest };
  }
  if (scan.values) rec.value = blobValue(rec.type, layout, scan.values);
  p.finishKey(length);
}

function layoutOf(t: number): EntryLayout {
  switch (t) {
    case RDB_TYPE.ZSET_ZIPLIST:
    case RDB_TYPE.ZSET_LISTPACK:
      return MEMBER_SCORE;
    case RDB_TYPE.HASH_ZIPLIST:
    case RDB_TYPE.HASH_LISTPACK:
    case RDB_TYPE.HASH_ZIPMAP:
      return FIELD_VALUE;
    case RDB_TYPE.HASH_LISTPACK_EX:
    case RDB_TYPE.HASH_LISTPACK_EX_PRE_GA:
      return FIELD_VALUE_TTL;
    default:
      return ALL_ELEMENTS;
  }
}

export function toBuffer(v: EncodedValue): Buffer {
  return Buffer.isBuffer(v) ? v : decimalBuffer(v);
}

function toScore(v: EncodedValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return parseScore(v.toString('latin1'));
}

function blobValue(type: ValueType, layout: EntryLayout, values: EncodedValue[]): Value {
  switch (type) {
    case 'list':
      return { type: 'list', value: values.map(toBuffer) };
    case 'set':
      return { type: 'set', value: values.map(toBuffer) };
    case 'zset': {
      const out: ZsetEntry[] = [];
      for (let i = 0; i + 1 < values.length; i += 2) out.push([toBuffer(values[i]!), toScore(values[i + 1]!)]);
      return { type: 'zset', value: out };
    }
    default: {
      const out: HashEntry[] = [];
      const s = layout.stride;
      for (let i = 0; i + s - 1 < values.length; i += s) {
        const ttl = s === 3 ? Number(values[i + 2]) : 0;
        out.push({ field: toBuffer(values[i]!), value: toBuffer(values[i + 1]!), expireAt: ttl > 0 ? ttl : -1 });
      }
      return { type: 'hash', value: out };
    }
  }
}
