/**
 * Sets on load (rdbLoadObject, rdb.c): intsets and listpacks kept, hashtables pre-sized, and
 * RDB_TYPE_SET members re-added one by one into an intset, a listpack (7.2+) or a hashtable.
 */
import type { KeyRecord } from '../rdb/records.js';
import type { ServerConfig } from './profiles.js';
import type { Features } from './sizes.js';
import type { ElementStats } from '../rdb/facts.js';
import { INTSET_WIDTH, INT_CLASS } from '../rdb/facts.js';
import { RDB_TYPE } from '../rdb/constants.js';
import { INTSET_HEADER, LISTPACK_EMPTY, LISTPACK_MAX_SAFETY_SIZE } from './sizes.js';
import { lpEntrySize, lpIntEntrySize } from './compact.js';
import { Dict, presizedSlots } from './dict.js';
import { ENC, Shape } from './shape.js';

const dict = new Dict();

export function loadSet(rec: KeyRecord, f: Features, cfg: ServerConfig, s: Shape): void {
  const t = rec.rdbType;
  const n = rec.length;
  if (t === RDB_TYPE.SET_INTSET) {
    if (n > cfg['set-max-intset-entries']) {
      // setTypeConvert: dictExpand(intsetLen) then the adds
      s.setHashtable(presizedSlots(n));
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
    if (n > cfg['set-max-listpack-entries']) s.setHashtable(presizedSlots(n));
    else s.setCompact(f, 'listpack', rec.facts.blobBytes, f.malloc(rec.facts.blobBytes));
    return;
  }
  loadSetElements(rec.facts.elements!, n, f, cfg, s);
}

/** mirrors rdbLoadObject's RDB_TYPE_SET branch (rdb.c): intset, then listpack (7.2+) or hashtable */
function loadSetElements(el: ElementStats, n: number, f: Features, cfg: ServerConfig, s: Shape): void {
  const maxIntset = Math.min(cfg['set-max-intset-entries'], 1 << 30);
  if (n > maxIntset) {
    s.setHashtable(n > 4 ? presizedSlots(n) : 4);
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
      s.setHashtable(presizedSlots(n));
      return;
    }
    s.setCompact(f, 'listpack', lpBytes, lpAlloc);
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
  s.setHashtable(d.expectedSlots());
}
