/**
 * Which encoding the server picks when it LOADS a value, and the sizes that decision fixes
 * (table buckets, listpack capacities, quicklist nodes). Mirrors rdbLoadObject (rdb.c) per
 * version, with the *-max-* thresholds of the profile's configuration.
 */
import type { KeyRecord } from '../rdb/records.js';
import type { ElementStats } from '../rdb/facts.js';
import { INTSET_WIDTH, INT_CLASS } from '../rdb/facts.js';
import { RDB_TYPE, QUICKLIST_NODE_CONTAINER_PLAIN } from '../rdb/constants.js';
import type { ServerConfig } from './profiles.js';
import type { Features } from './sizes.js';
import {
  EMBSTR_SIZE_LIMIT,
  INTSET_HEADER,
  LISTPACK_EMPTY,
  LISTPACK_MAX_SAFETY_SIZE,
  QUICKLIST_NODE,
  ZIPLIST_EMPTY,
} from './sizes.js';
import { lpEntrySize, lpIntEntrySize, zlEntrySize } from './compact.js';
import { DictSim, presizedSlots } from './dict.js';
import { clampFill, negFillLimit, pushAll } from './quicklist.js';
import { scoreEntry } from './d2string.js';
import { ENC, Shape } from './shape.js';

const dict = new DictSim();

/** Fill `s` with the shape the value has after loading. Streams and modules are left to the caller. */
export function loadShape(rec: KeyRecord, f: Features, cfg: ServerConfig, s: Shape): Shape {
  s.reset();
  switch (rec.type) {
    case 'string':
      loadString(rec, s);
      break;
    case 'list':
      loadList(rec, f, cfg, s);
      break;
    case 'set':
      loadSet(rec, f, cfg, s);
      break;
    case 'zset':
      loadZset(rec, f, cfg, s);
      break;
    case 'hash':
      loadHash(rec, f, cfg, s);
      break;
    case 'stream':
      s.enc = ENC.STREAM;
      s.encoding = f.streamEncoding;
      break;
    case 'module':
      s.enc = ENC.MODULE;
      s.encoding = 'raw';
      break;
  }
  return s;
}

function setCompact(s: Shape, f: Features, encoding: string, bytes: number, alloc: number): void {
  s.enc = ENC.COMPACT;
  s.encoding = encoding;
  s.compactBytes = bytes;
  s.compactAlloc = alloc;
  if (f.logicalCompactSizes) s.compactAlloc = bytes;
}

function setHashtable(s: Shape, slots: number): void {
  s.enc = ENC.HASHTABLE;
  s.encoding = 'hashtable';
  s.dictSlots = slots;
}

function setSkiplist(s: Shape, slots: number): void {
  s.enc = ENC.SKIPLIST;
  s.encoding = 'skiplist';
  s.dictSlots = slots;
}

// ------------------------------------------------------------------ strings

/** mirrors tryObjectEncoding (object.c) as called by rdbLoadObject */
function loadString(rec: KeyRecord, s: Shape): void {
  s.strLen = rec.length;
  if (rec.facts.integer) {
    s.enc = ENC.INT;
    s.encoding = 'int';
  } else if (rec.length <= EMBSTR_SIZE_LIMIT) {
    s.enc = ENC.EMBSTR;
    s.encoding = 'embstr';
  } else {
    s.enc = ENC.RAW;
    s.encoding = 'raw';
  }
}

// ------------------------------------------------------------------ lists

