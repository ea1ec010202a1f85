/**
 * Hashes on load (rdbLoadObject, rdb.c): listpacks (ziplists up to 6.2) kept or built pair by
 * pair until a field or value is too long, zipmaps converted, hashtables pre-sized or grown by a
 * half-way conversion, and 7.4 hashes with field TTLs (listpackex, mstr fields).
 */
import type { KeyRecord } from '../rdb/records.js';
import type { ServerConfig } from './profiles.js';
import type { Features } from './sizes.js';
import type { ElementStats } from '../rdb/facts.js';
import { INT_CLASS } from '../rdb/facts.js';
import { RDB_TYPE } from '../rdb/constants.js';
import { LISTPACK_EMPTY, LISTPACK_MAX_SAFETY_SIZE, ZIPLIST_EMPTY } from './sizes.js';
import { lpEntrySize, lpIntEntrySize, zlEntrySize } from './compact.js';
import { convertedDictSlots, Dict } from './dict.js';
import { ENC, Shape } from './shape.js';

const dict = new Dict();

export function loadHash(rec: KeyRecord, f: Features, cfg: ServerConfig, s: Shape): void {
  const t = rec.rdbType;
  const n = rec.length;
  const maxEntries = cfg['hash-max-listpack-entries'];
  const maxValue = cfg['hash-max-listpack-value'];
  // hashTypeConvertListpack pre-sizes the dict from 7.0; 5.0/6.2 grow it
  const presize = f.listpack;
  switch (t) {
    case RDB_TYPE.HASH:
      loadHashPairs(rec.facts.elements!, n, f, maxEntries, maxValue, s);
      return;
    case RDB_TYPE.HASH_ZIPMAP: {
      const el = rec.facts.elements!;
      if (n > maxEntries || el.maxLength > maxValue) {
        s.setHashtable(convertedDictSlots(n, f, presize));
      } else if (f.listpack) {
        s.setCompact(f, 'listpack', rec.facts.listpackBytes, f.malloc(rec.facts.listpackBytes));
      } else {
        const bytes = ziplistBytesOf(el);
        s.setCompact(f, 'ziplist', bytes, bytes);
      }
      return;
    }
    case RDB_TYPE.HASH_ZIPLIST:
      if (n > maxEntries) s.setHashtable(convertedDictSlots(n, f, presize));
      else if (f.listpack) s.setCompact(f, 'listpack', rec.facts.listpackBytes, f.malloc(rec.facts.listpackBytes));
      else s.setCompact(f, 'ziplist', rec.facts.blobBytes, rec.facts.blobBytes);
      return;
    case RDB_TYPE.HASH_LISTPACK:
      if (n > maxEntries) s.setHashtable(convertedDictSlots(n, f, presize));
      else s.setCompact(f, 'listpack', rec.facts.blobBytes, f.malloc(rec.facts.blobBytes));
      return;
    case RDB_TYPE.HASH_LISTPACK_EX:
    case RDB_TYPE.HASH_LISTPACK_EX_PRE_GA:
      if (n > maxEntries) {
        s.setHashtable(convertedDictSlots(n, f, presize));
      } else {
        s.enc = ENC.LISTPACK_EX;
        s.encoding = 'listpackex';
        s.compactBytes = rec.facts.blobBytes;
        s.compactAlloc = f.malloc(rec.facts.blobBytes);
      }
      return;
    default:
      // RDB_TYPE_HASH_METADATA (and its pre-GA form, Valkey 9's HASH_2): fields with TTLs
      loadHashWithTtl(rec, f, maxEntries, maxValue, s);
  }
}

/** ziplist bytes of field, value, ... pushed in order (5.0/6.2 zipmap conversion) */
function ziplistBytesOf(el: ElementStats): number {
  const m = Math.min(el.count, el.lengths.length);
  let bytes = ZIPLIST_EMPTY;
  let prev = 0;
  for (let i = 0; i < m; i++) {
    prev = zlEntrySize(el.lengths[i]!, el.intClasses[i]!, prev);
    bytes += prev;
  }
  return bytes;
}

