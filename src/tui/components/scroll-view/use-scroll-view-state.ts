/**
 * A scroll position over `total` lines of which `height` fit: pure reducer and hook. As with the
 * table, the shape comes with each action and the state is clamped on read.
 */
import { useCallback } from 'react';
import { useSyncReducer } from '../../hooks/use-sync-reducer.js';
import { navMove, type NavKey } from '../../hooks/use-key-router.js';

export interface ScrollShape {
  total: number;
  height: number;
}

export type ScrollAction = { type: 'up' } | { type: 'down' } | { type: 'page-up' } | { type: 'page-down' } | { type: 'home' } | { type: 'end' } | { type: 'reset' };

export function clampScroll(offset: number, { total, height }: ScrollShape): number {
  return Math.max(0, Math.min(offset, total - Math.max(1, height)));
}

export function scrollReducer(offset: number, action: ScrollAction & { shape: ScrollShape }): number {
  const o = clampScroll(offset, action.shape);
  const page = Math.max(1, action.shape.height - 1);
  switch (action.type) {
    case 'up':
      return clampScroll(o - 1, action.shape);
    case 'down':
      return clampScroll(o + 1, action.shape);
    case 'page-up':
      return clampScroll(o - page, action.shape);
    case 'page-down':
      return clampScroll(o + page, action.shape);
    case 'home':
    case 'reset':
      return 0;
    case 'end':
      return clampScroll(Number.MAX_SAFE_INTEGER, action.shape);
  }
}

export interface ScrollHandle {
  offset: number;
  shape: ScrollShape;
  dispatch: (a: ScrollAction) => void;
}

export function useScrollViewState(shape: ScrollShape): ScrollHandle {
  const [raw, dispatchRaw] = useSyncReducer(scrollReducer, 0);
  const { total, height } = shape;
  const dispatch = useCallback((a: ScrollAction) => dispatchRaw({ ...a, shape: { total, height } }), [dispatchRaw, total, height]);
  return { offset: clampScroll(raw, shape), shape, dispatch };
}

/** The usual scrolling keys; returns whether the key was one of them. */
export function scrollKey(dispatch: (a: ScrollAction) => void, input: string, key: NavKey): boolean {
  const move = navMove(input, key);
  if (move === null) return false;
  dispatch({ type: move });
  return true;
}
