/**
 * Workbook sink: the report as one .xlsx, a sheet per part (Summary, Doctor, Top keys, Top by
 * elements, Prefixes, Types, Encodings, TTL, Databases, Shards) built from the same tables as
 * `report --json` (rows.ts), and optionally every key (Keys, Keys 2, ... past Excel's row limit).
 *
 * Written with exceljs's streaming WorkbookWriter: each sheet goes into the zip as its rows are
 * committed, with inline strings (no shared-string table held in memory), so the Keys sheets of
 * a dump of millions of keys do not stay in memory.
 *
 * Cells: counts, bytes, percentages and ratios are numbers (bytes shown as B / MB / GB,
 * percentages as 0..100 with a `%`, as in the JSON); times are dates (UTC); dump data (keys,
 * prefixes, file names) is escaped as in the JSON and then made safe for a spreadsheet:
 * control characters as `\xNN` and a `'` before a leading formula character, as in the CSV.
 */
import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import type { Writable } from 'node:stream';
import type ExcelJS from 'exceljs';
import type { KeyRow } from '../memory/analyze.js';
import type { Tip } from '../memory/doctor.js';
import type { MemoryStats } from '../memory/stats.js';
import { KEY_COLUMNS } from './csv.js';
import { cellText, escapeBytes, type EscapeMode } from './escape.js';
import { round4 } from './json.js';
import type { ReportModel } from './model.js';
import type { ReportInput } from './report.js';
import { dbTable, encodingTable, filesTable, prefixTreeTable, topKeysTable, ttlTable, typeTable } from './rows.js';
import { isDoubleField } from './stats.js';
import type { Cell, ColumnKind, Table } from './table.js';

/** Rows in an Excel (and LibreOffice) sheet, header included. */
export const XLSX_MAX_ROWS = 1_048_576;

/** Excel's limit on row outline levels. */
const MAX_OUTLINE = 7;

/** Byte counts as B below a million, MB below a billion, GB above (a number format can only scale by 1000). */
export const BYTES_FORMAT = '[<1000000]#,##0" B";[<1000000000]#,##0.0,," MB";#,##0.00,,," GB"';
const COUNT_FORMAT = '#,##0';
const PERCENT_FORMAT = '0.00"%"';
const RATIO_FORMAT = '0.00';
const TIME_FORMAT = 'yyyy-mm-dd hh:mm:ss.000';

const FORMATS: Partial<Record<ColumnKind, string>> = {
  count: COUNT_FORMAT,
  'count-delta': '+#,##0;-#,##0;0',
  bytes: BYTES_FORMAT,
  'bytes-delta': '+#,##0;-#,##0;0',
  percent: PERCENT_FORMAT,
  ratio: RATIO_FORMAT,
  time: TIME_FORMAT,
};

/** Widest a column is made (characters); longer text is cut off on screen, not in the cell. */
const MAX_WIDTH = 60;
const MIN_WIDTH = 6;

export interface WorkbookOptions {
  escape: EscapeMode;
  /** rows per sheet, header included (XLSX_MAX_ROWS; smaller in tests of the split) */
  maxRows?: number;
  /**
   * Every key for the Keys sheets (`--keys`): called once the report's sheets are written, it
   * adds the keys in order and awaits `sheets.pause()` now and then (between chunks of a dump).
   */
  keys?: (sheets: KeySheets) => Promise<void>;
}

export interface WorkbookResult {
  /** sheet names in order */
  sheets: string[];
  /** rows in the Keys sheets (headers not counted) */
  keyRows: number;
}

type Writer = ExcelJS.stream.xlsx.WorkbookWriter;
type Sheet = ExcelJS.Worksheet;

/** Display width of a value in a column, for the column's width. */
function widthOf(v: unknown, kind: ColumnKind): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'number') {
    if (kind === 'bytes' || kind === 'bytes-delta') return 12;
    if (kind === 'time') return 23;
    return Math.ceil(String(Math.round(v)).length * 1.35) + (kind === 'percent' || kind === 'ratio' ? 4 : 0);
  }
  if (v instanceof Date) return 23;
  let w = 0;
  for (const line of String(v).split('\n')) w = Math.max(w, line.length);
  return w;
}

/** A cell of a table as a spreadsheet value. */
function cellValue(cell: Cell, kind: ColumnKind, mode: EscapeMode): ExcelJS.CellValue {
  if (cell === null) return null;
  if (Buffer.isBuffer(cell)) return cellText(escapeBytes(cell, mode));
  if (typeof cell === 'string') return cellText(cell);
  if (kind === 'time') return cell < 0 ? null : new Date(cell);
  // rounded as in the JSON and the CSV
  if (kind === 'percent' || kind === 'ratio') return round4(cell);
  return cell;
}

