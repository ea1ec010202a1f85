/**
 * Prefixes' keys: moving, Enter (or →) descends, Backspace/←/Esc go up, `t` (or Enter on a
 * prefix with nothing below) lists the keys under the selected prefix, `s` / `r` sort.
 */
import type { NavKey } from '../../hooks/use-key-router.js';
import { tableKey } from '../table/index.js';
import type { PrefixesHandle, PrefixRow } from './use-prefixes-state.js';

export function prefixesInput(state: PrefixesHandle, input: string, key: NavKey, onShowKeys: (row: PrefixRow) => void): boolean {
  if (tableKey((action) => state.dispatch({ type: 'table', action }), input, key)) return true;
  if (key.return || key.rightArrow) {
    const row = state.selectedNow();
    if (row?.kind === 'prefix' && row.node!.children.size > 0) state.dispatch({ type: 'descend', segment: row.segment });
    else if (row?.kind === 'prefix' && key.return) onShowKeys(row);
  } else if (key.backspace || key.delete || key.leftArrow || key.escape) state.dispatch({ type: 'up' });
  else if (input === 't') {
    const row = state.selectedNow();
    if (row?.kind === 'prefix') onShowKeys(row);
  } else if (input === 's') state.dispatch({ type: 'cycle-sort' });
  else if (input === 'r') state.dispatch({ type: 'reverse' });
  else return false;
  return true;
}