function loadList(rec: KeyRecord, f: Features, cfg: ServerConfig, s: Shape): void {
  const fill = clampFill(cfg['list-max-listpack-size']);
  const t = rec.rdbType;
  s.enc = ENC.QUICKLIST;
  s.encoding = 'quicklist';
  if (t === RDB_TYPE.LIST || t === RDB_TYPE.LIST_ZIPLIST) {
    // RDB_TYPE_LIST and old ziplist lists are pushed element by element into a new quicklist
    const q = pushAll(rec.facts.elements!, f, fill);
    s.quicklistNodeBytes = q.nodeBytes;
    // 7.2+: listTypeTryConversion after a linked list (the ziplist path keeps the quicklist)
    if (f.listpackLists && t === RDB_TYPE.LIST && q.nodes === 1 && !q.lastPlain && quicklistFitsListpack(fill, q.lastBytes, q.lastCount)) {
      setCompact(s, f, 'listpack', q.lastBytes, f.malloc(q.lastBytes));
    }
    return;
  }
  // RDB_TYPE_LIST_QUICKLIST (ziplist nodes) and _2 (listpack or plain nodes): nodes kept as they are
  const nodes = rec.facts.nodes ?? [];
  const v1 = t === RDB_TYPE.LIST_QUICKLIST;
  let count = 0;
  let bytes = 0;
  let lastLp = 0;
  let lastEntries = 0;
  let lastData = 0;
  let lastPlain = false;
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    const plain = node.container === QUICKLIST_NODE_CONTAINER_PLAIN;
    if (!plain && node.entries === 0 && f.skipEmptyNodes) continue;
    let data: number;
    let lp: number;
    if (plain) {
      lp = node.blobBytes;
      data = f.malloc(node.blobBytes);
    } else if (v1) {
      // 7.0+ converts each ziplist node to a listpack and shrinks it to fit
      lp = f.listpack ? node.listpackBytes : node.blobBytes;
      data = f.logicalCompactSizes ? node.blobBytes : f.malloc(lp);
    } else {
      lp = node.blobBytes;
      data = f.malloc(node.blobBytes);
    }
    count++;
    bytes += QUICKLIST_NODE + data;
    lastLp = lp;
    lastEntries = node.entries;
    lastData = data;
    lastPlain = plain;
  }
  s.quicklistNodeBytes = bytes;
  // mirrors listTypeTryConvertQuicklist (t_list.c, 7.2+): one packed node within the limits
  if (f.listpackLists && count === 1 && !lastPlain && quicklistFitsListpack(fill, lastLp, lastEntries)) {
    setCompact(s, f, 'listpack', lastLp, lastData);
  }
}

/** mirrors quicklistNodeLimit as used by listTypeTryConvertQuicklist (not shrinking) */
function quicklistFitsListpack(fill: number, bytes: number, count: number): boolean {
  if (fill < 0) return bytes <= negFillLimit(fill);
  return count <= (fill === 0 ? 1 : fill);
}

// ------------------------------------------------------------------ sets

function loadSet(rec: KeyRecord, f: Features, cfg: ServerConfig, s: Shape): void {
  const t = rec.rdbType;
  const n = rec.length;
  if (t === RDB_TYPE.SET_INTSET) {
    if (n > cfg['set-max-intset-entries']) {
      // setTypeConvert: dictExpand(intsetLen) then the adds
      setHashtable(s, presizedSlots(n));
      return;
    }
    const bytes = INTSET_HEADER + rec.facts.intsetWidth * n;
    s.enc = ENC.INTSET;
    s.encoding = 'intset';
    s.compactBytes = bytes;
    s.compactAlloc = f.logicalCompactSizes ? bytes : f.malloc(rec.facts.blobBytes || bytes);
    return;
  }
  if (t === RDB_TYPE.SET_LISTPACK) {
    if (n > cfg['set-max-listpack-entries']) setHashtable(s, presizedSlots(n));
    else setCompact(s, f, 'listpack', rec.facts.blobBytes, f.malloc(rec.facts.blobBytes));
    return;
  }
  loadSetElements(rec.facts.elements!, n, f, cfg, s);
}