interface SheetSpec {
  name: string;
  /** column headers (the JSON's names) and kinds */
  columns: Array<{ id: string; kind: ColumnKind }>;
  rows: ExcelJS.CellValue[][];
  /** per row: its outline level (0 = none) */
  levels?: number[];
  /** per row and column: a number format other than the column's */
  formats?: Array<Array<string | undefined>>;
  /** columns whose text wraps (multi-line cells) */
  wrap?: number[];
}

/** Column letters of a 1-based column number. */
function columnLetters(n: number): string {
  let s = '';
  for (let c = n; c > 0; c = Math.floor((c - 1) / 26)) s = String.fromCharCode(65 + ((c - 1) % 26)) + s;
  return s;
}

/**
 * The workbook's `_xlnm._FilterDatabase` names, one per sheet with an autofilter. Excel reads
 * an autofilter from the sheet alone; LibreOffice only with this name beside it (without it
 * the filter buttons are lost on import). exceljs's WorkbookWriter keeps no sheet-local
 * names, so its private `_definedNames` is replaced by this list, read when the workbook is
 * committed.
 */
class FilterNames {
  private readonly names: Array<{ name: string; localSheetId: number; ranges: string[] }> = [];

  constructor(wb: Writer) {
    const w = wb as unknown as { _definedNames?: { model: unknown } };
    if (w._definedNames === undefined) throw new Error('exceljs: WorkbookWriter has no _definedNames (a new exceljs version?)');
    const names = this.names;
    w._definedNames = {
      get model() {
        return names;
      },
    };
  }

  add(sheetIndex: number, sheet: string, columns: number, lastRow: number): void {
    this.names.push({ name: '_xlnm._FilterDatabase', localSheetId: sheetIndex, ranges: [`'${sheet.replace(/'/g, "''")}'!$A$1:$${columnLetters(columns)}$${lastRow}`] });
  }
}

/** Write one sheet: bold frozen header row, autofilter over the columns, widths that fit. */
function writeSheet(wb: Writer, spec: SheetSpec, filters: FilterNames, index: number): void {
  const levels = spec.levels ?? [];
  const maxLevel = levels.reduce((a, b) => Math.max(a, b), 0);
  const ws = wb.addWorksheet(spec.name, {
    views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }],
    properties: {
      outlineLevelRow: maxLevel,
      // the +/- sits on the parent row, above its children
      outlineProperties: { summaryBelow: false, summaryRight: false },
    } as Partial<ExcelJS.WorksheetProperties>,
  });
  ws.columns = spec.columns.map((c, i) => {
    let w = c.id.length + 3;
    for (const r of spec.rows) w = Math.max(w, widthOf(r[i], c.kind) + 2);
    const style: Partial<ExcelJS.Style> = {};
    const fmt = FORMATS[c.kind];
    if (fmt) style.numFmt = fmt;
    if (spec.wrap?.includes(i)) style.alignment = { wrapText: true, vertical: 'top' };
    return { key: c.id, width: Math.max(MIN_WIDTH, Math.min(MAX_WIDTH, w)), style };
  });
  const header = ws.addRow(spec.columns.map((c) => c.id));
  header.font = { bold: true };
  header.commit();
  spec.rows.forEach((values, r) => {
    const row = ws.addRow(values);
    const level = Math.min(MAX_OUTLINE, levels[r] ?? 0);
    if (level > 0) row.outlineLevel = level;
    const fmts = spec.formats?.[r];
    if (fmts) fmts.forEach((f, c) => f && (row.getCell(c + 1).numFmt = f));
    row.commit();
  });
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1 + spec.rows.length, column: spec.columns.length } };
  filters.add(index, spec.name, spec.columns.length, 1 + spec.rows.length);
  ws.commit();
}

function tableSpec(name: string, t: Table, mode: EscapeMode, levels?: number[]): SheetSpec {
  return {
    name,
    columns: t.columns.map((c) => ({ id: c.id, kind: c.kind })),
    rows: t.rows.map((row) => row.map((cell, i) => cellValue(cell, t.columns[i]!.kind, mode))),
    ...(levels ? { levels } : {}),
  };
}

function statsFormat(name: string, v: number): string {
  if (isDoubleField(name)) return name.endsWith('.percentage') ? PERCENT_FORMAT : RATIO_FORMAT;
  if (name.endsWith('.count') || !Number.isInteger(v)) return COUNT_FORMAT;
  return BYTES_FORMAT;
}

