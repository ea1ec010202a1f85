/**
 * Evict's keys. Typing the limit: characters, Backspace, Ctrl+U, Enter runs, Esc stops typing.
 * Otherwise: m (or Enter) types a new limit, p / P the next / previous policy, x exact or
 * sampled, the table keys move through the prefixes.
 */
import type { NavKey } from '../../hooks/use-key-router.js';
import { tableKey } from '../table/index.js';
import type { EvictHandle } from './use-evict-state.js';

/** While typing: every key is the view's (the app asks before its own keys). */
export function evictEditing(h: EvictHandle): boolean {
  return h.get().editing;
}

export function evictInput(h: EvictHandle, input: string, key: NavKey): boolean {
  const d = h.dispatch;
  if (h.get().editing) {
    if (key.return) d({ type: 'submit' });
    else if (key.escape) d({ type: 'cancel' });
    else if (key.backspace || key.delete) d({ type: 'text', action: { type: 'backspace' } });
    else if (key.ctrl && input === 'u') d({ type: 'text', action: { type: 'clear' } });
    else if (!key.ctrl && !key.meta && input.length > 0 && !key.tab && !key.upArrow && !key.downArrow) d({ type: 'text', action: { type: 'insert', text: input } });
    return true;
  }
  if (input === 'm' || key.return) d({ type: 'edit' });
  else if (input === 'p') d({ type: 'policy', step: 1 });
  else if (input === 'P') d({ type: 'policy', step: -1 });
  else if (input === 'x') d({ type: 'mode' });
  else return tableKey(h.table.dispatch, input, key);
  return true;
}
