/**
 * Load the dumps once, reporting progress (with the figures of the keys read so far) at most
 * every `intervalMs` (a 500 MB dump sends a progress call per 256 KB chunk: a render for each
 * would slow the load down; so would a full-screen overview every 100 ms).
 */
import { useEffect, useRef, useState } from 'react';
import { openExplorer, type Explorer, type ExplorerOptions, type LoadProgress } from '../data/explorer.js';

export type LoaderState =
  | { status: 'loading'; progress: LoadProgress; startedAt: number; now: number }
  | { status: 'ready'; explorer: Explorer; loadMs: number }
  | { status: 'failed'; error: string };

export function useLoader(options: ExplorerOptions, preloaded?: Explorer, intervalMs = 250): LoaderState {
  const [state, setState] = useState<LoaderState>(() =>
    preloaded
      ? { status: 'ready', explorer: preloaded, loadMs: 0 }
      : { status: 'loading', progress: { phase: 'reading', bytesRead: 0, totalBytes: 0, keys: 0, indexed: 0 }, startedAt: Date.now(), now: Date.now() },
  );
  const started = useRef(false);
  useEffect(() => {
    // following a primary: useLiveFeed instead
    if (preloaded || started.current || options.replica) return;
    started.current = true;
    const startedAt = Date.now();
    let last = 0;
    let phase = '';
    let alive = true;
    openExplorer(options, (progress) => {
      const now = Date.now();
      // at most one frame per interval within a phase (the indexing reports every ~20 ms slice)
      if (!alive || (now - last < intervalMs && progress.phase === phase)) return;
      last = now;
      phase = progress.phase;
      setState({ status: 'loading', progress, startedAt, now });
    }).then(
      (explorer) => alive && setState({ status: 'ready', explorer, loadMs: Date.now() - startedAt }),
      (err: unknown) => alive && setState({ status: 'failed', error: err instanceof Error ? err.message : String(err) }),
    );
    return () => {
      alive = false;
    };
    // the options are fixed for the app's life
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return state;
}
