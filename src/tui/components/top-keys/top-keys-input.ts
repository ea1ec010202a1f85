/**
 * Top keys' keys: moving, `s` sort, `r` reverse, Enter opens the selected key. Returns whether
 * the key was Top keys' (the app routes every key: see hooks/use-key-router.ts).
 */
import type { NavKey } from '../../hooks/use-key-router.js';
import { tableKey } from '../table/index.js';
import type { TopKeysHandle } from './use-top-keys-state.js';

export function topKeysInput(state: TopKeysHandle, input: string, key: NavKey, onOpen: (gid: number) => void): boolean {
  if (tableKey((action) => state.dispatch({ type: 'table', action }), input, key)) return true;
  if (input === 's') state.dispatch({ type: 'cycle-sort' });
  else if (input === 'r') state.dispatch({ type: 'reverse' });
  else if (key.return) {
    const gid = state.selectedNow();
    if (gid >= 0) onOpen(gid);
  } else return false;
  return true;
}
