/**
 * The key filter as the app runs it: one time-sliced pass at a time (a new pattern cancels the
 * running one), with its progress for the status line.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Explorer } from '../data/explorer.js';
import { runFilter, type FilterResult, type FilterRun, type KeyPattern } from '../data/filter.js';

export type FilterState =
  | { status: 'none' }
  | { status: 'running'; pattern: KeyPattern; progress: number }
  | { status: 'done'; pattern: KeyPattern; result: FilterResult; ms: number; refreshed?: boolean };

export interface FilterHandle {
  state: FilterState;
  /** the result in force (null while none or running) */
  result: FilterResult | null;
  apply: (pattern: KeyPattern) => void;
  clear: () => void;
  /** the same pattern's result over a rebuilt index (following a primary): no status message */
  replace: (pattern: KeyPattern, result: FilterResult) => void;
  /** the latest state (before React renders it) */
  get: () => FilterState;
}

export function useFilter(explorer: Explorer | null): FilterHandle {
  const [state, setStateRaw] = useState<FilterState>({ status: 'none' });
  const latest = useRef<FilterState>(state);
  const setState = useCallback((s: FilterState) => {
    latest.current = s;
    setStateRaw(s);
  }, []);
  const running = useRef<FilterRun | null>(null);
  useEffect(() => () => running.current?.cancel(), []);
  const apply = useCallback(
    (pattern: KeyPattern) => {
      if (!explorer) return;
      running.current?.cancel();
      const started = performance.now();
      let lastShown = 0;
      setState({ status: 'running', pattern, progress: 0 });
      const run = runFilter(explorer.index, pattern, {
        now: explorer.options.now,
        prefix: explorer.prefixOptions,
        onProgress: (progress) => {
          const t = performance.now();
          if (t - lastShown < 100) return;
          lastShown = t;
          setState({ status: 'running', pattern, progress });
        },
      });
      running.current = run;
      void run.promise.then((result) => {
        if (running.current !== run || result === null) return;
        running.current = null;
        setState({ status: 'done', pattern, result, ms: performance.now() - started });
      });
    },
    [explorer, setState],
  );
  const clear = useCallback(() => {
    running.current?.cancel();
    running.current = null;
    setState({ status: 'none' });
  }, [setState]);
  const replace = useCallback(
    (pattern: KeyPattern, result: FilterResult) => {
      const s = latest.current;
      if (s.status !== 'done' || s.pattern !== pattern) return;
      setState({ ...s, result, refreshed: true });
    },
    [setState],
  );
  const get = useCallback(() => latest.current, []);
  return { state, result: state.status === 'done' ? state.result : null, apply, clear, replace, get };
}
