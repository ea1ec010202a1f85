/**
 * The per-key table as Parquet (`rdblens csv --format parquet`): the columns, and the rows in
 * the form DuckDB turns into them.
 *
 * The rows are the CSV export's rows (KeyRow, from the same producer), written by
 * KeyWireFormatter as lines of a plain CSV that DuckDB's native reader parses as it streams in
 * (cli/parquet-sink.ts feeds them through a pipe to `COPY (SELECT ...) TO ... (FORMAT parquet)`,
 * which writes row groups as they fill). What DuckDB receives is exact: the key
 * bytes as hex, numbers as decimal, absent values as empty fields; `parquetSelect` is the SQL
 * that gives every column its type. Writing the lines costs the worker about what a CSV line
 * costs; the Parquet encoding runs natively, on DuckDB's threads.
 *
 * Wire columns, in order (see wireColumns): file index, db, type, key bytes in hex (empty when
 * the key is printable ASCII without `"` `,` `\`: its text is then its bytes), key text
 * (the --escape form, quoted as RFC 4180 when it holds `"` `,` CR or LF; `""` when empty), size
 * (empty: unknown), encoding, elements, largest element, expiry in ms (empty: none), cluster
 * slot, then one field per prefix level (the prefix text, empty when the key has no separator
 * at that level).
 */
import type { KeyRow } from '../memory/analyze.js';
import { keyHashSlot, keyHashSlotFrom } from '../memory/cluster-slot.js';
import { escapeBytes, type EscapeMode } from './escape.js';
import { WordBytes, writeUint } from './format.js';

export interface ParquetRowOptions {
  escape: EscapeMode;
  /** reference time for `ttl` and `expired` (ms) */
  now: number;
  /** prefix separators (bytes, latin1) and depth, as for `rdblens prefixes` */
  separators: string;
  depth: number;
}

/** What the table says about each dump, by file index. */
export interface ParquetFileInfo {
  file: string;
  /** the shard's name (`--shard`; default the file as given) */
  shard: string;
  profile: string;
}

/** The Parquet columns, in order: the CSV's (with --extra and file), then the rest. */
export function parquetColumns(depth: number): string[] {
  const cols = [
    'database',
    'type',
    'key',
    'size_in_bytes',
    'encoding',
    'num_elements',
    'len_largest_element',
    'expiry',
    'prefix',
    'ttl',
    'key_length',
    'profile',
    'file',
    'key_bytes',
    'shard',
    'slot',
    'expired',
  ];
  for (let d = 1; d <= depth; d++) cols.push(`prefix${d}`);
  return cols;
}

/** The wire columns and their DuckDB types (read_csv's `columns`). */
export function wireColumns(depth: number): Array<[string, string]> {
  const cols: Array<[string, string]> = [
    ['f', 'INTEGER'],
    ['db', 'INTEGER'],
    ['type', 'VARCHAR'],
    ['kh', 'VARCHAR'],
    ['kt', 'VARCHAR'],
    ['sz', 'BIGINT'],
    ['enc', 'VARCHAR'],
    ['len', 'BIGINT'],
    ['mx', 'BIGINT'],
    ['ex', 'BIGINT'],
    ['slot', 'INTEGER'],
  ];
  for (let d = 1; d <= depth; d++) cols.push([`p${d}`, 'VARCHAR']);
  return cols;
}

/** A SQL string literal. */
export function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** A SQL list of string literals. */
function sqlList(items: readonly string[]): string {
  return `[${items.map(sqlString).join(', ')}]`;
}

/** The key's bytes: from the hex, or, when there is none, the text's (a printable ASCII key). */
const KEY_BYTES = "CASE WHEN w.kh IS NULL THEN encode(coalesce(w.kt, '')) ELSE unhex(w.kh) END";

/**
 * The query that types the wire rows read from `source` (a DuckDB table expression such as
 * `read_csv(...)`): one output row per input line, in order.
 */
export function parquetSelect(source: string, files: readonly ParquetFileInfo[], opts: ParquetRowOptions): string {
  const now = Math.round(opts.now);
  const deepest = Array.from({ length: opts.depth }, (_, i) => `w.p${opts.depth - i}`);
  const byFile = (pick: (f: ParquetFileInfo) => string): string => (files.length === 1 ? sqlString(pick(files[0]!)) : `${sqlList(files.map(pick))}[w.f + 1]`);
  const cols = [
    'w.db AS database',
    'w.type AS type',
    "coalesce(w.kt, '') AS key",
    'w.sz AS size_in_bytes',
    'w.enc AS encoding',
    'w.len AS num_elements',
    'w.mx AS len_largest_element',
    'CAST(epoch_ms(w.ex) AS TIMESTAMPTZ) AS expiry',
    `coalesce(${[...deepest, "''"].join(', ')}) AS prefix`,
    `w.ex - ${now} AS ttl`,
    `CAST(octet_length(${KEY_BYTES}) AS INTEGER) AS key_length`,
    `${byFile((f) => f.profile)} AS profile`,
    `${byFile((f) => f.file)} AS file`,
    `${KEY_BYTES} AS key_bytes`,
    `${byFile((f) => f.shard)} AS shard`,
    'w.slot AS slot',
    `coalesce(w.ex <= ${now}, false) AS expired`,
  ];
  for (let d = 1; d <= opts.depth; d++) cols.push(`w.p${d} AS prefix${d}`);
  return `SELECT ${cols.join(', ')} FROM ${source} AS w`;
}

