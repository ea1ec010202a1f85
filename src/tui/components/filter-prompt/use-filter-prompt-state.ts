/**
 * The filter prompt's text: a pure reducer (type, delete, clear) and its hook (held by the app,
 * so that keys typed right after `/` reach it before the prompt is drawn).
 */
import { useSyncReducer } from '../../hooks/use-sync-reducer.js';
import type { NavKey } from '../../hooks/use-key-router.js';

export type PromptAction = { type: 'insert'; text: string } | { type: 'backspace' } | { type: 'clear' } | { type: 'set'; text: string };

export function promptReducer(text: string, a: PromptAction): string {
  switch (a.type) {
    case 'insert':
      // control characters (pasted newlines, escape sequences) are not part of a pattern
      // eslint-disable-next-line no-control-regex
      return text + a.text.replace(/[\u0000-\u001f\u007f]/g, '');
    case 'backspace':
      return Array.from(text).slice(0, -1).join('');
    case 'clear':
      return '';
    case 'set':
      return a.text;
  }
}

export function useFilterPromptState(initial = '') {
  return useSyncReducer(promptReducer, initial);
}

/** The prompt's keys: Enter submits the text, Esc cancels, Backspace, Ctrl+U clears, the rest types. */
export function promptInput(
  dispatch: (a: PromptAction) => void,
  text: () => string,
  input: string,
  key: NavKey,
  on: { submit: (text: string) => void; cancel: () => void },
): void {
  if (key.return) on.submit(text());
  else if (key.escape) on.cancel();
  else if (key.backspace || key.delete) dispatch({ type: 'backspace' });
  else if (key.ctrl && input === 'u') dispatch({ type: 'clear' });
  else if (!key.ctrl && !key.meta && input.length > 0 && !key.upArrow && !key.downArrow && !key.leftArrow && !key.rightArrow && !key.tab) {
    dispatch({ type: 'insert', text: input });
  }
}
