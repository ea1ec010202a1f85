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

/** the `- 11` of _quicklistNodeAllowMerge's merge_sz up to 7.0 */
const MERGE_ESTIMATE_OVERHEAD_OLD = 11;

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

  // ------------------------------------------------------------ middle of the list
  // (quicklistDelIndex, quicklistReplaceEntry, _quicklistInsert, _quicklistSplitNode,
  // _quicklistMergeNodes). `size(k)` is the listpack entry size of the k-th element of the
  // list as it is before the operation.

  /** the node holding element `index` and the element's offset in it */
  locate(index: number): { node: number; offset: number } {
    let acc = 0;
    for (let i = 0; i < this.cnt.length; i++) {
      if (acc + this.cnt[i]! > index) return { node: i, offset: index - acc };
      acc += this.cnt[i]!;
    }
    return { node: this.cnt.length - 1, offset: index - acc };
  }

  /** index of the first element of node i */
  private startOf(i: number): number {
    let acc = 0;
    for (let k = 0; k < i; k++) acc += this.cnt[k]!;
    return acc;
  }

  private setNode(i: number, cnt: number, bytes: number): void {
    if (!this.listpack) this.nodeSum -= this.nodeCost(i);
    this.cnt[i] = cnt;
    this.bytes[i] = bytes;
    if (!this.listpack) this.nodeSum += this.nodeCost(i);
  }

  private insertNodeAt(at: number, cnt: number, bytes: number, plain: boolean): void {
    this.cnt.splice(at, 0, cnt);
    this.bytes.splice(at, 0, bytes);
    this.plain.splice(at, 0, plain);
    this.nodeSum += this.f.quicklistNode + this.data(bytes, plain);
  }

  private deleteNode(i: number): void {
    if (!this.listpack) this.nodeSum -= this.nodeCost(i);
    this.cnt.splice(i, 1);
    this.bytes.splice(i, 1);
    this.plain.splice(i, 1);
  }

  /** quicklistDelIndex of element `index` (entry bytes `entry`) */
  removeAt(index: number, entry: number): void {
    const { node: i } = this.locate(index);
    if (i < 0) return;
    if (this.plain[i] || this.cnt[i] === 1) {
      if (this.listpack) {
        this.cnt = [];
        this.bytes = [];
        this.plain = [];
      } else this.deleteNode(i);
      return;
    }
    this.setNode(i, this.cnt[i]! - 1, this.bytes[i]! - entry);
  }

  /** _quicklistSplitNode: node i split at `offset`; returns the new node's count and bytes */
  private split(i: number, offset: number, after: boolean, size: (k: number) => number): { cnt: number; bytes: number } {
    const s = this.startOf(i);
    const n = this.cnt[i]!;
    // after: node keeps [0, offset], new gets (offset, n); before: new gets [0, offset), node keeps the rest
    const keepFrom = after ? 0 : offset;
    const keepTo = after ? offset + 1 : n;
    let keep = LISTPACK_EMPTY;
    for (let k = keepFrom; k < keepTo; k++) keep += size(s + k);
    const moved = this.bytes[i]! - keep + LISTPACK_EMPTY;
    this.setNode(i, keepTo - keepFrom, keep);
    return { cnt: n - (keepTo - keepFrom), bytes: moved };
  }

  /**
   * _quicklistNodeAllowMerge. Up to 7.0 the merged size is estimated as `a->sz + b->sz - 11`
   * (a ziplist's header and end byte, kept when nodes became listpacks, whose are 7 bytes):
   * two nodes whose real merge is up to 4 bytes over the limit still merge. 7.2 subtracts 7.
   */
  private allowMerge(a: number, b: number): boolean {
    if (a < 0 || b < 0 || a >= this.cnt.length || b >= this.cnt.length) return false;
    if (this.plain[a] || this.plain[b]) return false;
    const estimate = this.f.listpackLists ? LISTPACK_EMPTY : MERGE_ESTIMATE_OVERHEAD_OLD;
    return !nodeExceedsLimit(this.fill, this.bytes[a]! + this.bytes[b]! - estimate, this.cnt[a]! + this.cnt[b]!);
  }

  /** _quicklistListpackMerge of a and a + 1 into a */
  private merge(a: number): void {
    const cnt = this.cnt[a]! + this.cnt[a + 1]!;
    const bytes = this.bytes[a]! + this.bytes[a + 1]! - LISTPACK_EMPTY;
    this.deleteNode(a + 1);
    this.setNode(a, cnt, bytes);
  }

  /** _quicklistMergeNodes around node c */
  private mergeAround(c: number): void {
    if (this.allowMerge(c - 1, c - 2)) {
      this.merge(c - 2);
      c--;
    }
    if (this.allowMerge(c + 1, c + 2)) this.merge(c + 1);
    let target = c;
    if (this.allowMerge(c, c - 1)) {
      this.merge(c - 1);
      target = c - 1;
    }
    if (this.allowMerge(target, target + 1)) this.merge(target);
  }

  /**
   * _quicklistInsert of an element (`len` bytes, entry bytes `entry`) before or after
   * element `index`.
   */
  insertAt(index: number, after: boolean, len: number, entry: number, size: (k: number) => number): void {
    if (this.listpack) {
      this.setNode(0, this.cnt[0]! + 1, this.bytes[0]! + entry);
      return;
    }
    const { node: i, offset } = this.locate(index);
    this.insertInNode(i, offset, after, len, entry, size);
  }

  private insertInNode(i: number, offset: number, after: boolean, len: number, entry: number, size: (k: number) => number): void {
    const full = !this.allowInsert(i, len);
    const atTail = after && offset === this.cnt[i]! - 1;
    const atHead = !after && offset === 0;
    const availNext = atTail && this.allowInsert(i + 1, len);
    const availPrev = atHead && this.allowInsert(i - 1, len);
    if (this.isLarge(len)) {
      if (this.plain[i] || atTail || atHead) {
        this.insertNodeAt(after ? i + 1 : i, 1, len, true);
      } else {
        const nn = this.split(i, offset, after, size);
        if (after) {
          this.insertNodeAt(i + 1, 1, len, true);
          this.insertNodeAt(i + 2, nn.cnt, nn.bytes, false);
        } else {
          this.insertNodeAt(i, 1, len, true);
          this.insertNodeAt(i, nn.cnt, nn.bytes, false);
        }
      }
      return;
    }
    if (!full) this.setNode(i, this.cnt[i]! + 1, this.bytes[i]! + entry);
    else if (atTail && availNext) this.setNode(i + 1, this.cnt[i + 1]! + 1, this.bytes[i + 1]! + entry);
    else if (atHead && availPrev) this.setNode(i - 1, this.cnt[i - 1]! + 1, this.bytes[i - 1]! + entry);
    else if (atTail || atHead) this.insertNodeAt(after ? i + 1 : i, 1, LISTPACK_EMPTY + entry, false);
    else {
      const nn = this.split(i, offset, after, size);
      if (after) {
        this.insertNodeAt(i + 1, nn.cnt + 1, nn.bytes + entry, false);
        this.mergeAround(i);
      } else {
        this.insertNodeAt(i, nn.cnt + 1, nn.bytes + entry, false);
        this.mergeAround(i + 1);
      }
    }
  }

  /** quicklistReplaceEntry of element `index` (old entry bytes `oldEntry`) by an element of `len` bytes */
  replaceAt(index: number, oldEntry: number, len: number, entry: number, size: (k: number) => number): void {
    if (this.listpack) {
      this.setNode(0, this.cnt[0]!, this.bytes[0]! - oldEntry + entry);
      return;
    }
    const { node: i, offset } = this.locate(index);
    if (!this.plain[i] && !this.isLarge(len)) {
      this.setNode(i, this.cnt[i]!, this.bytes[i]! - oldEntry + entry);
    } else if (this.plain[i]) {
      if (this.isLarge(len)) this.setNode(i, 1, len);
      else {
        this.insertInNode(i, 0, true, len, entry, size);
        this.deleteNode(i);
      }
    } else {
      this.insertInNode(i, offset, true, len, entry, size);
      // the replaced element is now the last of node i
      if (this.cnt[i] === 1) this.deleteNode(i);
      else this.setNode(i, this.cnt[i]! - 1, this.bytes[i]! - oldEntry);
    }
  }

  /** a copy (quicklistDup: every node's listpack copied at its size) */
  copyFrom(o: LiveQuicklist): void {
    this.cnt = [...o.cnt];
    this.bytes = [...o.bytes];
    this.plain = [...o.plain];
    this.nodeSum = o.nodeSum;
    this.listpack = o.listpack;
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