/** read_csv over the wire lines in `path` (a pipe: read once, in order). */
export function wireSource(path: string, depth: number): string {
  const columns = wireColumns(depth)
    .map(([n, t]) => `${sqlString(n)}: ${sqlString(t)}`)
    .join(', ');
  return (
    `read_csv(${sqlString(path)}, header = false, auto_detect = false, delim = ',', quote = '"', escape = '"', ` +
    `allow_quoted_nulls = false, strict_mode = true, new_line = '\\n', parallel = false, columns = {${columns}})`
  );
}

/** Key bytes copied as they are: printable ASCII except `"`, `,` and `\`. */
const COPYABLE = new Uint8Array(256);
for (let c = 0x20; c < 0x7f; c++) COPYABLE[c] = 1;
COPYABLE[0x22] = COPYABLE[0x2c] = COPYABLE[0x5c] = 0;
const NEEDS_QUOTES = /[",\r\n]/;

/** A text field as the wire's CSV writes it. */
function field(s: string): string {
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** An integer field: empty when absent (negative), digits otherwise. */
function intField(v: number): string {
  return v < 0 ? '' : String(v);
}

/** Turns key rows into wire lines (pure: no I/O). Same interface as KeyCsvFormatter. */
export class KeyWireFormatter {
  private readonly sep: Uint8Array;
  private readonly isSep = new Uint8Array(256);
  /** end offsets of the prefixes of the row being written (scratch) */
  private readonly ends: Int32Array;
  private readonly byteCopy: boolean;
  /** type and encoding names as bytes (null: not plain, the row goes to line()) */
  private readonly types = new WordBytes((w) => !NEEDS_QUOTES.test(w));
  private readonly encodings = new WordBytes((w) => !NEEDS_QUOTES.test(w));

  constructor(readonly opts: ParquetRowOptions) {
    this.sep = Buffer.from(opts.separators, 'latin1');
    for (const c of this.sep) this.isSep[c] = 1;
    this.ends = new Int32Array(Math.max(0, opts.depth));
    this.byteCopy = opts.escape !== 'base64';
  }

  /** Prefix ends (exclusive) of `key` into this.ends; returns how many levels it has. */
  private prefixEnds(key: Buffer): number {
    const depth = this.opts.depth;
    let n = 0;
    for (let i = 0; i < key.length && n < depth; i++) if (this.isSep[key[i]!] === 1) this.ends[n++] = i + 1;
    return n;
  }

  /**
   * The row's line written into `buf` at `off`, for the common row (a key of printable ASCII
   * without `"` `,` `\`). Returns the new offset; -1 when the row needs `line()`; -2 when `buf`
   * has too little room (flush and call again). One loop over the key copies it, checks it, and
   * finds its prefix ends and hash tag; the prefixes are copied from the key just written.
   */
  encode(r: KeyRow, buf: Buffer, off: number): number {
    if (!this.byteCopy) return -1;
    const key = r.key;
    const n = key.length;
    if (n === 0) return -1;
    const type = this.types.of(r.type);
    const enc = this.encodings.of(r.encoding);
    if (type === null || enc === null) return -1;
    const depth = this.opts.depth;
    // room for the key, its prefixes (each at most the key), the words and the numbers
    if (off + n * (depth + 1) + type.length + enc.length + 160 + depth > buf.length) return -2;
    off = writeUint(buf, off, r.file);
    buf[off++] = 0x2c;
    off = writeUint(buf, off, r.db);
    buf[off++] = 0x2c;
    for (let i = 0; i < type.length; i++) buf[off++] = type[i]!;
    buf[off++] = 0x2c;
    // no hex: the key's bytes are its text (printable ASCII), which follows
    buf[off++] = 0x2c;
    const keyAt = off;
    const ends = this.ends;
    const isSep = this.isSep;
    let levels = 0;
    let open = -1;
    for (let i = 0; i < n; i++) {
      const c = key[i]!;
      if (COPYABLE[c] === 0) return -1;
      buf[off++] = c;
      if (isSep[c] === 1 && levels < depth) ends[levels++] = i + 1;
      if (c === 0x7b && open < 0) open = i;
    }
    buf[off++] = 0x2c;
    if (r.bytes >= 0) off = writeUint(buf, off, r.bytes);
    buf[off++] = 0x2c;
    for (let i = 0; i < enc.length; i++) buf[off++] = enc[i]!;
    buf[off++] = 0x2c;
    off = writeUint(buf, off, r.length);
    buf[off++] = 0x2c;
    off = writeUint(buf, off, r.maxElementLength);
    buf[off++] = 0x2c;
    if (r.expireAt >= 0) off = writeUint(buf, off, r.expireAt);
    buf[off++] = 0x2c;
    off = writeUint(buf, off, keyHashSlotFrom(key, open));
    for (let d = 0; d < depth; d++) {
      buf[off++] = 0x2c;
      if (d < levels) {
        const end = keyAt + ends[d]!;
        for (let i = keyAt; i < end; i++) buf[off++] = buf[i]!;
      }
    }
    buf[off++] = 0x0a;
    return off;
  }

  /** The row as a wire line (any key). */
  line(r: KeyRow): string {
    const { escape, depth } = this.opts;
    const key = r.key;
    const text = escapeBytes(key, escape);
    let s =
      r.file +
      ',' +
      r.db +
      ',' +
      field(r.type) +
      ',' +
      key.toString('hex') +
      ',' +
      (text.length === 0 ? '""' : field(text)) +
      ',' +
      intField(r.bytes) +
      ',' +
      field(r.encoding) +
      ',' +
      r.length +
      ',' +
      r.maxElementLength +
      ',' +
      intField(r.expireAt) +
      ',' +
      keyHashSlot(key);
    const levels = this.prefixEnds(key);
    for (let d = 0; d < depth; d++) {
      s += ',';
      if (d < levels) s += field(escapeBytes(key.subarray(0, this.ends[d]!), escape));
    }
    return s + '\n';
  }
}
