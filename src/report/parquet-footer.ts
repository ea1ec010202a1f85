/**
 * Parquet footers (the FileMetaData struct, Thrift compact protocol) read and written back, and
 * several Parquet files of one schema joined into one by their bytes.
 *
 * `rdblens csv --format parquet` writes each part of its output (each half of a dump read by two
 * threads, each dump of a run) as its own Parquet file, on its own DuckDB thread, and then joins
 * them: the parts' row groups are copied after one another unchanged (a row group's pages hold no
 * absolute file offsets), and one footer lists them all, with every offset into the file moved by
 * where its part's bytes now start. Re-encoding the rows (DuckDB reading the parts back) would
 * cost as much as writing them.
 *
 * The Thrift structs are kept generic (field id, wire type, value), so fields this code does not
 * know are written back as they were read; only the offsets below are touched. Names follow
 * parquet.thrift.
 */

/** Compact-protocol wire types. */
const enum T {
  STOP = 0,
  TRUE = 1,
  FALSE = 2,
  BYTE = 3,
  I16 = 4,
  I32 = 5,
  I64 = 6,
  DOUBLE = 7,
  BINARY = 8,
  LIST = 9,
  SET = 10,
  MAP = 11,
  STRUCT = 12,
}

export type ThriftValue = boolean | number | bigint | Buffer | ThriftStruct | ThriftList;

export interface ThriftField {
  id: number;
  type: number;
  value: ThriftValue;
}

export interface ThriftStruct {
  fields: ThriftField[];
}

export interface ThriftList {
  /** LIST or SET */
  kind: number;
  elem: number;
  items: ThriftValue[];
}

export class ParquetFooterError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'ParquetFooterError';
  }
}

class Reader {
  pos = 0;
  constructor(
    private readonly buf: Buffer,
    private readonly file: string,
  ) {}

  fail(reason: string): never {
    throw new ParquetFooterError(this.file, `footer byte ${this.pos}: ${reason}`);
  }

  byte(): number {
    if (this.pos >= this.buf.length) this.fail('ends inside a value');
    return this.buf[this.pos++]!;
  }

  varint(): bigint {
    let v = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const b = this.byte();
      v |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return v;
    }
    return this.fail('a varint longer than 10 bytes');
  }

  zigzag(): bigint {
    const v = this.varint();
    return (v >> 1n) ^ -(v & 1n);
  }

  value(type: number, depth: number): ThriftValue {
    if (depth > 64) this.fail('nested more than 64 deep');
    switch (type) {
      case T.TRUE:
        return true;
      case T.FALSE:
        return false;
      case T.BYTE: {
        const b = this.byte();
        return b > 127 ? b - 256 : b;
      }
      case T.I16:
      case T.I32:
        return Number(this.zigzag());
      case T.I64:
        return this.zigzag();
      case T.DOUBLE: {
        if (this.pos + 8 > this.buf.length) this.fail('ends inside a double');
        const d = this.buf.readDoubleLE(this.pos);
        this.pos += 8;
        return d;
      }
      case T.BINARY: {
        const n = Number(this.varint());
        if (this.pos + n > this.buf.length) this.fail(`a ${n}-byte string past the end`);
        const b = Buffer.from(this.buf.subarray(this.pos, this.pos + n));
        this.pos += n;
        return b;
      }
      case T.LIST:
      case T.SET: {
        const h = this.byte();
        let n = h >> 4;
        if (n === 15) n = Number(this.varint());
        const elem = h & 0x0f;
        if (n > this.buf.length - this.pos + 1) this.fail(`a list of ${n} items in ${this.buf.length - this.pos} bytes`);
        const items: ThriftValue[] = [];
        for (let i = 0; i < n; i++) items.push(elem === T.TRUE || elem === T.FALSE ? this.byte() === T.TRUE : this.value(elem, depth + 1));
        return { kind: type, elem, items };
      }
      case T.STRUCT:
        return this.struct(depth + 1);
      default:
        return this.fail(`wire type ${type} (maps are not in Parquet footers)`);
    }
  }

  struct(depth = 0): ThriftStruct {
    const fields: ThriftField[] = [];
    let last = 0;
    for (;;) {
      const h = this.byte();
      const type = h & 0x0f;
      if (type === T.STOP) return { fields };
      const delta = h >> 4;
      const id = delta === 0 ? Number(this.zigzag()) : last + delta;
      fields.push({ id, type, value: this.value(type, depth) });
      last = id;
    }
  }
}