/** mirrors rdbLoadObject's RDB_TYPE_SET branch (rdb.c): intset, then listpack (7.2+) or hashtable */
function loadSetElements(el: ElementStats, n: number, f: Features, cfg: ServerConfig, s: Shape): void {
  const maxIntset = Math.min(cfg['set-max-intset-entries'], 1 << 30);
  if (n > maxIntset) {
    setHashtable(s, n > 4 ? presizedSlots(n) : 4);
    return;
  }
  const lpEntries = cfg['set-max-listpack-entries'];
  const lpValue = cfg['set-max-listpack-value'];
  const lengths = el.lengths;
  const classes = el.intClasses;
  const m = Math.min(n, lengths.length);
  // intset phase
  let ints = 0;
  let width = 0;
  let intLpBytes = 0;
  let maxIntLpEntry = 0;
  let maxelelen = 0;
  let sumelelen = 0;
  let i = 0;
  for (; i < m; i++) {
    const len = lengths[i]!;
    const cls = classes[i]!;
    if (len > maxelelen) maxelelen = len;
    sumelelen += len;
    if (cls === INT_CLASS.STRING) break;
    ints++;
    const w = INTSET_WIDTH[cls]!;
    if (w > width) width = w;
    const e = lpIntEntrySize(cls);
    intLpBytes += e;
    if (e > maxIntLpEntry) maxIntLpEntry = e;
  }
  if (i === m) {
    const bytes = INTSET_HEADER + width * ints;
    s.enc = ENC.INTSET;
    s.encoding = 'intset';
    s.compactBytes = bytes;
    s.compactAlloc = f.logicalCompactSizes ? bytes : f.malloc(bytes);
    return;
  }
  // element i is the first non-integer
  if (f.listpackSets && ints < lpEntries && maxelelen <= lpValue && sumelelen <= LISTPACK_MAX_SAFETY_SIZE) {
    // setTypeConvert(o, OBJ_ENCODING_LISTPACK): lpNew(estimate) then the integers
    const estcap = ints > 0 ? LISTPACK_EMPTY + maxIntLpEntry * ints : 0;
    let lpBytes = LISTPACK_EMPTY + intLpBytes;
    let lpAlloc = f.malloc(Math.max(estcap, LISTPACK_EMPTY));
    let size = ints;
    for (; i < m; i++) {
      const len = lengths[i]!;
      if (size < lpEntries && len <= lpValue && lpBytes + len <= LISTPACK_MAX_SAFETY_SIZE) {
        lpBytes += lpEntrySize(len, classes[i]!);
        if (lpBytes > lpAlloc) lpAlloc = f.malloc(lpBytes);
        size++;
        continue;
      }
      // setTypeConvertAndExpand(o, OBJ_ENCODING_HT, len): pre-sized for the whole set
      setHashtable(s, presizedSlots(n));
      return;
    }
    setCompact(s, f, 'listpack', lpBytes, lpAlloc);
    return;
  }
  const d = dict.reset(f);
  if (f.listpackSets) {
    // 7.2+: setTypeConvertAndExpand(o, OBJ_ENCODING_HT, len)
    d.expand(n);
    d.addMany(n);
  } else {
    // setTypeConvert: dictExpand(intsetLen) and the integers, then dictExpand(len), then the rest
    d.expand(ints);
    d.addMany(ints);
    d.expand(n);
    d.addMany(n - ints);
  }
  setHashtable(s, d.slots());
}

// ------------------------------------------------------------------ sorted sets

function loadZset(rec: KeyRecord, f: Features, cfg: ServerConfig, s: Shape): void {
  const t = rec.rdbType;
  const n = rec.length;
  const maxEntries = cfg['zset-max-listpack-entries'];
  if (t === RDB_TYPE.ZSET || t === RDB_TYPE.ZSET_2) {
    const el = rec.facts.elements!;
    // "Convert *after* loading, since sorted sets are not stored ordered."
    if (n <= maxEntries && el.maxLength <= cfg['zset-max-listpack-value'] && el.totalLength <= LISTPACK_MAX_SAFETY_SIZE) {
      zsetToCompact(el, f, s);
    } else {
      setSkiplist(s, n > 4 ? presizedSlots(n) : 4);
    }
    return;
  }
  if (n > maxEntries) {
    // zsetConvert to a skiplist: pre-sized from 7.2 (zsetConvertAndExpand), grown before
    setSkiplist(s, convertedDictSlots(n, f, f.listpackSets));
    return;
  }
  if (t === RDB_TYPE.ZSET_ZIPLIST) {
    if (f.listpack) setCompact(s, f, 'listpack', rec.facts.listpackBytes, f.malloc(rec.facts.listpackBytes));
    else setCompact(s, f, 'ziplist', rec.facts.blobBytes, rec.facts.blobBytes);
  } else {
    setCompact(s, f, 'listpack', rec.facts.blobBytes, f.malloc(rec.facts.blobBytes));
  }
}

