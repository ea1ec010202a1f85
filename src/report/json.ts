/**
 * JSON sink: tables as arrays of objects (column ids as names), key bytes escaped in the chosen
 * mode, times as ISO-8601 strings, percentages rounded to 4 decimals.
 */
import { escapeBytes, type EscapeMode } from './escape.js';
import { isoTime } from './format.js';
import type { Table } from './table.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [k: string]: JsonValue };

export function round4(n: number): number {
  return Math.round(n * 1e4) / 1e4;
}

/** Rows of a table as JSON objects. */
export function tableJson(table: Table, mode: EscapeMode): Array<Record<string, JsonValue>> {
  return table.rows.map((row) => {
    const o: Record<string, JsonValue> = {};
    table.columns.forEach((c, i) => {
      const cell = row[i] ?? null;
      if (cell === null) o[c.id] = null;
      else if (Buffer.isBuffer(cell)) o[c.id] = escapeBytes(cell, mode);
      else if (typeof cell === 'number' && c.kind === 'time') o[c.id] = cell < 0 ? null : isoTime(cell);
      else if (typeof cell === 'number' && (c.kind === 'percent' || c.kind === 'ratio')) o[c.id] = round4(cell);
      else o[c.id] = cell;
    });
    return o;
  });
}

/** A JSON document as text with a trailing newline (2-space indent: it is read by people too). */
export function jsonDocument(doc: JsonValue): string {
  return JSON.stringify(doc, null, 2) + '\n';
}