/** Summary: the dump facts (the JSON's `total` and files) and every MEMORY STATS field. */
export function summarySpec(r: ReportInput): SheetSpec {
  const m = r.model;
  const t = m.total;
  const rows: ExcelJS.CellValue[][] = [];
  const formats: Array<Array<string | undefined>> = [];
  const add = (section: string, field: string, value: ExcelJS.CellValue, fmt?: string): void => {
    rows.push([section, field, value]);
    formats.push([undefined, undefined, fmt]);
  };
  add('report', 'files', m.files.length, COUNT_FORMAT);
  add('report', 'complete', m.complete);
  add('report', 'now', new Date(m.now), TIME_FORMAT);
  add('report', 'written_by', cellText([...new Set(m.files.map((f) => f.serverVersion ?? `RDB ${f.rdbVersion}`))].join(', ')));
  add('report', 'profile', [...new Set(m.files.map((f) => f.profile))].join(', '));
  const totals: Array<[string, number, string]> = [
    ['keys_in_file', t.keysInFile, COUNT_FORMAT],
    ['keys', t.keys, COUNT_FORMAT],
    ['bytes', t.bytes, BYTES_FORMAT],
    ['expires', t.expires, COUNT_FORMAT],
    ['expired_keys', t.expiredKeys, COUNT_FORMAT],
    ['expired_bytes', t.expiredBytes, BYTES_FORMAT],
    ['key_name_bytes', t.keyNameBytes, BYTES_FORMAT],
    ['unknown_size', t.unknownSize, COUNT_FORMAT],
  ];
  for (const [f, v, fmt] of totals) add('total', f, v, fmt);
  if (r.stats) addStats(r.stats, add);
  return {
    name: 'Summary',
    columns: [
      { id: 'section', kind: 'text' },
      { id: 'field', kind: 'text' },
      { id: 'value', kind: 'number' },
    ],
    rows,
    formats,
  };
}

function addStats(stats: MemoryStats, add: (section: string, field: string, value: ExcelJS.CellValue, fmt?: string) => void): void {
  for (const [name, value] of stats.fields) {
    if (Array.isArray(value)) {
      for (const [k, v] of value) add('memory_stats', `${name}.${k}`, v, typeof v === 'number' ? statsFormat(k, v) : undefined);
    } else add('memory_stats', name, value, typeof value === 'number' ? statsFormat(name, value) : undefined);
  }
}

/** Doctor: a row per tip (its bytes saved or at stake, its advice and example keys), its items below it, outlined. */
export function doctorSpec(tips: readonly Tip[]): SheetSpec {
  const rows: ExcelJS.CellValue[][] = [];
  const levels: number[] = [];
  for (const t of tips) {
    rows.push([t.id, cellText(t.title), t.kind, t.bytes, null, null, null, cellText(t.lines.join('\n'), false)]);
    levels.push(0);
    for (const i of t.items) {
      rows.push([t.id, null, null, null, cellText(i.subject), i.keys, i.bytes, null]);
      levels.push(1);
    }
  }
  return {
    name: 'Doctor',
    columns: [
      { id: 'tip', kind: 'text' },
      { id: 'title', kind: 'text' },
      { id: 'kind', kind: 'text' },
      { id: 'bytes', kind: 'bytes' },
      { id: 'subject', kind: 'text' },
      { id: 'keys', kind: 'count' },
      { id: 'subject_bytes', kind: 'bytes' },
      { id: 'advice', kind: 'text' },
    ],
    rows,
    levels,
    wrap: [7],
  };
}

/** The report's sheets (all but Keys), in order. */
export function reportSheets(r: ReportInput, mode: EscapeMode): SheetSpec[] {
  const m: ReportModel = r.model;
  const prefixes = prefixTreeTable(m);
  const sheets = [summarySpec(r)];
  sheets.push(doctorSpec(r.tips ?? []));
  sheets.push(
    tableSpec('Top keys', topKeysTable(m, 'memory', r.topKeys), mode),
    tableSpec('Top by elements', topKeysTable(m, 'elements', r.topKeys), mode),
    // depth 1 is the outline's top level
    tableSpec(
      'Prefixes',
      prefixes,
      mode,
      prefixes.rows.map((row) => Math.max(0, (row[1] as number) - 1)),
    ),
    tableSpec('Types', typeTable(m), mode),
    tableSpec('Encodings', encodingTable(m), mode),
    tableSpec('TTL', ttlTable(m), mode),
    tableSpec('Databases', dbTable(m), mode),
    tableSpec('Shards', filesTable(m), mode),
  );
  return sheets;
}

