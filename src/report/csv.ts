/**
 * CSV sink. The per-key report (`rdblens csv`) has redis-rdb-tools' memory-report columns first:
 *
 *   database,type,key,size_in_bytes,encoding,num_elements,len_largest_element,expiry
 *
 * then, with `extra`, prefix,ttl,key_length,profile (and file when several dumps).
 *
 * csv-stringify decides the bytes of every field (`escape_formulas`: key names are untrusted
 * input, a key `=cmd|...` must not become a formula in a spreadsheet). Its per-record cost
 * (about 1.5 µs through the stream, 4 µs through the sync API) is most of the time of a 2M-key
 * export, so `csvLine` joins the fields itself when csv-stringify would leave every one of them
 * unchanged (no quote, delimiter, CR or LF, no leading formula character, numbers as `'' + n`)
 * and hands the record to csv-stringify otherwise: the output is csv-stringify's, byte for byte
 * (test/report/csv.test.ts checks it against the stream on hostile keys).
 */
import { stringify as stringifySync } from 'csv-stringify/sync';
import type { Options as CsvOptions } from 'csv-stringify';
import type { KeyRow } from '../memory/analyze.js';
import { escapeBytes, FORMULA_TRIGGERS, type EscapeMode } from './escape.js';
import { isoTime, WordBytes, writeIsoTime, writeUint } from './format.js';
import type { Table } from './table.js';

/**
 * The options every rdblens CSV is written with: csv-stringify's defaults (`\n` after every
 * record; fields holding `"`, `,`, `\n` or `\r` quoted) plus the formula guard. (Naming
 * `record_delimiter` explicitly would stop the quoting of `\r`.)
 */
export const CSV_OPTIONS: CsvOptions = Object.freeze({ escape_formulas: true });

export const KEY_COLUMNS = ['database', 'type', 'key', 'size_in_bytes', 'encoding', 'num_elements', 'len_largest_element', 'expiry'] as const;
export const EXTRA_COLUMNS = ['prefix', 'ttl', 'key_length', 'profile'] as const;

export type CsvField = string | number;

/**
 * Characters that make csv-stringify change a field (with CSV_OPTIONS): the quote, the
 * delimiter, CR and LF anywhere; a formula trigger as the first character of a string.
 */
const NEEDS_CSV_STRINGIFY = /[",\n\r]/;
const FORMULA_FIRST = FORMULA_TRIGGERS;

function plain(field: CsvField): boolean {
  if (typeof field === 'number') return true;
  return field.length === 0 || (!FORMULA_FIRST.has(field[0]!) && !NEEDS_CSV_STRINGIFY.test(field));
}

/** One record as a CSV line with its `\n`, exactly as csv-stringify writes it with CSV_OPTIONS. */
export function csvLine(fields: readonly CsvField[]): string {
  let out = '';
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    if (!plain(f)) return stringifySync([fields as CsvField[]], CSV_OPTIONS);
    out += i === 0 ? f : ',' + f;
  }
  return out + '\n';
}

export interface KeyCsvOptions {
  escape: EscapeMode;
  /** add prefix, ttl, key_length, profile */
  extra: boolean;
  /** add file (several dumps; with `extra` only) */
  withFile: boolean;
  /** reference time for `ttl` */
  now: number;
  /** prefix separators (bytes, latin1) and depth, as for `rdblens prefixes` */
  separators: string;
  depth: number;
  /** per file index: its name and the profile its sizes model */
  files: ReadonlyArray<{ file: string; profile: string }>;
}

export function keyCsvHeader(opts: Pick<KeyCsvOptions, 'extra' | 'withFile'>): string[] {
  const cols: string[] = [...KEY_COLUMNS];
  if (opts.extra) {
    cols.push(...EXTRA_COLUMNS);
    if (opts.withFile) cols.push('file');
  }
  return cols;
}

/** The prefix `rdblens prefixes` files a key under at the deepest level (`""` for none). */
export function keyPrefix(key: Buffer, separators: Uint8Array, depth: number): Buffer {
  let end = 0;
  let from = 0;
  for (let d = 0; d < depth; d++) {
    let cut = -1;
    for (let i = from; i < key.length && cut < 0; i++) {
      const c = key[i]!;
      for (let j = 0; j < separators.length; j++) {
        if (c === separators[j]) {
          cut = i;
          break;
        }
      }
    }
    if (cut < 0) break;
    end = cut + 1;
    from = end;
  }
  return key.subarray(0, end);
}

/** Key bytes written as they are in the fast path: printable ASCII except `"`, `,` and `\`. */
const COPYABLE = new Uint8Array(256);
for (let c = 0x20; c < 0x7f; c++) COPYABLE[c] = 1;
COPYABLE[0x22] = COPYABLE[0x2c] = COPYABLE[0x5c] = 0;
/** First bytes csv-stringify prefixes with `'` (escape_formulas). */
const FORMULA_BYTE = new Uint8Array(256);
for (const c of '-=+@') FORMULA_BYTE[c.charCodeAt(0)] = 1;

