/**
 * A live list's memory (quicklist.c, t_list.c): the nodes pushes and pops leave, each with its
 * listpack bytes and entry count, tracked at both ends in O(1) per element. Node boundaries
 * follow _quicklistNodeAllowInsert with list-max-listpack-size; elements too large for a node
 * get a plain node. From 7.2 a small list is a bare listpack, converted to a quicklist when it
 * outgrows the node limits and back when a single node shrinks below half of them.
 */
import type { Features } from '../sizes.js';
import { LISTPACK_EMPTY, QUICKLIST, QUICKLIST_PACKED_THRESHOLD, QUICKLIST_SIZE_ESTIMATE_OVERHEAD, QUICKLIST_SIZE_SAFETY_LIMIT } from '../sizes.js';
import { clampFill, negFillLimit, nodeExceedsLimit } from '../quicklist.js';

export class LiveQuicklist {
  /** per node, head first: entry count, listpack bytes (plain: element bytes), plain flag */
  cnt: number[] = [];
  bytes: number[] = [];
  plain: boolean[] = [];
  /** sum over nodes of sizeof(quicklistNode) + zmalloc_size(node data) */
  private nodeSum = 0;
  /** 7.2+: the whole list is one listpack (OBJ_ENCODING_LISTPACK) */
  listpack = false;
  readonly fill: number;

  constructor(private readonly f: Features, fill: number) {
    this.fill = clampFill(fill);
    this.listpack = f.listpackLists;
  }

  get encoding(): string {
    return this.listpack ? 'listpack' : 'quicklist';
  }

  get nodes(): number {
    return this.cnt.length;
  }

  /** objectComputeSize minus sizeof(robj) */
  get payload(): number {
    if (this.listpack) return this.data(this.cnt.length ? this.bytes[0]! : LISTPACK_EMPTY, false);
    return QUICKLIST + this.nodeSum;
  }

  private data(bytes: number, plain: boolean): number {
    return plain || !this.f.logicalCompactSizes ? this.f.malloc(bytes) : bytes;
  }

  private nodeCost(i: number): number {
    return this.f.quicklistNode + this.data(this.bytes[i]!, this.plain[i]!);
  }

  private isLarge(len: number): boolean {
    if (this.f.plainLargeElements) return len > (this.fill < 0 ? negFillLimit(this.fill) : QUICKLIST_SIZE_SAFETY_LIMIT);
    return len >= QUICKLIST_PACKED_THRESHOLD;
  }

  /** _quicklistNodeAllowInsert for node i and an element of `len` bytes */
  private allowInsert(i: number, len: number): boolean {
    if (i < 0 || i >= this.cnt.length || this.plain[i] || this.isLarge(len)) return false;
    return !nodeExceedsLimit(this.fill, this.bytes[i]! + len + QUICKLIST_SIZE_ESTIMATE_OVERHEAD, this.cnt[i]! + 1);
  }

  /**
   * listTypeTryConversionAppend (7.2+): before a push of `count` elements totalling `len`
   * bytes, a listpack that would pass the node limits becomes a quicklist of one node.
   */
  beforePush(count: number, len: number): void {
    if (!this.listpack) return;
    const bytes = this.cnt.length ? this.bytes[0]! : LISTPACK_EMPTY;
    const n = this.cnt.length ? this.cnt[0]! : 0;
    if (nodeExceedsLimit(this.fill, bytes + len, n + count) || (len > 0 && this.isLarge(len))) {
      this.listpack = false;
      this.nodeSum = this.cnt.length ? this.nodeCost(0) : 0;
    }
  }

  /** Push one element (its byte length and listpack entry size) at the head or the tail. */
  push(tail: boolean, len: number, entry: number): void {
    if (this.listpack) {
      if (this.cnt.length === 0) {
        this.cnt.push(1);
        this.bytes.push(LISTPACK_EMPTY + entry);
        this.plain.push(false);
      } else {
        this.cnt[0]!++;
        this.bytes[0]! += entry;
      }
      return;
    }
    const i = tail ? this.cnt.length - 1 : 0;
    if (this.isLarge(len)) {
      this.addNode(tail, 1, len, true);
      return;
    }
    if (this.allowInsert(i, len)) {
      this.nodeSum -= this.nodeCost(i);
      this.cnt[i]!++;
      this.bytes[i]! += entry;
      this.nodeSum += this.nodeCost(i);
      return;
    }
    this.addNode(tail, 1, LISTPACK_EMPTY + entry, false);
  }

  private addNode(tail: boolean, cnt: number, bytes: number, plain: boolean): void {
    if (tail) {
      this.cnt.push(cnt);
      this.bytes.push(bytes);
      this.plain.push(plain);
    } else {
      this.cnt.unshift(cnt);
      this.bytes.unshift(bytes);
      this.plain.unshift(plain);
    }
    this.nodeSum += this.f.quicklistNode + this.data(bytes, plain);
  }

  /** Remove one element (its listpack entry size) from the head or the tail. */
  pop(tail: boolean, entry: number): void {
    const i = tail ? this.cnt.length - 1 : 0;
    if (i < 0) return;
    if (!this.listpack) this.nodeSum -= this.nodeCost(i);
    if (--this.cnt[i]! === 0) {
      if (tail) {
        this.cnt.pop();
        this.bytes.pop();
        this.plain.pop();
      } else {
        this.cnt.shift();
        this.bytes.shift();
        this.plain.shift();
      }
      return;
    }
    this.bytes[i]! -= entry;
    if (!this.listpack) this.nodeSum += this.nodeCost(i);
  }

  /** listTypeTryConvertQuicklist (7.2+) after elements were removed */
  afterShrink(): void {
    if (this.listpack || !this.f.listpackLists || this.cnt.length > 1) return;
    if (this.cnt.length === 1) {
      if (this.plain[0]) return;
      const fill = this.fill;
      const sizeLimit = fill < 0 ? negFillLimit(fill) / 2 : QUICKLIST_SIZE_SAFETY_LIMIT / 2;
      const countLimit = fill < 0 ? Infinity : Math.max(1, fill) / 2;
      if (this.bytes[0]! > sizeLimit || this.cnt[0]! > countLimit) return;
    }
    this.listpack = true;
    this.nodeSum = 0;
  }

  /** the nodes of a loaded value, head first; `listpack` when the server holds it as one */
  load(nodes: readonly { entries: number; bytes: number; plain: boolean }[], listpack: boolean): void {
    this.clear();
    this.listpack = listpack;
    for (const n of nodes) {
      if (n.entries === 0) continue;
      if (listpack) {
        this.cnt.push(n.entries);
        this.bytes.push(n.bytes);
        this.plain.push(false);
      } else this.addNode(true, n.entries, n.bytes, n.plain);
    }
  }

  clear(): void {
    this.cnt = [];
    this.bytes = [];
    this.plain = [];
    this.nodeSum = 0;
    this.listpack = this.f.listpackLists;
  }
}
