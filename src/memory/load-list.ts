/**
 * Lists on load (rdbLoadObject, rdb.c): quicklist nodes kept as the dump holds them (ziplist
 * nodes converted to listpacks from 7.0), linked and ziplist lists pushed into a new quicklist,
 * and from 7.2 a quicklist of one small node turned into a bare listpack.
 */
import type { KeyRecord } from '../rdb/records.js';
import type { ServerConfig } from './profiles.js';
import type { Features } from './sizes.js';
import { RDB_TYPE, QUICKLIST_NODE_CONTAINER_PLAIN } from '../rdb/constants.js';
import { clampFill, negFillLimit, pushAll } from './quicklist.js';
import { ENC, Shape } from './shape.js';

export function loadList(rec: KeyRecord, f: Features, cfg: ServerConfig, s: Shape): void {
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
      s.setCompact(f, 'listpack', q.lastBytes, f.malloc(q.lastBytes));
    }
    return;
  }
  // RDB_TYPE_LIST_QUICKLIST (ziplist nodes) and _2 (listpack or plain nodes): nodes kept as they are
  const nodes = rec.facts.nodes ?? [];
  const v1 = t === RDB_TYPE.LIST_QUICKLIST;
  const skipEmpty = f.skipEmptyNodes;
  let kept = 0;
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    if (node.container === QUICKLIST_NODE_CONTAINER_PLAIN || node.entries > 0 || !skipEmpty) kept++;
  }
  // list-compress-depth: every node but `depth` at each end is LZF-compressed as it is appended
  const depth = cfg['list-compress-depth'];
  const compress = depth > 0 && kept > 2 * depth;
  let count = 0;
  let bytes = 0;
  let lastLp = 0;
  let lastEntries = 0;
  let lastData = 0;
  let lastPlain = false;
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    const plain = node.container === QUICKLIST_NODE_CONTAINER_PLAIN;
    if (!plain && node.entries === 0 && skipEmpty) continue;
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
    if (compress && !plain && count >= depth && count < kept - depth) data = compressedNodeData(node.compressedBytes, lp, v1 && f.listpack, data, f);
    count++;
    bytes += f.quicklistNode + data;
    lastLp = lp;
    lastEntries = node.entries;
    lastData = data;
    lastPlain = plain;
  }
  s.quicklistNodeBytes = bytes;
  // mirrors listTypeTryConvertQuicklist (t_list.c, 7.2+): one packed node within the limits
  if (f.listpackLists && count === 1 && !lastPlain && quicklistFitsListpack(fill, lastLp, lastEntries)) {
    s.setCompact(f, 'listpack', lastLp, lastData);
  }
}

/** quicklist.c MIN_COMPRESS_BYTES, MIN_COMPRESS_IMPROVE */
const MIN_COMPRESS_BYTES = 48;
const MIN_COMPRESS_IMPROVE = 8;

/**
 * An interior node after __quicklistCompressNode: an LZF copy when it saves enough. The dump's
 * LZF size of the node is the size lzf_compress gives (same algorithm), but only for the bytes
 * the dump holds: a ziplist node converted to a listpack compresses differently, so it is
 * counted uncompressed. 5.0/6.2 read the LZF header's length as if it were zlbytes; 7.0+ count
 * the quicklistLZF allocation.
 */
function compressedNodeData(compressed: number, size: number, converted: boolean, plainData: number, f: Features): number {
  if (size < MIN_COMPRESS_BYTES || compressed === 0 || converted) return plainData;
  if (compressed + MIN_COMPRESS_IMPROVE >= size) return plainData;
  return f.logicalCompactSizes ? compressed : f.malloc(f.quicklistLzfHeader + compressed);
}

/** mirrors quicklistNodeLimit as used by listTypeTryConvertQuicklist (not shrinking) */
function quicklistFitsListpack(fill: number, bytes: number, count: number): boolean {
  if (fill < 0) return bytes <= negFillLimit(fill);
  return count <= (fill === 0 ? 1 : fill);
}