/** Turns key rows into CSV records and lines (pure: no I/O). */
export class KeyCsvFormatter {
  private readonly sep: Uint8Array;
  /** strings known to pass csv-stringify unchanged (types, encodings, profiles, file names) */
  private readonly plainWords = new Set<string>();
  /** type and encoding names as bytes, null when not plain */
  private readonly types = new WordBytes(plain);
  private readonly encodings = new WordBytes(plain);
  /** whether `encode` may be used: the key's bytes are its text in utf8, print and raw modes */
  private readonly byteCopy: boolean;

  constructor(readonly opts: KeyCsvOptions) {
    this.sep = Buffer.from(opts.separators, 'latin1');
    this.byteCopy = !opts.extra && opts.escape !== 'base64';
  }

  /**
   * The row's line (`line(r)`, UTF-8) written into `buf` at `off` without making a string, for
   * the common row: plain printable-ASCII key, no --extra. Returns the new offset; -1 when the
   * row needs `line()`; -2 when `buf` has too little room (flush and call again).
   */
  encode(r: KeyRow, buf: Buffer, off: number): number {
    if (!this.byteCopy) return -1;
    const key = r.key;
    const n = key.length;
    if (n > 0 && FORMULA_BYTE[key[0]!] === 1) return -1;
    const type = this.types.of(r.type);
    const enc = this.encodings.of(r.encoding);
    if (type === null || enc === null) return -1;
    if (off + n + enc.length + 120 > buf.length) return -2;
    off = writeUint(buf, off, r.db);
    buf[off++] = 0x2c;
    for (let i = 0; i < type.length; i++) buf[off++] = type[i]!;
    buf[off++] = 0x2c;
    // copy the key while checking it: a byte that needs escaping or quoting sends the row to line()
    for (let i = 0; i < n; i++) {
      const c = key[i]!;
      if (COPYABLE[c] === 0) return -1;
      buf[off++] = c;
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
    if (r.expireAt >= 0) off = writeIsoTime(buf, off, r.expireAt);
    buf[off++] = 0x0a;
    return off;
  }

  header(): string[] {
    return keyCsvHeader(this.opts);
  }

  headerLine(): string {
    return csvLine(this.header());
  }

  /** The fields of a row, as csv-stringify gets them. */
  record(r: KeyRow): CsvField[] {
    const o = this.opts;
    const rec: CsvField[] = [
      r.db,
      r.type,
      escapeBytes(r.key, o.escape),
      r.bytes < 0 ? '' : r.bytes,
      r.encoding,
      r.length,
      r.maxElementLength,
      isoTime(r.expireAt),
    ];
    if (o.extra) {
      rec.push(
        escapeBytes(keyPrefix(r.key, this.sep, o.depth), o.escape),
        r.expireAt < 0 ? '' : r.expireAt - o.now,
        r.key.length,
        o.files[r.file]?.profile ?? '',
      );
      if (o.withFile) rec.push(o.files[r.file]?.file ?? String(r.file));
    }
    return rec;
  }

  /**
   * The row as a CSV line: `csvLine(this.record(r))`, built without the intermediate record
   * when every field is plain (the common case: this runs once per key).
   */
  line(r: KeyRow): string {
    const o = this.opts;
    const key = escapeBytes(r.key, o.escape);
    if (!plain(key) || !this.plainWord(r.type) || !this.plainWord(r.encoding)) return csvLine(this.record(r));
    let s = r.db + ',' + r.type + ',' + key + ',' + (r.bytes < 0 ? '' : r.bytes) + ',' + r.encoding + ',' + r.length + ',' + r.maxElementLength + ',' + isoTime(r.expireAt);
    if (o.extra) {
      const prefix = escapeBytes(keyPrefix(r.key, this.sep, o.depth), o.escape);
      const f = o.files[r.file];
      const profile = f?.profile ?? '';
      if (!plain(prefix) || !this.plainWord(profile)) return csvLine(this.record(r));
      s += ',' + prefix + ',' + (r.expireAt < 0 ? '' : r.expireAt - o.now) + ',' + r.key.length + ',' + profile;
      if (o.withFile) {
        const file = f?.file ?? String(r.file);
        if (!this.plainWord(file)) return csvLine(this.record(r));
        s += ',' + file;
      }
    }
    return s + '\n';
  }

  private plainWord(w: string): boolean {
    if (this.plainWords.has(w)) return true;
    if (!plain(w)) return false;
    if (this.plainWords.size < 1024) this.plainWords.add(w);
    return true;
  }
}

/** A table as CSV text (header line first); keys escaped in `mode`. */
export function tableCsv(table: Table, mode: EscapeMode): string {
  let out = csvLine(table.columns.map((c) => c.id));
  for (const row of table.rows) {
    out += csvLine(
      row.map((cell, i): CsvField => {
        if (cell === null) return '';
        if (Buffer.isBuffer(cell)) return escapeBytes(cell, mode);
        const kind = table.columns[i]!.kind;
        if (typeof cell === 'number') {
          if (kind === 'time') return isoTime(cell);
          if (kind === 'percent' || kind === 'ratio') return Math.round(cell * 1e4) / 1e4;
        }
        return cell;
      }),
    );
  }
  return out;
}
