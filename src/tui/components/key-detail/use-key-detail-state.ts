/**
 * Key detail: the key's value read lazily from its dump (readKeyAt by offset) when the detail
 * opens, dropped when it closes; and the scroll position over the lines. Following a primary,
 * from the engine instead (src/tui/data/live.ts), read again with every rebuilt explorer.
 */
import { useEffect, useState } from 'react';
import type { Explorer } from '../../data/explorer.js';
import { keyLocation } from '../../data/explorer.js';
import { loadKeyDetail, type KeyDetail } from '../../data/key-detail.js';
import { liveKeyDetail } from '../../data/live.js';

export type KeyDetailState = { status: 'none' } | { status: 'loading'; gid: number } | { status: 'ready'; gid: number; detail: KeyDetail } | { status: 'failed'; gid: number; error: string };

/** Elements kept for display. */
export const DETAIL_ELEMENTS = 200;

export function useKeyDetailState(explorer: Explorer, gid: number): KeyDetailState {
  const [state, setState] = useState<KeyDetailState>({ status: 'none' });
  useEffect(() => {
    if (gid < 0) {
      setState({ status: 'none' });
      return;
    }
    let alive = true;
    setState({ status: 'loading', gid });
    if (explorer.live) {
      // a followed key: from the engine (its value held, or read from the RDB in memory)
      try {
        const detail = liveKeyDetail(explorer, gid, DETAIL_ELEMENTS);
        setState(detail ? { status: 'ready', gid, detail } : { status: 'failed', gid, error: 'the key was deleted on the primary' });
      } catch (err) {
        setState({ status: 'failed', gid, error: err instanceof Error ? err.message : String(err) });
      }
      return;
    }
    const at = keyLocation(explorer, gid);
    const profile = explorer.loaded.analyses[at.fileIndex]!.profile;
    loadKeyDetail(at, profile, explorer.options.escape, DETAIL_ELEMENTS).then(
      (detail) => alive && setState({ status: 'ready', gid, detail }),
      (err: unknown) => alive && setState({ status: 'failed', gid, error: err instanceof Error ? err.message : String(err) }),
    );
    return () => {
      alive = false;
    };
  }, [explorer, gid]);
  // until the effect has run for a new key, the state still describes the previous one
  if (gid < 0) return { status: 'none' };
  if (state.status === 'none' || state.gid !== gid) return { status: 'loading', gid };
  return state;
}
