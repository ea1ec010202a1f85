/**
 * Evict: the limit being typed, the policy and mode, and the last run's result. A pure reducer
 * for what the keys change, and a hook that runs the simulation (src/tui/data/evict.ts) when a
 * limit is submitted or the policy or mode changes.
 */
import { useEffect, useState } from 'react';
import { MAXMEMORY_POLICIES, type MaxmemoryPolicy } from '../../../memory/evict.js';
import type { EvictMode } from '../../../engine/evict-dump.js';
import { parseLimit, type EvictResult, type EvictSimulation } from '../../data/evict.js';
import { useSyncReducer } from '../../hooks/use-sync-reducer.js';
import { promptReducer, type PromptAction } from '../filter-prompt/index.js';
import { useTableState, type TableHandle } from '../table/index.js';

export interface EvictState {
  /** the limit as typed */
  text: string;
  /** typing the limit (keys go to the text) */
  editing: boolean;
  /** the limit in force (bytes), 0 before one was submitted */
  maxmemory: number;
  policy: MaxmemoryPolicy;
  mode: EvictMode;
  /** why the text was refused */
  error: string | null;
}

export type EvictAction =
  | { type: 'edit' }
  | { type: 'text'; action: PromptAction }
  | { type: 'submit' }
  | { type: 'cancel' }
  | { type: 'policy'; step: 1 | -1 }
  | { type: 'mode' };

export const INITIAL_EVICT_STATE: EvictState = { text: '', editing: true, maxmemory: 0, policy: 'allkeys-lru', mode: 'sampled', error: null };

export function evictReducer(s: EvictState, a: EvictAction): EvictState {
  switch (a.type) {
    case 'edit':
      return { ...s, editing: true, error: null };
    case 'text':
      return { ...s, text: promptReducer(s.text, a.action), error: null };
    case 'submit': {
      const n = parseLimit(s.text);
      if (n === null) return { ...s, error: `not a size: "${s.text}" (e.g. 100mb, 1.5gb, 500000)` };
      return { ...s, maxmemory: n, editing: false, error: null };
    }
    case 'cancel':
      return { ...s, editing: false, error: null };
    case 'policy': {
      const i = MAXMEMORY_POLICIES.indexOf(s.policy);
      return { ...s, policy: MAXMEMORY_POLICIES[(i + a.step + MAXMEMORY_POLICIES.length) % MAXMEMORY_POLICIES.length]! };
    }
    case 'mode':
      return { ...s, mode: s.mode === 'sampled' ? 'exact' : 'sampled' };
  }
}

export type EvictRunState = { status: 'idle' } | { status: 'running' } | { status: 'done'; result: EvictResult } | { status: 'failed'; error: string };

export interface EvictHandle {
  state: EvictState;
  dispatch: (a: EvictAction) => void;
  get: () => EvictState;
  run: EvictRunState;
  /** the by-prefix table's position */
  table: TableHandle;
}

export function useEvictState(sim: EvictSimulation | null, pageSize: number): EvictHandle {
  const [state, dispatch, get] = useSyncReducer(evictReducer, INITIAL_EVICT_STATE);
  const [run, setRun] = useState<EvictRunState>({ status: 'idle' });
  const { maxmemory, policy, mode } = state;
  useEffect(() => {
    if (!sim || maxmemory === 0) return;
    let live = true;
    setRun({ status: 'running' });
    sim.run(maxmemory, policy, mode).then(
      (result) => live && setRun({ status: 'done', result }),
      (err: unknown) => live && setRun({ status: 'failed', error: err instanceof Error ? err.message : String(err) }),
    );
    return () => {
      live = false;
    };
  }, [sim, maxmemory, policy, mode]);
  const rows = run.status === 'done' ? (run.result.summary.tables.find((t) => t.id === 'by_prefix')?.rows.length ?? 0) : 0;
  const table = useTableState({ total: rows, pageSize });
  return { state, dispatch, get, run, table };
}
