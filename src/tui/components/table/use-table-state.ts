/**
 * A table's cursor and scroll position over `total` rows of which `pageSize` fit: a pure reducer
 * (the row count and page size come with each action, so that a resize or a new filter only
 * needs the next read to clamp) and the hook around it.
 */
import { useCallback } from 'react';
import { useSyncReducer } from '../../hooks/use-sync-reducer.js';
import { navMove, type NavKey } from '../../hooks/use-key-router.js';

export interface TableState {
  /** the selected row */
  cursor: number;
  /** the first visible row */
  offset: number;
}

export interface TableShape {
  total: number;
  pageSize: number;
}

export type TableAction =
  | { type: 'up' }
  | { type: 'down' }
  | { type: 'page-up' }
  | { type: 'page-down' }
  | { type: 'home' }
  | { type: 'end' }
  | { type: 'select'; row: number }
  | { type: 'reset' };

export const INITIAL_TABLE_STATE: TableState = { cursor: 0, offset: 0 };

/** The state made consistent with a shape: cursor in range and visible. */
export function clampTable(s: TableState, { total, pageSize }: TableShape): TableState {
  const page = Math.max(1, pageSize);
  if (total <= 0) return s.cursor === 0 && s.offset === 0 ? s : INITIAL_TABLE_STATE;
  const cursor = Math.min(Math.max(0, s.cursor), total - 1);
  let offset = Math.min(Math.max(0, s.offset), Math.max(0, total - page));
  if (cursor < offset) offset = cursor;
  if (cursor >= offset + page) offset = cursor - page + 1;
  return cursor === s.cursor && offset === s.offset ? s : { cursor, offset };
}

export function tableReducer(state: TableState, action: TableAction & { shape: TableShape }): TableState {
  const s = clampTable(state, action.shape);
  const { total, pageSize } = action.shape;
  const page = Math.max(1, pageSize);
  const go = (cursor: number, offset = s.offset): TableState => clampTable({ cursor, offset }, action.shape);
  switch (action.type) {
    case 'up':
      return go(s.cursor - 1);
    case 'down':
      return go(s.cursor + 1);
    case 'page-up':
      return go(s.cursor - page, s.offset - page);
    case 'page-down':
      return go(s.cursor + page, s.offset + page);
    case 'home':
      return go(0, 0);
    case 'end':
      return go(total - 1, total - page);
    case 'select':
      return go(action.row);
    case 'reset':
      return INITIAL_TABLE_STATE;
  }
}

export interface TableHandle {
  /** the state clamped to the current shape (as rendered) */
  state: TableState;
  shape: TableShape;
  dispatch: (action: TableAction) => void;
  /** the latest state, keys not rendered yet included */
  get: () => TableState;
}

/** A table state for `shape` (clamped on read: no effect needed when rows or height change). */
export function useTableState(shape: TableShape): TableHandle {
  const [raw, dispatchRaw, getRaw] = useSyncReducer(tableReducer, INITIAL_TABLE_STATE);
  const { total, pageSize } = shape;
  const dispatch = useCallback((action: TableAction) => dispatchRaw({ ...action, shape: { total, pageSize } }), [dispatchRaw, total, pageSize]);
  const get = useCallback(() => clampTable(getRaw(), { total, pageSize }), [getRaw, total, pageSize]);
  return { state: clampTable(raw, shape), shape, dispatch, get };
}

/** Apply the usual navigation keys; returns whether the key was one of them. */
export function tableKey(dispatch: (a: TableAction) => void, input: string, key: NavKey): boolean {
  const move = navMove(input, key);
  if (move === null) return false;
  dispatch({ type: move });
  return true;
}
