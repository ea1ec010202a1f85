/**
 * Text sink: tables and headings for a terminal. Colour (plain ANSI SGR codes) only when the
 * caller says so: the CLI turns it on for a TTY unless NO_COLOR is set.
 */
import type { EscapeMode } from './escape.js';
import { formatBytes, formatBytesDelta, formatCount, formatSignedCount, isoTime, terminalText } from './format.js';
import type { Cell, Column, Table } from './table.js';

export interface TextStyle {
  color: boolean;
  /** how key bytes are shown (then made safe for a terminal) */
  escape: EscapeMode;
  /** longest key or prefix shown before it is cut with `…` (characters) */
  maxKeyWidth: number;
}

export const DEFAULT_TEXT_STYLE: TextStyle = { color: false, escape: 'utf8', maxKeyWidth: 60 };

const SGR = {
  bold: '\u001b[1m',
  dim: '\u001b[2m',
  red: '\u001b[31m',
  green: '\u001b[32m',
  yellow: '\u001b[33m',
  cyan: '\u001b[36m',
  reset: '\u001b[0m',
} as const;

export type Paint = keyof typeof SGR;

export function paint(style: TextStyle, what: Paint | Paint[], text: string): string {
  if (!style.color || text.length === 0) return text;
  const codes = (Array.isArray(what) ? what : [what]).map((w) => SGR[w]).join('');
  return `${codes}${text}${SGR.reset}`;
}

/** Whether to colour output going to `stream` (`when`: auto, always, never). */
export function wantColor(when: 'auto' | 'always' | 'never', stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (when !== 'auto') return when === 'always';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

/** Characters, counting astral code points once. */
function width(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) n++;
  }
  return n;
}

function cut(s: string, max: number): string {
  if (width(s) <= max) return s;
  const cps = Array.from(s);
  return cps.slice(0, Math.max(1, max - 1)).join('') + '…';
}

/** One cell as text. */
export function cellText(cell: Cell, column: Column, style: TextStyle): string {
  if (cell === null) {
    return column.kind === 'time' ? '' : '-';
  }
  switch (column.kind) {
    case 'key':
      return cut(Buffer.isBuffer(cell) ? terminalText(cell, style.escape) : String(cell), style.maxKeyWidth);
    case 'count':
      return typeof cell === 'number' ? formatCount(cell) : String(cell);
    case 'count-delta':
      return typeof cell === 'number' ? formatSignedCount(cell) : String(cell);
    case 'bytes':
      return typeof cell === 'number' ? (cell < 0 ? '?' : formatBytes(cell)) : String(cell);
    case 'bytes-delta':
      return typeof cell === 'number' ? formatBytesDelta(cell) : String(cell);
    case 'percent':
      return typeof cell === 'number' ? (cell > 0 && cell < 0.05 ? '<0.1%' : `${cell.toFixed(1)}%`) : String(cell);
    case 'ratio':
      return typeof cell === 'number' ? `${cell.toFixed(2)}x` : String(cell);
    case 'time':
      return typeof cell === 'number' ? isoTime(cell) : String(cell);
    case 'number':
      return String(cell);
    case 'text':
      return Buffer.isBuffer(cell) ? terminalText(cell, style.escape) : String(cell);
  }
}

function rightAligned(column: Column): boolean {
  return column.kind !== 'text' && column.kind !== 'key' && column.kind !== 'time';
}

/** A table as lines of text (no trailing newline on the last): heading, column headers, rows, note. */
export function renderTable(table: Table, style: TextStyle, opts: { title?: boolean; indent?: string } = {}): string[] {
  const indent = opts.indent ?? '';
  const cells = table.rows.map((row) => table.columns.map((c, i) => cellText(row[i] ?? null, c, style)));
  const widths = table.columns.map((c, i) => Math.max(width(c.header), ...cells.map((r) => width(r[i]!))));
  const pad = (s: string, i: number): string => {
    const fill = ' '.repeat(Math.max(0, widths[i]! - width(s)));
    return rightAligned(table.columns[i]!) ? fill + s : s + fill;
  };
  const line = (parts: string[]): string => indent + parts.join('  ').trimEnd();
  const out: string[] = [];
  if (opts.title !== false) out.push(paint(style, ['bold', 'cyan'], table.title));
  if (table.rows.length === 0) {
    out.push(indent + paint(style, 'dim', '(none)'));
  } else {
    out.push(paint(style, 'bold', line(table.columns.map((c, i) => pad(c.header, i)))));
    for (const r of cells) out.push(line(r.map(pad)));
  }
  if (table.note) out.push(indent + paint(style, 'dim', table.note));
  return out;
}

/** `name: value` lines, names padded to one width. */
export function renderPairs(pairs: ReadonlyArray<readonly [string, string]>, style: TextStyle, indent = '  '): string[] {
  const w = Math.max(0, ...pairs.map(([k]) => width(k)));
  return pairs.map(([k, v]) => `${indent}${paint(style, 'dim', k.padEnd(w + (k.length - width(k))))}  ${v}`);
}
