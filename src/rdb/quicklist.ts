/**
 * The unit reader of quicklists (RDB_TYPE_LIST_QUICKLIST, _QUICKLIST_2; rdbLoadObject, rdb.c):
 * one node per unit, a ziplist (RDB 7-9) or a listpack or plain element (RDB 10+, with its
 * container), walked by ziplist.ts / listpack.ts.
 */
import { QUICKLIST_NODE_CONTAINER_PACKED, QUICKLIST_NODE_CONTAINER_PLAIN, RDB_TYPE } from './constants.js';
import { ALL_ELEMENTS } from './encoded.js';
import { toBuffer } from './blob.js';
import { scanListpack } from './listpack.js';
import type { RdbParser } from './parser.js';
import { RDB_STR_LZF } from './reader.js';
import { scanZiplist } from './ziplist.js';

/** One quicklist node: [container] then a ziplist/listpack (or a plain element). */
export function readQuicklistUnit(p: RdbParser): void {
  const rec = p.cur!;
  if (p.beginCount(1, 'quicklist nodes')) {
    p.nodes = [];
    p.lengthSum = 0;
    if (p.wantValues) p.listValues = [];
    return;
  }
  if (p.remaining === 0) {
    rec.facts.nodes = p.nodes;
    if (p.listValues) rec.value = { type: 'list', value: p.listValues };
    p.finishKey(p.lengthSum);
    return;
  }
  const v2 = rec.rdbType === RDB_TYPE.LIST_QUICKLIST_2;
  let container = QUICKLIST_NODE_CONTAINER_PACKED;
  if (v2) {
    const at = p.offset;
    container = p.readCount();
    if (container !== QUICKLIST_NODE_CONTAINER_PACKED && container !== QUICKLIST_NODE_CONTAINER_PLAIN) {
      throw p.fail('corrupt_value', `quicklist node container ${container} is neither plain (1) nor packed (2)`, at);
    }
  }
  p.readStringHeader();
  if (p.skimming) {
    // a split's tail before its boundary: the node is skipped
    p.skipPayload();
    p.lengthSum = -1;
    p.remaining--;
    return;
  }
  const compressedBytes = p.sKind === RDB_STR_LZF ? p.sClen : 0;
  if (container === QUICKLIST_NODE_CONTAINER_PLAIN) {
    const len = p.sLen;
    if (p.listValues) {
      const v = p.takeString();
      p.listValues.push(v);
      p.stats.addText(v, 0, v.length);
    } else {
      p.stats.add(len, p.measureString());
    }
    p.nodes.push({ container, blobBytes: len, listpackBytes: len, entries: 1, compressedBytes });
    p.lengthSum += 1;
    p.remaining--;
    return;
  }
  const blobAt = p.sAt;
  p.viewString();
  const blob = p.vBuf;
  const bs = p.vStart;
  const be = p.vEnd;
  const scan = p.scan;
  scan.reset(p.listValues !== null);
  try {
    if (v2) scanListpack(blob, bs, be, ALL_ELEMENTS, p.stats, scan);
    else scanZiplist(blob, bs, be, ALL_ELEMENTS, p.stats, scan);
  } catch (e) {
    p.blobError(e, blobAt);
  }
  p.blobDamage(blobAt);
  if (p.listValues && scan.values) for (const x of scan.values) p.listValues.push(toBuffer(x));
  p.nodes.push({ container, blobBytes: be - bs, listpackBytes: scan.listpackBytes, entries: scan.entries, compressedBytes });
  p.lengthSum += scan.entries;
  p.remaining--;
}