/** zsetConvert(o, ENCODING_LISTPACK/ZIPLIST): member, score appended in rank order */
function zsetToCompact(el: ElementStats, f: Features, s: Shape): void {
  const m = Math.min(el.count, el.lengths.length);
  const lengths = el.lengths;
  const classes = el.intClasses;
  const scores = el.scores;
  const haveScores = el.scoreCount >= m;
  if (f.listpack) {
    let bytes = LISTPACK_EMPTY;
    for (let i = 0; i < m; i++) {
      bytes += lpEntrySize(lengths[i]!, classes[i]!);
      const sc = scoreEntry(haveScores ? scores[i]! : 0, f.fpconvScores);
      bytes += lpEntrySize(sc.len, sc.cls);
    }
    setCompact(s, f, 'listpack', bytes, f.malloc(bytes));
    return;
  }
  let bytes = ZIPLIST_EMPTY;
  let prev = 0;
  for (let i = 0; i < m; i++) {
    prev = zlEntrySize(lengths[i]!, classes[i]!, prev);
    bytes += prev;
    const sc = scoreEntry(haveScores ? scores[i]! : 0, false);
    prev = zlEntrySize(sc.len, sc.cls, prev);
    bytes += prev;
  }
  setCompact(s, f, 'ziplist', bytes, bytes);
}

/** buckets of a dict filled by a conversion: pre-sized, or grown from empty one insert at a time */
function convertedDictSlots(n: number, f: Features, presized: boolean): number {
  const d = dict.reset(f);
  if (presized) d.expand(n);
  d.addMany(n);
  return d.slots();
}

// ------------------------------------------------------------------ hashes

function loadHash(rec: KeyRecord, f: Features, cfg: ServerConfig, s: Shape): void {
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
        setHashtable(s, convertedDictSlots(n, f, presize));
      } else if (f.listpack) {
        setCompact(s, f, 'listpack', rec.facts.listpackBytes, f.malloc(rec.facts.listpackBytes));
      } else {
        const bytes = ziplistBytesOf(el);
        setCompact(s, f, 'ziplist', bytes, bytes);
      }
      return;
    }
    case RDB_TYPE.HASH_ZIPLIST:
      if (n > maxEntries) setHashtable(s, convertedDictSlots(n, f, presize));
      else if (f.listpack) setCompact(s, f, 'listpack', rec.facts.listpackBytes, f.malloc(rec.facts.listpackBytes));
      else setCompact(s, f, 'ziplist', rec.facts.blobBytes, rec.facts.blobBytes);
      return;
    case RDB_TYPE.HASH_LISTPACK:
      if (n > maxEntries) setHashtable(s, convertedDictSlots(n, f, presize));
      else setCompact(s, f, 'listpack', rec.facts.blobBytes, f.malloc(rec.facts.blobBytes));
      return;
    case RDB_TYPE.HASH_LISTPACK_EX:
    case RDB_TYPE.HASH_LISTPACK_EX_PRE_GA:
      if (n > maxEntries) {
        setHashtable(s, convertedDictSlots(n, f, presize));
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
    setHashtable(s, d.slots());
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
      setHashtable(s, d.slots());
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
  if (f.listpack) setCompact(s, f, 'listpack', lpBytes, f.malloc(lpBytes));
  else setCompact(s, f, 'ziplist', zlBytes, zlBytes);
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
    setHashtable(s, d.slots());
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
      setHashtable(s, d.slots());
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
