/**
 * A live stream's memory (t_stream.c streamAppendItem / streamTrim, object.c, 7.0): the node
 * listpacks entry by entry, the rax of nodes, and the stream struct. A new node's listpack is
 * created with room for stream-node-max-bytes (at most 4096) and shrunk to fit when the next
 * node starts; loaded nodes are allocated at their size.
 */
import type { Features } from '../sizes.js';
import { ROBJ } from '../sizes.js';
import { lpEntrySize } from '../compact.js';
import { decimalLength, intClassOf } from '../../rdb/facts.js';
import { raxNodeCount } from '../rax.js';
import { streamRaxMemoryUsage } from '../stream.js';
import { lpSizeOf } from './listpack.js';

/** STREAM_LISTPACK_MAX_PRE_ALLOCATE (t_stream.c) */
const STREAM_LISTPACK_MAX_PRE_ALLOCATE = 4096;
/** STREAM_LISTPACK_MAX_SIZE (t_stream.c) */
const STREAM_LISTPACK_MAX_SIZE = 1 << 30;
const LP_HDR_SIZE = 6;

/** Listpack bytes of an integer entry. */
export function lpIntSize(v: number): number {
  return lpEntrySize(decimalLength(v), intClassOf(v));
}

export interface StreamNodeModel {
  masterMs: number;
  masterSeq: number;
  /** the master entry's field names */
  masterFields: Buffer[];
  /** live entries and entries marked deleted */
  live: number;
  deleted: number;
  bytes: number;
  /** zmalloc_size of the listpack */
  alloc: number;
  /** still has its preallocated room (the node being appended to) */
  open: boolean;
  /** ID of the last entry appended to the node (live or deleted); -1 when loaded */
  lastMs?: number;
  lastSeq?: number;
}

export class StreamMemory {
  nodes: StreamNodeModel[] = [];
  /** sum of alloc over nodes */
  private lpSum = 0;
  private raxNodes = 1;
  /** consumer groups' share, constant here (groups are read from dumps, not written) */
  groupsBytes = 0;

  constructor(
    private readonly f: Features,
    private readonly nodeMaxBytes: number,
    private readonly nodeMaxEntries: number,
  ) {}

  get payload(): number {
    const v = this.f.version;
    const structSize = v < 602 ? 0 : v < 700 ? 40 : 80;
    // streamObjectSize includes sizeof(robj); payload excludes it
    return structSize + streamRaxMemoryUsage(this.nodes.length, this.raxNodes) + this.lpSum + this.groupsBytes;
  }

  get radixTreeNodes(): number {
    return this.raxNodes;
  }

  private malloc(n: number): number {
    return this.f.version < 602 ? n : this.f.malloc(n);
  }

  private recountRax(): void {
    const keys = Buffer.alloc(this.nodes.length * 16);
    for (let i = 0; i < this.nodes.length; i++) {
      const n = this.nodes[i]!;
      writeU64BE(keys, i * 16, n.masterMs);
      writeU64BE(keys, i * 16 + 8, n.masterSeq);
    }
    this.raxNodes = raxNodeCount(keys);
  }

  /** A node as loaded from a dump (allocated at its size), with its master entry's field names and deleted count. */
  addLoadedNode(masterMs: number, masterSeq: number, masterFields: Buffer[], live: number, bytes: number, deleted = 0): void {
    const alloc = this.malloc(bytes);
    this.nodes.push({ masterMs, masterSeq, masterFields, live, deleted, bytes, alloc, open: false });
    this.lpSum += alloc;
  }

  finishLoad(): void {
    this.recountRax();
  }

