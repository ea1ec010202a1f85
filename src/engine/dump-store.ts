/**
 * Values of dump keys, read back by offset on demand: a synchronous readKeyAt (the server runs
 * a command to completion, like Redis, so a value is read while the command runs) and a small
 * LRU of decoded values bounded by their modelled size.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { RdbParser } from '../rdb/parser.js';
import { RdbError } from '../rdb/errors.js';
import type { KeyRecord } from '../rdb/records.js';

const CHUNK = 1 << 18;

/** bytes per piece of a MemoryDump: the unit it gives back */
const PIECE = 1 << 20;

/**
 * A dump held in memory (a replication stream's RDB: nothing is written to disk), copied into
 * pieces of PIECE bytes as it arrives. Offsets are the RDB's own, from its first byte.
 *
 * Once the keys are loaded, `track` counts for each piece the key records that lie on it (a
 * record runs from its offset to the next record's); `release` is called when a key stops
 * referring to its record (deleted, overwritten, flushed, or its value materialised in memory),
 * and a piece no record lies on any more is dropped. So FLUSHALL, or every db flushed, or every
 * key overwritten, gives back the whole dump, and deleting a range of keys gives back the
 * pieces only they used. A record's bytes stay until its key lets go of them.
 */
export class MemoryDump {
  private readonly pieces: (Buffer | null)[] = [];
  size = 0;
  /** bytes of pieces still held */
  heldBytes = 0;
  /** per piece: the records lying on it, once tracked */
  private refs: Int32Array | null = null;
  /** record offset -> its last piece, for records that run past their first piece */
  private readonly spans = new Map<number, number>();

  constructor(readonly name: string) {}

  append(chunk: Buffer): void {
    if (this.refs) throw new Error(`${this.name}: bytes appended after the keys were tracked`);
    let from = 0;
    while (from < chunk.length) {
      const at = this.size % PIECE;
      if (at === 0) {
        this.pieces.push(Buffer.allocUnsafe(PIECE));
        this.heldBytes += PIECE;
      }
      const n = chunk.copy(this.pieces[this.pieces.length - 1]!, at, from);
      from += n;
      this.size += n;
    }
  }

  /** Copy up to `len` bytes from `at` into `dst`; returns how many (stopping at a released piece). */
  readInto(dst: Buffer, len: number, at: number): number {
    let n = 0;
    while (n < len && at + n < this.size) {
      const pos = at + n;
      const piece = this.pieces[Math.floor(pos / PIECE)];
      if (!piece) break;
      const from = pos % PIECE;
      n += piece.copy(dst, n, from, Math.min(PIECE, from + len - n, from + this.size - pos));
    }
    return n;
  }

  /**
   * Count the records that refer to the pieces: `offsets` are the start offsets of the key
   * records still loaded, in any order. The last piece is trimmed to the dump's end; pieces no
   * record lies on (those of keys dropped at load) go at once.
   */
  track(offsets: Float64Array): void {
    const sorted = offsets.slice().sort();
    const refs = new Int32Array(this.pieces.length);
    for (let i = 0; i < sorted.length; i++) {
      const from = sorted[i]!;
      const last = Math.max(from, (i + 1 < sorted.length ? sorted[i + 1]! : this.size) - 1);
      const p0 = Math.floor(from / PIECE);
      const p1 = Math.floor(last / PIECE);
      for (let p = p0; p <= p1; p++) refs[p]!++;
      if (p1 > p0) this.spans.set(from, p1);
    }
    this.refs = refs;
    const tail = this.pieces.length - 1;
    const tailLen = this.size - tail * PIECE;
    if (tail >= 0 && tailLen < PIECE) {
      this.pieces[tail] = Buffer.from(this.pieces[tail]!.subarray(0, tailLen));
      this.heldBytes -= PIECE - tailLen;
    }
    for (let p = 0; p < refs.length; p++) if (refs[p] === 0) this.drop(p);
  }

  /** The key whose record starts at `offset` no longer refers to it. */
  release(offset: number): void {
    const refs = this.refs;
    if (!refs) return;
    const p0 = Math.floor(offset / PIECE);
    const p1 = this.spans.get(offset) ?? p0;
    this.spans.delete(offset);
    for (let p = p0; p <= p1; p++) {
      if (refs[p]! <= 0) throw new Error(`${this.name}: the record at byte ${offset} was released twice (piece ${p})`);
      if (--refs[p]! === 0) this.drop(p);
    }
  }

  private drop(p: number): void {
    const piece = this.pieces[p];
    if (!piece) return;
    this.heldBytes -= piece.length;
    this.pieces[p] = null;
  }