class Writer {
  private buf = Buffer.alloc(1 << 16);
  private pos = 0;

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.alloc(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  byte(b: number): void {
    this.room(1);
    this.buf[this.pos++] = b & 0xff;
  }

  varint(v: bigint): void {
    do {
      const b = Number(v & 0x7fn);
      v >>= 7n;
      this.byte(v === 0n ? b : b | 0x80);
    } while (v !== 0n);
  }

  zigzag(v: bigint): void {
    this.varint(BigInt.asUintN(64, (v << 1n) ^ (v >> 63n)));
  }

  value(type: number, v: ThriftValue): void {
    switch (type) {
      case T.TRUE:
      case T.FALSE:
        return;
      case T.BYTE:
        return this.byte(v as number);
      case T.I16:
      case T.I32:
        return this.zigzag(BigInt(v as number));
      case T.I64:
        return this.zigzag(v as bigint);
      case T.DOUBLE:
        this.room(8);
        this.buf.writeDoubleLE(v as number, this.pos);
        this.pos += 8;
        return;
      case T.BINARY: {
        const b = v as Buffer;
        this.varint(BigInt(b.length));
        this.room(b.length);
        this.pos += b.copy(this.buf, this.pos);
        return;
      }
      case T.LIST:
      case T.SET: {
        const l = v as ThriftList;
        const n = l.items.length;
        if (n < 15) this.byte((n << 4) | l.elem);
        else {
          this.byte(0xf0 | l.elem);
          this.varint(BigInt(n));
        }
        for (const item of l.items) {
          if (l.elem === T.TRUE || l.elem === T.FALSE) this.byte(item ? T.TRUE : T.FALSE);
          else this.value(l.elem, item);
        }
        return;
      }
      case T.STRUCT:
        return this.struct(v as ThriftStruct);
    }
  }

  struct(s: ThriftStruct): void {
    let last = 0;
    for (const f of s.fields) {
      const type = f.type === T.TRUE || f.type === T.FALSE ? (f.value ? T.TRUE : T.FALSE) : f.type;
      const delta = f.id - last;
      if (delta > 0 && delta <= 15) this.byte((delta << 4) | type);
      else {
        this.byte(type);
        this.zigzag(BigInt(f.id));
      }
      this.value(type, f.value);
      last = f.id;
    }
    this.byte(T.STOP);
  }

  bytes(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}

/** The footer's Thrift struct from its bytes (`file` names it in errors). */
export function readFooterStruct(footer: Buffer, file: string): ThriftStruct {
  const r = new Reader(footer, file);
  const s = r.struct();
  if (r.pos !== footer.length) r.fail(`${footer.length - r.pos} bytes after the struct`);
  return s;
}

export function writeFooterStruct(s: ThriftStruct): Buffer {
  const w = new Writer();
  w.struct(s);
  return w.bytes();
}

function field(s: ThriftStruct, id: number): ThriftField | undefined {
  return s.fields.find((f) => f.id === id);
}

function list(s: ThriftStruct, id: number): ThriftList {
  const f = field(s, id);
  return f && (f.type === T.LIST || f.type === T.SET) ? (f.value as ThriftList) : { kind: T.LIST, elem: T.STRUCT, items: [] };
}

/** Set field `id` of `s` (kept in id order, as Thrift writers emit them). */
function setField(s: ThriftStruct, id: number, type: number, value: ThriftValue): void {
  const f = field(s, id);
  if (f) {
    f.type = type;
    f.value = value;
    return;
  }
  s.fields.push({ id, type, value });
  s.fields.sort((a, b) => a.id - b.id);
}

/** Add `by` to the i64 field `id` of `s` when it is there. */
function shiftField(s: ThriftStruct, id: number, by: bigint): void {
  const f = field(s, id);
  if (f && f.type === T.I64) f.value = (f.value as bigint) + by;
}

// parquet.thrift field ids
const FMD_SCHEMA = 2;
const FMD_NUM_ROWS = 3;
const FMD_ROW_GROUPS = 4;
const FMD_KV = 5;
const RG_COLUMNS = 1;
const RG_FILE_OFFSET = 5;
const RG_ORDINAL = 7;
const CC_FILE_PATH = 1;
const CC_FILE_OFFSET = 2;
const CC_META = 3;
const CC_OFFSET_INDEX_OFFSET = 4;
const CC_COLUMN_INDEX_OFFSET = 6;
const CMD_DATA_PAGE_OFFSET = 9;
const CMD_INDEX_PAGE_OFFSET = 10;
const CMD_DICTIONARY_PAGE_OFFSET = 11;
const CMD_BLOOM_FILTER_OFFSET = 14;

/** One Parquet file as the join sees it: its footer, and where its row data ends. */
export interface ParquetPart {
  file: string;
  meta: ThriftStruct;
  /** bytes 4 .. dataEnd (after the leading PAR1, before the footer) are its row groups */
  dataEnd: number;
}

/** A Parquet file's footer from its last bytes (`tail`: the file's final `tail.length` bytes). */
export function footerLength(tail: Buffer, file: string): number {
  if (tail.length < 8 || tail.toString('latin1', tail.length - 4) !== 'PAR1') throw new ParquetFooterError(file, 'not a Parquet file (no PAR1 at its end)');
  return tail.readUInt32LE(tail.length - 8);
}

/** The part as read from its footer bytes (the file is `size` bytes long). */
export function parquetPart(file: string, footer: Buffer, size: number): ParquetPart {
  const meta = readFooterStruct(footer, file);
  const dataEnd = size - 8 - footer.length;
  if (dataEnd < 4) throw new ParquetFooterError(file, `a ${footer.length}-byte footer in a ${size}-byte file`);
  for (const rg of list(meta, FMD_ROW_GROUPS).items as ThriftStruct[]) {
    for (const cc of list(rg, RG_COLUMNS).items as ThriftStruct[]) {
      // a page index holds absolute page offsets of its own: not moved here, so refused
      if (field(cc, CC_FILE_PATH) || field(cc, CC_OFFSET_INDEX_OFFSET) || field(cc, CC_COLUMN_INDEX_OFFSET)) {
        throw new ParquetFooterError(file, 'a column chunk with a page index or in another file: its parts cannot be joined by bytes');
      }
    }
  }
  return { file, meta, dataEnd };
}

/**
 * The footer of the parts joined in order, each part's row data placed at `starts[i]` (the first
 * at 4), with `kv` as its key-value metadata. The parts must share one schema. Their row groups
 * are moved in place (each part's metas are used up: join them once).
 */
export function joinedFooter(parts: readonly ParquetPart[], starts: readonly number[], kv: ReadonlyArray<[string, string]>): Buffer {
  if (parts.length === 0) throw new Error('joinedFooter: no parts');
  const schema = writeFooterStruct({ fields: [field(parts[0]!.meta, FMD_SCHEMA)!] });
  const out: ThriftStruct = { fields: parts[0]!.meta.fields.map((f) => ({ ...f })) };
  const groups: ThriftValue[] = [];
  let rows = 0n;
  parts.forEach((part, i) => {
    const own = field(part.meta, FMD_SCHEMA);
    if (!own || !writeFooterStruct({ fields: [own] }).equals(schema)) throw new ParquetFooterError(part.file, 'its schema differs from the first part’s');
    const by = BigInt(starts[i]! - 4);
    for (const rg of list(part.meta, FMD_ROW_GROUPS).items as ThriftStruct[]) {
      shiftField(rg, RG_FILE_OFFSET, by);
      if (field(rg, RG_ORDINAL)) setField(rg, RG_ORDINAL, T.I16, groups.length);
      for (const cc of list(rg, RG_COLUMNS).items as ThriftStruct[]) {
        shiftField(cc, CC_FILE_OFFSET, by);
        const m = field(cc, CC_META)?.value as ThriftStruct | undefined;
        if (m) for (const id of [CMD_DATA_PAGE_OFFSET, CMD_INDEX_PAGE_OFFSET, CMD_DICTIONARY_PAGE_OFFSET, CMD_BLOOM_FILTER_OFFSET]) shiftField(m, id, by);
      }
      groups.push(rg);
    }
    const n = field(part.meta, FMD_NUM_ROWS);
    rows += n ? (n.value as bigint) : 0n;
  });
  setField(out, FMD_NUM_ROWS, T.I64, rows);
  setField(out, FMD_ROW_GROUPS, T.LIST, { kind: T.LIST, elem: T.STRUCT, items: groups });
  if (kv.length > 0) {
    const items = kv.map(([k, v]) => ({
      fields: [
        { id: 1, type: T.BINARY, value: Buffer.from(k, 'utf8') },
        { id: 2, type: T.BINARY, value: Buffer.from(v, 'utf8') },
      ],
    }));
    setField(out, FMD_KV, T.LIST, { kind: T.LIST, elem: T.STRUCT, items });
  }
  return writeFooterStruct(out);
}