/** The Keys sheets' columns: the CSV's (`rdblens csv`), and `file` when several dumps. */
export function keyColumns(withFile: boolean): Array<{ id: string; kind: ColumnKind }> {
  const kinds: Record<(typeof KEY_COLUMNS)[number], ColumnKind> = {
    database: 'number',
    type: 'text',
    key: 'key',
    size_in_bytes: 'bytes',
    encoding: 'text',
    num_elements: 'count',
    len_largest_element: 'count',
    expiry: 'time',
  };
  const cols = KEY_COLUMNS.map((id) => ({ id, kind: kinds[id] }));
  return withFile ? [...cols, { id: 'file', kind: 'text' as ColumnKind }] : cols;
}

/** XML bytes of a Keys sheet let wait for the zip's compressor before the keys wait for it. */
export const ZIP_BACKLOG = 4 << 20;

/**
 * exceljs's sheet stream (its StreamBuf, private). The zip (archiver) wraps it in a PassThrough
 * (readable-stream 2, piped at once: `pipes[0]`) that it pipes into the entry's compressor when
 * it gets to the entry; StreamBuf writes into that PassThrough ignoring backpressure, so the
 * PassThrough's write queue is what piles up. `buffers` holds what was written while unpiped.
 */
interface SheetStream {
  pipes: Writable[];
  buffers: Array<{ length: number }>;
}

function sheetStream(ws: Sheet): SheetStream {
  const s = (ws as unknown as { stream?: Partial<SheetStream> }).stream;
  if (!s || !Array.isArray(s.pipes) || !Array.isArray(s.buffers)) throw new Error('exceljs: a WorksheetWriter stream without pipes and buffers (a new exceljs version?)');
  return s as SheetStream;
}

/** A writable's state (node's writable* getters; readable-stream 2, archiver's, has only `_writableState`). */
function writeQueue(w: Writable): { length: number; needDrain: boolean } {
  if (typeof w.writableLength === 'number') return { length: w.writableLength, needDrain: w.writableNeedDrain };
  const st = (w as unknown as { _writableState?: { length?: unknown; needDrain?: unknown } })._writableState;
  if (typeof st?.length !== 'number' || typeof st.needDrain !== 'boolean') throw new Error(`exceljs: the zip's ${w.constructor.name} shows no write queue (a new archiver version?)`);
  return { length: st.length, needDrain: st.needDrain };
}

/** Bytes of a sheet's XML written and not yet taken by the zip's compressor. */
function zipQueued(s: SheetStream): number {
  let n = s.pipes[0] ? writeQueue(s.pipes[0]).length : 0;
  for (const b of s.buffers) n += b.length;
  return n;
}

/** Resolves once at most ZIP_BACKLOG bytes of the sheet wait for the zip. */
async function zipTaken(s: SheetStream, signal: AbortSignal): Promise<void> {
  while (zipQueued(s) > ZIP_BACKLOG) {
    const dest = s.pipes[0];
    // 'drain' comes once a write was refused and the queue is empty; else (not yet piped into
    // the zip: exceljs holds it in `buffers`) look again soon
    if (dest !== undefined && writeQueue(dest).needDrain) await once(dest, 'drain', { signal });
    else await delay(5, undefined, { signal });
  }
}

/**
 * The Keys sheets, filled one key at a time: `Keys`, then `Keys 2`, ... when a sheet reaches
 * `maxRows` rows (header included). Rows are committed (written to the zip) as they come.
 */
export class KeySheets {
  private ws: Sheet | null = null;
  private inSheet = 0;
  private readonly columns: Array<{ id: string; kind: ColumnKind }>;
  /** aborted with the output's error: a wait for the zip or the output then ends with it */
  private readonly failed = new AbortController();
  private readonly onError = (e: Error): void => this.failed.abort(e);
  rows = 0;
  readonly names: string[] = [];

  constructor(
    private readonly wb: Writer,
    private readonly filters: FilterNames,
    /** sheets before the first Keys sheet */
    private readonly firstIndex: number,
    private readonly mode: EscapeMode,
    private readonly files: readonly string[] | null,
    private readonly maxRows: number,
    /** the workbook's output (the file stream the zip writes to) */
    private readonly output: Writable,
  ) {
    if (!(maxRows >= 2)) throw new RangeError(`KeySheets: maxRows ${maxRows} leaves no room for a key`);
    this.columns = keyColumns(files !== null);
    output.once('error', this.onError);
  }

