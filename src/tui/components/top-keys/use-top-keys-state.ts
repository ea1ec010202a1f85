/**
 * Top keys: the sort in force and the table position over the keys (all of them, or the
 * filter's matches) in that order. The order arrays are precomputed (KeyIndex, FilterResult):
 * a row is one array read, so paging costs nothing however many keys there are.
 */
import { useCallback } from 'react';
import { useSyncReducer } from '../../hooks/use-sync-reducer.js';
import { SORT_FIELDS, type SortField } from '../../data/key-index.js';
import type { Explorer } from '../../data/explorer.js';
import type { FilterResult } from '../../data/filter.js';
import { clampTable, INITIAL_TABLE_STATE, tableReducer, type TableAction, type TableShape, type TableState } from '../table/index.js';

export interface TopKeysState {
  sort: SortField;
  /** iterate the order backwards (smallest first) */
  reversed: boolean;
  table: TableState;
}

export type TopKeysAction =
  | { type: 'cycle-sort' }
  | { type: 'reverse' }
  | { type: 'jump'; sort: SortField; reversed: boolean; row: number }
  | { type: 'table'; action: TableAction };

export const INITIAL_TOP_KEYS_STATE: TopKeysState = { sort: 'memory', reversed: false, table: INITIAL_TABLE_STATE };

export function topKeysReducer(s: TopKeysState, a: TopKeysAction & { shape: TableShape }): TopKeysState {
  switch (a.type) {
    case 'cycle-sort': {
      const next = SORT_FIELDS[(SORT_FIELDS.indexOf(s.sort) + 1) % SORT_FIELDS.length]!;
      return { sort: next, reversed: false, table: INITIAL_TABLE_STATE };
    }
    case 'reverse':
      return { ...s, reversed: !s.reversed, table: INITIAL_TABLE_STATE };
    case 'jump':
      return { sort: a.sort, reversed: a.reversed, table: clampTable({ cursor: a.row, offset: a.row }, a.shape) };
    case 'table':
      return { ...s, table: tableReducer(s.table, { ...a.action, shape: a.shape }) };
  }
}

export interface TopKeysHandle {
  sort: SortField;
  reversed: boolean;
  table: TableState;
  shape: TableShape;
  /** keys in the list */
  total: number;
  /** global id of the row-th key in the list (as rendered) */
  gidAt: (row: number) => number;
  /** global id of the selected key in the latest state (keys not rendered yet included), -1 */
  selectedNow: () => number;
  dispatch: (a: TopKeysAction) => void;
}

/** The ids in list order for a sort (and the filter's matches when one is in force). */
export function orderOf(explorer: Explorer, filter: FilterResult | null, sort: SortField): Uint32Array {
  return filter ? filter.order(sort) : explorer.index.order(sort);
}

export function useTopKeysState(explorer: Explorer, filter: FilterResult | null, pageSize: number): TopKeysHandle {
  const [raw, dispatchRaw, get] = useSyncReducer(topKeysReducer, INITIAL_TOP_KEYS_STATE);
  const order = orderOf(explorer, filter, raw.sort);
  const total = order.length;
  const shape: TableShape = { total, pageSize };
  const dispatch = useCallback((a: TopKeysAction) => dispatchRaw({ ...a, shape: { total, pageSize } }), [dispatchRaw, total, pageSize]);
  const reversed = raw.reversed;
  const gidAt = useCallback((row: number) => order[reversed ? total - 1 - row : row]!, [order, reversed, total]);
  const selectedNow = useCallback(() => {
    const s = get();
    const o = orderOf(explorer, filter, s.sort);
    if (o.length === 0) return -1;
    const row = clampTable(s.table, { total: o.length, pageSize }).cursor;
    return o[s.reversed ? o.length - 1 - row : row]!;
  }, [get, explorer, filter, pageSize]);
  return { sort: raw.sort, reversed, table: clampTable(raw.table, shape), shape, total, gidAt, selectedNow, dispatch };
}
