/**
 * `e`: write the current view's table to a CSV file, one export at a time, reporting the rows
 * written and the path.
 */
import { useCallback, useRef, useState } from 'react';
import { exportPath, writeCsv, type CsvTable } from '../data/export-csv.js';

export type ExportState =
  | { status: 'idle' }
  | { status: 'running'; path: string; rows: number; total: number }
  | { status: 'done'; path: string; rows: number }
  | { status: 'failed'; path: string; error: string };

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
          setState({ status: 'failed', path: file, error: err instanceof Error ? err.message : String(err) });
        },
      );
    },
    [dir],
  );
  return { state, start };
}
