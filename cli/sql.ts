/**
 * `rdblens sql "<query>" <dump...|file.parquet...>`: SQL over the per-key table with the
 * embedded DuckDB. Parquet inputs are read where they are; dumps are first turned into one
 * Parquet file in a temporary directory by the same export as `csv --format parquet` (so the
 * columns are the same whichever the input). The query sees one view, `keys`, over all of them
 * (read_parquet with union_by_name: files of older or newer column sets still line up).
 * The result is printed as an aligned table, CSV (--csv) or JSON (--json).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Writable } from 'node:stream';
import {
  DuckDBBlobValue,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  type DuckDBValue,
} from '@duckdb/node-api';
import { csvLine, type CsvField } from '../src/report/csv.js';
import { escapeBytes, type EscapeMode } from '../src/report/escape.js';
import { jsonDocument, type JsonValue } from '../src/report/json.js';
import { sqlString } from '../src/report/parquet.js';
import { sqlExample, SQL_EXAMPLES } from '../src/report/sql-examples.js';
import { failIfIncomplete, writeAll, type CommandIo } from './common.js';
import { duckError, openDuck } from './duckdb.js';
import { CliError } from './errors.js';
import { defaultJobs } from './options.js';
import { runParquetExport, type ParquetExportOptions } from './parquet-export.js';
import { isParquetFile } from './parquet-input.js';
import type { KeyPass } from '../src/memory/sizer.js';

export interface SqlOptions extends ParquetExportOptions {
  csv: boolean;
  json: boolean;
  example?: string;
}

/** A result cell as JSON: integers as numbers while exact, blobs escaped, times ISO-8601. */
export function cellValue(v: DuckDBValue, escape: EscapeMode): JsonValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof DuckDBBlobValue) return escapeBytes(Buffer.from(v.bytes), escape);
  if (v instanceof DuckDBTimestampTZValue || v instanceof DuckDBTimestampValue) {
    return v.isFinite ? new Date(Number(v.micros / 1000n)).toISOString() : v.toString();
  }
  if (v instanceof DuckDBTimestampMillisecondsValue) return new Date(Number(v.millis)).toISOString();
  if (v instanceof DuckDBDateValue) return v.toString();
  if (v instanceof DuckDBDecimalValue) return v.toDouble();
  return String(v);
}

function textCell(v: JsonValue): string {
  if (v === null) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** The rows as an aligned table: numbers right-aligned, the rest left; the row count after. */
export function renderResult(columns: readonly string[], rows: readonly JsonValue[][]): string {
  const width = columns.map((c) => c.length);
  const numeric = columns.map((_, i) => rows.length > 0 && rows.every((r) => r[i] === null || typeof r[i] === 'number'));
  const cells = rows.map((r) => r.map(textCell));
  for (const r of cells) r.forEach((c, i) => (width[i] = Math.max(width[i]!, c.length)));
  const line = (r: readonly string[]): string =>
    r
      .map((c, i) => (numeric[i] ? c.padStart(width[i]!) : c.padEnd(width[i]!)))
      .join('  ')
      .trimEnd();
  const out = [line(columns), line(width.map((w) => '-'.repeat(w))), ...cells.map(line)];
  out.push(`(${rows.length} row${rows.length === 1 ? '' : 's'})`);
  return out.join('\n') + '\n';
}


/** Query, inputs: --example takes the place of the query (every positional is then an input). */
export function resolveQuery(query: string | undefined, inputs: string[], o: Pick<SqlOptions, 'example'>): { sql: string; inputs: string[] } {
  if (o.example !== undefined) {
    const ex = sqlExample(o.example);
    if (!ex) throw new CliError(`--example: no example "${o.example}" (${SQL_EXAMPLES.map((e) => e.name).join(', ')})`, 2);
    return { sql: ex.sql, inputs: query !== undefined ? [query, ...inputs] : inputs };
  }
  if (query === undefined || query.trim() === '') throw new CliError('give a query (or --example <name>)', 2);
  return { sql: query, inputs };
}

export async function runSql(query: string | undefined, files: string[], o: SqlOptions, io: CommandIo): Promise<void> {
  const { sql, inputs } = resolveQuery(query, files, o);
  if (inputs.length === 0) throw new CliError('give at least one dump or Parquet file', 2);
  if (o.csv && o.json) throw new CliError('--csv and --json: choose one', 2);
  const kinds = await Promise.all(inputs.map((f) => isParquetFile(f)));
  const dumps = inputs.filter((_, i) => !kinds[i]);
  const parquet = inputs.filter((_, i) => kinds[i]);
  const dir = mkdtempSync(path.join(tmpdir(), 'rdblens-sql-'));
  let passes: KeyPass[] = [];
  try {
    if (dumps.length > 0) {
      const out = path.join(dir, 'dumps.parquet');
      ({ passes } = await runParquetExport(dumps, { ...o, output: out, ...(o.shard ? { shard: o.shard } : {}) }, io));
      parquet.push(out);
    }
    const duck = await openDuck({ threads: defaultJobs(), memoryLimit: '2GB', tempDirectory: path.join(dir, 'duckdb-tmp') });
    try {
      const list = `[${parquet.map((f) => sqlString(path.resolve(f))).join(', ')}]`;
      try {
        await duck.connection.run(`CREATE VIEW keys AS SELECT * FROM read_parquet(${list}, union_by_name = true)`);
      } catch (err) {
        throw duckError('reading the Parquet inputs', err);
      }
      let result;
      try {
        result = await duck.connection.stream(sql);
      } catch (err) {
        throw duckError('sql', err);
      }
      const columns = result.columnNames();
      const out = io.stdout as Writable;
      // --csv and --json are written chunk by chunk; the table needs every row for its widths
      const table: JsonValue[][] = [];
      let first = true;
      if (o.csv) await writeAll(out, csvLine(columns));
      if (o.json) await writeAll(out, '[');
      for (;;) {
        let chunk;
        try {
          chunk = await result.fetchChunk();
        } catch (err) {
          throw duckError('sql', err);
        }
        if (!chunk || chunk.rowCount === 0) break;
        const rows = chunk.getRows().map((r) => r.map((v) => cellValue(v, o.escape)));
        if (o.json) {
          let text = '';
          for (const r of rows) {
            const obj = Object.fromEntries(columns.map((c, i) => [c, r[i]!]));
            text += (first ? '\n' : ',\n') + jsonDocument(obj).trimEnd().replace(/^/gm, '  ');
            first = false;
          }
          await writeAll(out, text);
        } else if (o.csv) await writeAll(out, rows.map((r) => csvLine(r.map((v): CsvField => (v === null ? '' : typeof v === 'number' ? v : textCell(v))))).join(''));
        else for (const r of rows) table.push(r);
      }
      if (o.json) await writeAll(out, first ? ']\n' : '\n]\n');
      if (!o.csv && !o.json) await writeAll(out, renderResult(columns, table));
    } finally {
      duck.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  failIfIncomplete(passes);
}