/** mirrors rdbLoadObject's RDB_TYPE_HASH branch: listpack until a field or value is too long */
function loadHashPairs(el: ElementStats, n: number, f: Features, maxEntries: number, maxValue: number, s: Shape): void {
  if (n > maxEntries) {
    // hashTypeConvert of an empty object, then dictExpand(len)
    const d = dict.reset(f);
    if (f.listpack) d.expand(0);
    if (n > 4) d.expand(n);
    d.addMany(n);
    s.setHashtable(d.expectedSlots());
    return;
  }
  const lengths = el.lengths;
  const classes = el.intClasses;
  const m = Math.min(n, lengths.length >> 1);
  let lpBytes = LISTPACK_EMPTY;
  let zlBytes = ZIPLIST_EMPTY;
  let prev = 0;
  for (let k = 0; k < m; k++) {
    const fl = lengths[2 * k]!;
    const vl = lengths[2 * k + 1]!;
    if (fl > maxValue || vl > maxValue || lpBytes + fl + vl > LISTPACK_MAX_SAFETY_SIZE) {
      // hashTypeConvert with the k pairs so far, the current pair, then dictExpand(remaining)
      const d = dict.reset(f);
      if (f.listpack) d.expand(k);
      d.addMany(k + 1);
      const remaining = n - k - 1;
      if (remaining > 4) d.expand(remaining);
      d.addMany(remaining);
      s.setHashtable(d.expectedSlots());
      return;
    }
    const fc = classes[2 * k]!;
    const vc = classes[2 * k + 1]!;
    lpBytes += lpEntrySize(fl, fc) + lpEntrySize(vl, vc);
    prev = zlEntrySize(fl, fc, prev);
    zlBytes += prev;
    prev = zlEntrySize(vl, vc, prev);
    zlBytes += prev;
  }
  if (f.listpack) s.setCompact(f, 'listpack', lpBytes, f.malloc(lpBytes));
  else s.setCompact(f, 'ziplist', zlBytes, zlBytes);
}

/** listpackex entry for a field's TTL: the absolute ms time (an int64) or 0 for none */
const TTL_ENTRY = lpIntEntrySize(INT_CLASS.INT64);
const NO_TTL_ENTRY = lpIntEntrySize(INT_CLASS.IMM);

/** mirrors rdbLoadObject's RDB_TYPE_HASH_METADATA branch (rdb.c, 7.4) */
function loadHashWithTtl(rec: KeyRecord, f: Features, maxEntries: number, maxValue: number, s: Shape): void {
  const n = rec.length;
  const el = rec.facts.elements!;
  if (!f.hashFieldTtl) {
    // servers without field TTLs cannot load these; price them as a plain hash
    loadHashPairs(el, n, f, maxEntries, maxValue, s);
    return;
  }
  if (n > maxEntries) {
    // hashTypeConvert of an empty object (dictExpand(0)), then every field inserted: no pre-size
    const d = dict.reset(f);
    d.expand(0);
    d.addMany(n);
    s.setHashtable(d.expectedSlots());
    return;
  }
  const withTtl = rec.facts.fieldTtl?.fieldsWithTtl ?? 0;
  const lengths = el.lengths;
  const classes = el.intClasses;
  const m = Math.min(n, lengths.length >> 1);
  let lpBytes = LISTPACK_EMPTY;
  for (let k = 0; k < m; k++) {
    const fl = lengths[2 * k]!;
    const vl = lengths[2 * k + 1]!;
    if (fl > maxValue || vl > maxValue) {
      // hashTypeConvert (pre-sized to the k fields), dictExpand(remaining), then the rest
      const d = dict.reset(f);
      d.expand(k);
      d.addMany(k);
      const remaining = n - k - 1;
      if (remaining > 4) d.expand(remaining);
      d.addMany(remaining + 1);
      s.setHashtable(d.expectedSlots());
      return;
    }
    lpBytes += lpEntrySize(fl, classes[2 * k]!) + lpEntrySize(vl, classes[2 * k + 1]!);
  }
  lpBytes += withTtl * TTL_ENTRY + (n - withTtl) * NO_TTL_ENTRY;
  s.enc = ENC.LISTPACK_EX;
  s.encoding = 'listpackex';
  s.compactBytes = lpBytes;
  s.compactAlloc = f.malloc(lpBytes);
}
