/**
 * The explorer's own state: which view is shown, what is open over it (key detail, help, filter
 * prompt) and the status line. A pure reducer and its hook; each view keeps its own state
 * (cursor, sort, path) in its component folder.
 */
import { useSyncReducer } from './use-sync-reducer.js';

export type ViewId = 'overview' | 'doctor' | 'keys' | 'prefixes' | 'expiry' | 'evict';

export interface ViewDef {
  id: ViewId;
  /** the key that shows it */
  key: string;
  title: string;
}

export const VIEWS: readonly ViewDef[] = [
  { id: 'overview', key: '1', title: 'Overview' },
  { id: 'doctor', key: '2', title: 'Doctor' },
  { id: 'keys', key: '3', title: 'Top keys' },
  { id: 'prefixes', key: '4', title: 'Prefixes' },
  { id: 'expiry', key: '5', title: 'Expiry' },
  { id: 'evict', key: '6', title: 'Evict' },
];

export type Tone = 'info' | 'ok' | 'error';

export interface AppState {
  view: ViewId;
  /** global id of the key whose detail is open, -1 for none */
  detail: number;
  overlay: 'help' | 'filter' | null;
  message: { text: string; tone: Tone } | null;
}

export type AppAction =
  | { type: 'show-view'; view: ViewId }
  | { type: 'next-view'; step: 1 | -1 }
  | { type: 'open-detail'; gid: number }
  | { type: 'close-detail' }
  | { type: 'open-overlay'; overlay: 'help' | 'filter' }
  | { type: 'close-overlay' }
  | { type: 'message'; text: string; tone: Tone }
  | { type: 'clear-message' };

export const INITIAL_APP_STATE: AppState = { view: 'overview', detail: -1, overlay: null, message: null };

export function appReducer(s: AppState, a: AppAction): AppState {
  switch (a.type) {
    case 'show-view':
      return { ...s, view: a.view, detail: -1 };
    case 'next-view': {
      const i = VIEWS.findIndex((v) => v.id === s.view);
      const next = VIEWS[(i + a.step + VIEWS.length) % VIEWS.length]!;
      return { ...s, view: next.id, detail: -1 };
    }
    case 'open-detail':
      return { ...s, detail: a.gid };
    case 'close-detail':
      return { ...s, detail: -1 };
    case 'open-overlay':
      return { ...s, overlay: a.overlay };
    case 'close-overlay':
      return { ...s, overlay: null };
    case 'message':
      return { ...s, message: { text: a.text, tone: a.tone } };
    case 'clear-message':
      return s.message ? { ...s, message: null } : s;
  }
}

export function useAppState(initial: Partial<AppState> = {}) {
  return useSyncReducer(appReducer, { ...INITIAL_APP_STATE, ...initial });
}
