/**
 * `e`: the current view as a CSV file, written with the options of every rdblens CSV
 * (src/report/csv.ts: formulas escaped, key names are untrusted). Big tables (every key of a
 * large dump) are written in time slices with backpressure, so the screen keeps answering.
 */
import { createWriteStream, existsSync } from 'node:fs';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { csvLine, type CsvField } from '../../report/csv.js';

export interface CsvTable {
  /** short name of the view, used in the file name */
  name: string;
  header: string[];
  rowCount: number;
  rows: () => Iterable<CsvField[]>;
}

/**
 * `rdblens-<view>-20300101-120000.csv` in `dir`, or `...-120000-2.csv` and so on when a file
 * of that name exists (two exports in the same second).
 */
export function exportPath(dir: string, view: string, at = new Date(), ext = 'csv'): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${at.getFullYear()}${p(at.getMonth() + 1)}${p(at.getDate())}-${p(at.getHours())}${p(at.getMinutes())}${p(at.getSeconds())}`;
  const base = path.resolve(dir, `rdblens-${view}-${stamp}`);
  let file = `${base}.${ext}`;
  for (let n = 2; existsSync(file); n++) file = `${base}-${n}.${ext}`;
  return file;
}

const FLUSH_CHARS = 1 << 16;

/** Write the table; `onProgress` gets the rows written. Resolves with the row count. */
export async function writeCsv(file: string, table: CsvTable, onProgress: (rows: number) => void = () => {}, sliceMs = 8): Promise<number> {
  const out = createWriteStream(file, { flags: 'wx' });
  const opened = new Promise<void>((resolve, reject) => {
    out.once('open', () => resolve());
    out.once('error', reject);
  });
  await opened;
  let failed: Error | null = null;
  out.on('error', (err) => {
    failed = err;
  });
  const drain = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const done = (err?: Error): void => {
        out.off('drain', onDrain);
        out.off('error', onError);
        if (err) reject(err);
        else resolve();
      };
      const onDrain = (): void => done();
      const onError = (err: Error): void => done(err);
      out.on('drain', onDrain);
      out.on('error', onError);
    });
  let buf = csvLine(table.header);
  let rows = 0;
  let sliceStart = performance.now();
  try {
    for (const row of table.rows()) {
      buf += csvLine(row);
      rows++;
      if (buf.length >= FLUSH_CHARS) {
        if (failed) throw failed;
        const ok = out.write(buf);
        buf = '';
        if (!ok) await drain();
      }
      if ((rows & 255) === 0 && performance.now() - sliceStart >= sliceMs) {
        onProgress(rows);
        await new Promise<void>((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
    }
    if (failed) throw failed;
    out.write(buf);
    out.end();
    await finished(out);
  } catch (err) {
    out.destroy();
    throw err;
  }
  onProgress(rows);
  return rows;
}