  private open(): Sheet {
    const name = this.names.length === 0 ? 'Keys' : `Keys ${this.names.length + 1}`;
    this.names.push(name);
    const ws = this.wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }] });
    const widths: Record<string, number> = { database: 10, type: 8, key: 48, size_in_bytes: 14, encoding: 12, num_elements: 14, len_largest_element: 21, expiry: 24, file: 30 };
    ws.columns = this.columns.map((c) => {
      const fmt = FORMATS[c.kind];
      return { key: c.id, width: widths[c.id] ?? 12, style: fmt ? { numFmt: fmt } : {} };
    });
    const header = ws.addRow(this.columns.map((c) => c.id));
    header.font = { bold: true };
    header.commit();
    ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: this.columns.length } };
    this.inSheet = 1;
    return ws;
  }

  add(r: KeyRow): void {
    if (this.ws === null || this.inSheet >= this.maxRows) {
      this.closeSheet();
      this.ws = this.open();
    }
    const values: ExcelJS.CellValue[] = [
      r.db,
      r.type,
      cellText(escapeBytes(r.key, this.mode)),
      r.bytes < 0 ? null : r.bytes,
      r.encoding,
      r.length,
      r.maxElementLength,
      r.expireAt < 0 ? null : new Date(r.expireAt),
    ];
    if (this.files) values.push(cellText(this.files[r.file] ?? String(r.file)));
    this.ws.addRow(values).commit();
    this.inSheet++;
    this.rows++;
  }

  /**
   * Wait until the zip has taken what has been written (call between chunks of input): the
   * sheet's compressor holds at most ZIP_BACKLOG bytes of XML not yet deflated. exceljs's
   * sheet stream writes into the zip without backpressure, so without this wait the XML of a
   * fast parse piles up in the compressor's queue (memory growing with the key count).
   */
  async pause(): Promise<void> {
    const { signal } = this.failed;
    try {
      await new Promise((resolve) => setImmediate(resolve));
      if (this.ws !== null) await zipTaken(sheetStream(this.ws), signal);
      if (this.output.writableNeedDrain) await once(this.output, 'drain', { signal });
    } catch (e) {
      if (signal.aborted) throw signal.reason;
      throw e;
    }
  }

  private closeSheet(): void {
    if (this.ws === null) return;
    // the filter over the rows the sheet got
    this.ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: this.inSheet, column: this.columns.length } };
    this.filters.add(this.firstIndex + this.names.length - 1, this.names.at(-1)!, this.columns.length, this.inSheet);
    this.ws.commit();
    this.ws = null;
  }

  /** Bytes of the current sheet's XML written and not yet taken by the zip's compressor. */
  zipQueued(): number {
    return this.ws === null ? 0 : zipQueued(sheetStream(this.ws));
  }

  /** Stop watching the output for errors (once the keys are in). */
  detach(): void {
    this.output.off('error', this.onError);
  }

  /** Commit the last sheet; with no key at all, one Keys sheet with its header. */
  finish(): void {
    if (this.failed.signal.aborted) throw this.failed.signal.reason;
    if (this.ws === null && this.names.length === 0) this.ws = this.open();
    this.closeSheet();
  }
}

/** Write the workbook to a file or stream. */
export async function writeWorkbook(out: string | Writable, r: ReportInput, o: WorkbookOptions): Promise<WorkbookResult> {
  // exceljs costs ~28 MB of RSS when loaded: only for a workbook
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.stream.xlsx.WorkbookWriter({
    ...(typeof out === 'string' ? { filename: out } : { stream: out }),
    useStyles: true,
    useSharedStrings: false,
  });
  wb.creator = 'rdblens';
  const filters = new FilterNames(wb);
  const names: string[] = [];
  for (const spec of reportSheets(r, o.escape)) {
    writeSheet(wb, spec, filters, names.length);
    names.push(spec.name);
  }
  let keyRows = 0;
  if (o.keys) {
    const files = r.model.files.length > 1 ? r.model.files.map((f) => f.file) : null;
    const output = (wb as unknown as { stream?: Writable }).stream;
    if (output === undefined) throw new Error('exceljs: a WorkbookWriter without its output stream (a new exceljs version?)');
    const sheets = new KeySheets(wb, filters, names.length, o.escape, files, o.maxRows ?? XLSX_MAX_ROWS, output);
    try {
      await o.keys(sheets);
    } finally {
      sheets.detach();
    }
    sheets.finish();
    names.push(...sheets.names);
    keyRows = sheets.rows;
  }
  await wb.commit();
  return { sheets: names, keyRows };
}