  /** Give back every piece. */
  clear(): void {
    for (let p = 0; p < this.pieces.length; p++) this.drop(p);
    this.refs ??= new Int32Array(this.pieces.length);
  }
}

interface OpenDump {
  path: string;
  /** a file descriptor, or the bytes in memory */
  fd: number;
  mem: MemoryDump | null;
  size: number;
  version: number;
  valkey: boolean;
}

export class DumpStore {
  private readonly dumps: OpenDump[] = [];
  private readonly chunk = Buffer.allocUnsafe(CHUNK);

  constructor(files: readonly (string | MemoryDump)[]) {
    for (const src of files) {
      const head = Buffer.alloc(9);
      if (typeof src === 'string') {
        const fd = openSync(src, 'r');
        readSync(fd, head, 0, 9, 0);
        this.dumps.push({ path: src, fd, mem: null, size: fstatSync(fd).size, ...format(head) });
      } else {
        src.readInto(head, 9, 0);
        this.dumps.push({ path: src.name, fd: -1, mem: src, size: src.size, ...format(head) });
      }
    }
  }

  /**
   * Start counting which parts of the in-memory dumps the keys refer to (MemoryDump.track):
   * `offsets(file)` gives the record offsets of the keys loaded from dump `file`.
   */
  track(offsets: (file: number) => Float64Array): void {
    for (const [i, d] of this.dumps.entries()) d.mem?.track(offsets(i));
  }

  /** The key whose record starts at `offset` of dump `file` no longer refers to it. */
  release(file: number, offset: number): void {
    this.dumps[file]?.mem?.release(offset);
  }

  /** bytes of the in-memory dumps still held (files are read from disk: 0) */
  get heldBytes(): number {
    let n = 0;
    for (const d of this.dumps) if (d.mem) n += d.mem.heldBytes;
    return n;
  }

  /** The key record at `offset` of dump `file`, with its value (readKeyAt, synchronously). */
  read(file: number, offset: number, db: number): KeyRecord {
    const d = this.dumps[file];
    if (!d) throw new Error(`no dump #${file}`);
    let found: KeyRecord | null = null;
    const parser = new RdbParser({
      values: true,
      file: d.path,
      totalSize: d.size,
      resume: { offset, version: d.version, valkey: d.valkey, db },
      onRecord: (r) => {
        if (r.kind === 'key') found = r;
      },
    });
    let at = offset;
    while (!parser.done && at < d.size) {
      const n = d.mem ? d.mem.readInto(this.chunk, CHUNK, at) : readSync(d.fd, this.chunk, 0, CHUNK, at);
      if (n === 0) break;
      at += n;
      parser.write(Buffer.from(this.chunk.subarray(0, n)));
    }
    if (!parser.done) parser.end();
    if (found === null) throw new RdbError('corrupt_value', `no key record at byte ${offset}`, { file: d.path, offset });
    return found;
  }

  close(): void {
    for (const d of this.dumps) {
      d.mem?.clear();
      if (d.fd < 0) continue;
      try {
        closeSync(d.fd);
      } catch {
        // already closed
      }
    }
    this.dumps.length = 0;
  }
}

/** The format named by a dump's first 9 bytes ("REDIS0011", "VALKEY080"). */
function format(head: Buffer): { version: number; valkey: boolean } {
  const valkey = head.toString('latin1', 0, 6) === 'VALKEY';
  const version = valkey ? Number(head.toString('latin1', 6, 9)) : Number(head.toString('latin1', 5, 9));
  return { version, valkey };
}

/** A least-recently-used map bounded by the sum of its entries' weights. */
export class WeightedLru<K, V> {
  private readonly map = new Map<K, { v: V; w: number }>();
  private used = 0;

  constructor(readonly maxWeight: number) {}

  get(k: K): V | undefined {
    const e = this.map.get(k);
    if (!e) return undefined;
    this.map.delete(k);
    this.map.set(k, e);
    return e.v;
  }

  set(k: K, v: V, w: number): void {
    this.delete(k);
    if (w > this.maxWeight) return;
    this.map.set(k, { v, w });
    this.used += w;
    while (this.used > this.maxWeight) {
      const first = this.map.keys().next();
      if (first.done) break;
      this.delete(first.value);
    }
  }

  delete(k: K): V | undefined {
    const e = this.map.get(k);
    if (!e) return undefined;
    this.map.delete(k);
    this.used -= e.w;
    return e.v;
  }

  get weight(): number {
    return this.used;
  }

  get size(): number {
    return this.map.size;
  }

  clear(): void {
    this.map.clear();
    this.used = 0;
  }
}
