/**
 * One input handler for the whole app, always subscribed: it calls the latest routing function
 * (assigned on every render). Ink subscribes useInput handlers in an effect, so a handler that
 * becomes active on a key would miss the keys that arrive with it; a single stable
 * subscription that routes by the synchronously known state (useSyncReducer) misses none.
 *
 * Ink hands a run of plain characters that arrive in one read as one input ("/user:*\r" from a
 * paste or `tmux send-keys`); the router splits it back into keys, Enter, Tab and Backspace
 * included, so that `/` opens the prompt and the rest is typed into it.
 */
import { useCallback, useRef } from 'react';
import { useInput, type Key } from 'ink';

export type KeyHandler = (input: string, key: Key) => void;

/** The subset of Ink's Key the views look at. */
export type NavKey = Pick<Key, 'upArrow' | 'downArrow' | 'leftArrow' | 'rightArrow' | 'pageUp' | 'pageDown' | 'home' | 'end' | 'return' | 'escape' | 'backspace' | 'delete' | 'tab' | 'shift' | 'ctrl' | 'meta'>;

/** A move through a list or a text by the usual keys (arrows, j/k, b/space, g/G, Home/End). */
export type NavMove = 'up' | 'down' | 'page-up' | 'page-down' | 'home' | 'end';

/** The move a key stands for, or null. */
export function navMove(input: string, key: NavKey): NavMove | null {
  if (key.upArrow || input === 'k') return 'up';
  if (key.downArrow || input === 'j') return 'down';
  if (key.pageUp || input === 'b') return 'page-up';
  if (key.pageDown || input === ' ') return 'page-down';
  if (key.home || input === 'g') return 'home';
  if (key.end || input === 'G') return 'end';
  return null;
}

const SPECIAL: readonly (keyof Key)[] = ['upArrow', 'downArrow', 'leftArrow', 'rightArrow', 'pageUp', 'pageDown', 'home', 'end', 'escape', 'meta', 'ctrl'];

/** Split a run of characters into single keys (the run as Ink gave it otherwise). */
export function splitKeys(input: string, key: Key): [string, Key][] {
  const chars = Array.from(input);
  if (chars.length <= 1 || SPECIAL.some((k) => key[k] === true)) return [[input, key]];
  const none = Object.fromEntries(Object.entries(key).map(([k, v]) => [k, typeof v === 'boolean' ? false : v])) as Key;
  return chars.map((c): [string, Key] => {
    const code = c.codePointAt(0)!;
    if (c === '\r' || c === '\n') return ['', { ...none, return: true }];
    if (c === '\t') return ['', { ...none, tab: true }];
    if (code === 0x7f || code === 0x08) return ['', { ...none, backspace: code === 0x08, delete: code === 0x7f }];
    if (code < 0x20) return [String.fromCharCode(code + 96), { ...none, ctrl: true }];
    return [c, { ...none, shift: /[A-Z]/.test(c) }];
  });
}

export function useKeyRouter(route: KeyHandler, isActive = true): void {
  const latest = useRef(route);
  latest.current = route;
  const handler = useCallback<KeyHandler>((input, key) => {
    for (const [i, k] of splitKeys(input, key)) latest.current(i, k);
  }, []);
  useInput(handler, { isActive });
}