  /** streamAppendItem: one entry with `fields` = field, value, field, value ... */
  append(ms: number, seq: number, fields: Buffer[]): void {
    const numfields = fields.length / 2;
    let totelelen = 0;
    for (const e of fields) totelelen += e.length;
    let node: StreamNodeModel | undefined = this.nodes[this.nodes.length - 1];
    if (node) {
      let maxBytes = this.nodeMaxBytes;
      if (maxBytes === 0 || maxBytes > STREAM_LISTPACK_MAX_SIZE) maxBytes = STREAM_LISTPACK_MAX_SIZE;
      let full = node.bytes + totelelen >= maxBytes;
      if (!full && this.nodeMaxEntries && node.live + node.deleted >= this.nodeMaxEntries) full = true;
      if (full) {
        // lpShrinkToFit
        this.setAlloc(node, this.malloc(node.bytes));
        node.open = false;
        node = undefined;
      }
    }
    let same = false;
    if (!node) {
      let prealloc = STREAM_LISTPACK_MAX_PRE_ALLOCATE;
      if (this.nodeMaxBytes > 0 && this.nodeMaxBytes < prealloc) prealloc = this.nodeMaxBytes;
      const masterFields: Buffer[] = [];
      for (let i = 0; i < numfields; i++) masterFields.push(Buffer.from(fields[i * 2]!));
      let bytes = LP_HDR_SIZE + 1 + lpIntSize(0) + lpIntSize(0) + lpIntSize(numfields) + lpIntSize(0);
      for (const mf of masterFields) bytes += lpSizeOf(mf);
      node = { masterMs: ms, masterSeq: seq, masterFields, live: 0, deleted: 0, bytes, alloc: 0, open: true };
      this.nodes.push(node);
      this.setAlloc(node, this.malloc(Math.max(prealloc, LP_HDR_SIZE + 1)));
      this.grow(node);
      same = true;
      this.recountRax();
    } else if (numfields === node.masterFields.length) {
      same = true;
      for (let i = 0; i < numfields; i++) {
        if (!node.masterFields[i]!.equals(fields[i * 2]!)) {
          same = false;
          break;
        }
      }
    }
    // the master count: live + 1 (same size below 128 entries)
    node.bytes += lpIntSize(node.live + 1) - lpIntSize(node.live);
    node.live++;
    let add = lpIntSize(same ? 2 : 0) + lpIntSize(ms - node.masterMs) + lpIntSize(seq - node.masterSeq);
    if (!same) add += lpIntSize(numfields);
    for (let i = 0; i < numfields; i++) {
      if (!same) add += lpSizeOf(fields[i * 2]!);
      add += lpSizeOf(fields[i * 2 + 1]!);
    }
    add += lpIntSize(same ? numfields + 3 : numfields * 2 + 4);
    node.bytes += add;
    node.lastMs = ms;
    node.lastSeq = seq;
    this.grow(node);
  }

  /** lpInsert reallocs only past the allocation */
  private grow(node: StreamNodeModel): void {
    if (node.bytes > node.alloc) this.setAlloc(node, this.malloc(node.bytes));
  }

  private setAlloc(node: StreamNodeModel, alloc: number): void {
    this.lpSum += alloc - node.alloc;
    node.alloc = alloc;
  }

  /** lpReplaceInteger of a master count: lpInsert reallocs when the listpack grows past its allocation or shrinks */
  private resize(node: StreamNodeModel, bytes: number): void {
    if ((bytes > node.bytes && bytes > node.alloc) || bytes < node.bytes) this.setAlloc(node, this.malloc(bytes));
    node.bytes = bytes;
  }

  /** The master entry's live and deleted counts after `k` entries of node i were marked deleted. */
  markDeleted(i: number, k: number): void {
    const node = this.nodes[i]!;
    if (k === 0) return;
    this.resize(node, node.bytes + lpIntSize(node.live - k) - lpIntSize(node.live));
    node.live -= k;
    this.resize(node, node.bytes + lpIntSize(node.deleted + k) - lpIntSize(node.deleted));
    node.deleted += k;
  }

  /** Free node i (raxRemove + lpFree). */
  removeNode(i: number): void {
    const node = this.nodes[i]!;
    this.lpSum -= node.alloc;
    this.nodes.splice(i, 1);
    this.recountRax();
  }

  /** streamIteratorRemoveEntry of one entry of node i: the whole node goes with its last live entry */
  deleteEntry(i: number): void {
    const node = this.nodes[i]!;
    if (node.live === 1) this.removeNode(i);
    else this.markDeleted(i, 1);
  }

  /** A copy (streamDup: each node's listpack allocated at its size). */
  copyFrom(o: StreamMemory): void {
    this.nodes = o.nodes.map((n) => ({ ...n, masterFields: n.masterFields, alloc: this.malloc(n.bytes), open: false }));
    this.lpSum = 0;
    for (const n of this.nodes) this.lpSum += n.alloc;
    this.raxNodes = o.raxNodes;
    this.groupsBytes = o.groupsBytes;
  }

  clear(): void {
    this.nodes = [];
    this.lpSum = 0;
    this.raxNodes = 1;
  }

  /** ROBJ is counted by the key part */
  static readonly ROBJ = ROBJ;
}

/** a stream ID part as rax keys store it (streamEncodeID: big-endian 64 bits) */
export function writeU64BE(b: Buffer, off: number, v: number): void {
  if (v < 0) {
    // an ID part of 2^63 or more, held as the int64 of its bits (src/engine/types/stream.ts)
    b.writeBigInt64BE(BigInt(v), off);
    return;
  }
  const hi = Math.floor(v / 0x100000000);
  b.writeUInt32BE(hi >>> 0, off);
  b.writeUInt32BE(v >>> 0, off + 4);
}
