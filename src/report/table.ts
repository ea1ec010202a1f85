/**
 * A table as the row producer hands it to the sinks: typed columns and raw cells. The sinks
 * decide how a cell looks (text: `1.79 MiB`; CSV and JSON: `1876543`).
 */

export type ColumnKind =
  /** a string */
  | 'text'
  /** a byte string from the dump (key, prefix): escaped by the sink */
  | 'key'
  /** a count of things */
  | 'count'
  /** a count that may be negative (diffs): `+12` in text */
  | 'count-delta'
  /** a size in bytes; null when unknown */
  | 'bytes'
  /** a size change in bytes: `+1.2 MiB` in text */
  | 'bytes-delta'
  /** a percentage, 0..100 */
  | 'percent'
  /** a ratio such as a shard's size over the mean (1 = average) */
  | 'ratio'
  /** absolute time in ms since the epoch, null for none; ISO-8601 in every sink */
  | 'time'
  /** a plain number */
  | 'number';

export interface Column {
  /** the name in JSON and the CSV header */
  id: string;
  /** the heading in text */
  header: string;
  kind: ColumnKind;
}

export type Cell = string | number | Buffer | null;

export interface Table {
  /** the name in a JSON document */
  id: string;
  /** the heading in text */
  title: string;
  columns: Column[];
  rows: Cell[][];
  /** a line printed under the table in text, and kept as `note` in JSON */
  note?: string;
}

export function col(id: string, kind: ColumnKind, header = id.replace(/_/g, ' ')): Column {
  return { id, header, kind };
}

/** Percent of a whole, 0 when the whole is 0. */
export function pct(part: number, whole: number): number {
  return whole > 0 ? (part / whole) * 100 : 0;
}

/** Mean, rounded to whole bytes; 0 for no keys. */
export function mean(bytes: number, keys: number): number {
  return keys > 0 ? Math.round(bytes / keys) : 0;
}
