/**
 * Sorted sets on load (rdbLoadObject, rdb.c): skiplists converted to a listpack/ziplist after
 * loading when small enough (scores written as zzlInsertAt writes them), compact ones kept or
 * converted to a skiplist past zset-max-listpack-entries.
 */
import type { KeyRecord } from '../rdb/records.js';
import type { ServerConfig } from './profiles.js';
import type { Features } from './sizes.js';
import type { ElementStats } from '../rdb/facts.js';
import { RDB_TYPE } from '../rdb/constants.js';
import { LISTPACK_EMPTY, LISTPACK_MAX_SAFETY_SIZE, ZIPLIST_EMPTY } from './sizes.js';
import { lpEntrySize, zlEntrySize } from './compact.js';
import { convertedDictSlots, presizedSlots } from './dict.js';
import { scoreEntry } from './d2string.js';
import type { Shape } from './shape.js';

export function loadZset(rec: KeyRecord, f: Features, cfg: ServerConfig, s: Shape): void {
  const t = rec.rdbType;
  const n = rec.length;
  const maxEntries = cfg['zset-max-listpack-entries'];
  if (t === RDB_TYPE.ZSET || t === RDB_TYPE.ZSET_2) {
    const el = rec.facts.elements!;
    // "Convert *after* loading, since sorted sets are not stored ordered."
    if (n <= maxEntries && el.maxLength <= cfg['zset-max-listpack-value'] && el.totalLength <= LISTPACK_MAX_SAFETY_SIZE) {
      zsetToCompact(el, f, s);
    } else {
      s.setSkiplist(n > 4 ? presizedSlots(n) : 4);
    }
    return;
  }
  if (n > maxEntries) {
    // zsetConvert to a skiplist: pre-sized from 7.2 (zsetConvertAndExpand), grown before
    s.setSkiplist(convertedDictSlots(n, f, f.listpackSets));
    return;
  }
  if (t === RDB_TYPE.ZSET_ZIPLIST) {
    if (f.listpack) s.setCompact(f, 'listpack', rec.facts.listpackBytes, f.malloc(rec.facts.listpackBytes));
    else s.setCompact(f, 'ziplist', rec.facts.blobBytes, rec.facts.blobBytes);
  } else {
    s.setCompact(f, 'listpack', rec.facts.blobBytes, f.malloc(rec.facts.blobBytes));
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
    s.setCompact(f, 'listpack', bytes, f.malloc(bytes));
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
  s.setCompact(f, 'ziplist', bytes, bytes);
}
