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

interface OpenDump {
  path: string;
  fd: number;
  size: number;
  version: number;
  valkey: boolean;
}

export class DumpStore {
  private readonly dumps: OpenDump[] = [];
  private readonly chunk = Buffer.allocUnsafe(CHUNK);

  constructor(files: readonly string[]) {
    for (const path of files) {
      const fd = openSync(path, 'r');
      const size = fstatSync(fd).size;
      const head = Buffer.alloc(9);
      readSync(fd, head, 0, 9, 0);
      const valkey = head.toString('latin1', 0, 6) === 'VALKEY';
      const version = valkey ? Number(head.toString('latin1', 6, 9)) : Number(head.toString('latin1', 5, 9));
      this.dumps.push({ path, fd, size, version, valkey });
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
      const n = readSync(d.fd, this.chunk, 0, CHUNK, at);
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
      try {
        closeSync(d.fd);
      } catch {
        // already closed
      }
    }
    this.dumps.length = 0;
  }
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
