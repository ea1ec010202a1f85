/**
 * `e`: write the report as a workbook; `E`: write the current view's table to a CSV file. One
 * export at a time; the status line shows the rows (or sheets) written and the path.
 */
import { useCallback, useRef, useState } from 'react';
import { exportPath, writeCsv, type CsvTable } from '../data/export-csv.js';
import { writeExplorerWorkbook } from '../data/export-xlsx.js';
import type { Explorer } from '../data/explorer.js';

export type ExportState =
  | { status: 'idle' }
  | { status: 'running'; path: string; rows: number; total: number }
  | { status: 'done'; path: string; rows: number }
  | { status: 'workbook'; path: string; sheets: number }
  | { status: 'failed'; path: string; error: string };

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function useExport(dir: string) {
  const [state, setState] = useState<ExportState>({ status: 'idle' });
  const busy = useRef(false);
  const start = useCallback(
    (table: CsvTable) => {
      if (busy.current) return;
      busy.current = true;
      const file = exportPath(dir, table.name);
      let last = 0;
      setState({ status: 'running', path: file, rows: 0, total: table.rowCount });
      writeCsv(file, table, (rows) => {
        const t = performance.now();
        if (t - last < 100) return;
        last = t;
        setState({ status: 'running', path: file, rows, total: table.rowCount });
      }).then(
        (rows) => {
          busy.current = false;
          setState({ status: 'done', path: file, rows });
        },
        (err: unknown) => {
          busy.current = false;
          setState({ status: 'failed', path: file, error: message(err) });
        },
      );
    },
    [dir],
  );
  const startWorkbook = useCallback(
    (explorer: Explorer) => {
      if (busy.current) return;
      busy.current = true;
      const file = exportPath(dir, 'report', new Date(), 'xlsx');
      setState({ status: 'running', path: file, rows: 0, total: 0 });
      writeExplorerWorkbook(file, explorer).then(
        (sheets) => {
          busy.current = false;
          setState({ status: 'workbook', path: file, sheets: sheets.length });
        },
        (err: unknown) => {
          busy.current = false;
          setState({ status: 'failed', path: file, error: message(err) });
        },
      );
    },
    [dir],
  );
  return { state, start, startWorkbook };
}
