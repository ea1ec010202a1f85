/**
 * Following a primary (`--replicaof`): the LiveFeed started with the app and closed with it;
 * its sync progress until the first full sync is indexed, then each rebuilt explorer and the
 * replication figures, re-rendered at most every feed.renderMs (see src/tui/data/live.ts).
 */
import { useEffect, useRef, useState } from 'react';
import type { Explorer, ExplorerOptions } from '../data/explorer.js';
import { LiveFeed, type LiveFeedOptions, type ReplicationStatus } from '../data/live.js';

export type LiveState =
  | { status: 'off' }
  | { status: 'syncing'; rep: ReplicationStatus; startedAt: number; now: number; indexing: number | null }
  | { status: 'ready'; explorer: Explorer; rep: ReplicationStatus; rebuilding: number | null };

export function useLiveFeed(options: ExplorerOptions, feedOptions: LiveFeedOptions = {}): LiveState {
  const [state, setState] = useState<LiveState>({ status: 'off' });
  const started = useRef(false);
  useEffect(() => {
    const target = options.replica;
    if (!target || started.current) return;
    started.current = true;
    const feed = new LiveFeed(options, target, feedOptions);
    const startedAt = Date.now();
    const update = (): void => {
      const rep = feed.status();
      const ex = feed.explorer;
      if (ex) setState({ status: 'ready', explorer: ex, rep, rebuilding: feed.rebuilding });
      else setState({ status: 'syncing', rep, startedAt, now: Date.now(), indexing: feed.rebuilding });
    };
    const off = feed.subscribe(update);
    feed.start();
    update();
    return () => {
      off();
      feed.close();
    };
    // the options are fixed for the app's life
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return state;
}
