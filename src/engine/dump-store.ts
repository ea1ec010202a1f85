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

/**
 * A dump held in memory as the chunks it arrived in (a replication stream's RDB: nothing is
 * written to disk). Offsets are the RDB's own, from its first byte.
 */
export class MemoryDump {
  private readonly chunks: Buffer[] = [];
  /** start offset of each chunk */
  private readonly starts: number[] = [];
  size = 0;

  constructor(readonly name: string) {}

  append(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.starts.push(this.size);
    this.chunks.push(chunk);
    this.size += chunk.length;
  }

  /** Copy up to `len` bytes from `at` into `dst`; returns how many. */
  readInto(dst: Buffer, len: number, at: number): number {
    if (at >= this.size) return 0;
    // the chunk holding `at`: binary search over the starts
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    let n = 0;
    for (let i = lo; i < this.chunks.length && n < len; i++) {
      const c = this.chunks[i]!;
      const from = i === lo ? at - this.starts[i]! : 0;
      n += c.copy(dst, n, from, Math.min(c.length, from + len - n));
    }
    return n;
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
