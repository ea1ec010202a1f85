/**
 * useReducer whose latest state can be read synchronously (`get()`), before React renders it.
 *
 * Keys can arrive several in one read (a paste, `tmux send-keys 3 Down Enter`, a fast typist on
 * a slow frame): Ink hands them to the input handler one after the other before React has
 * rendered the first one's update. Deciding what the second key does from the last rendered
 * state would send it to the wrong view; reading `get()` sees the first key's effect.
 */
import { useCallback, useRef, useState } from 'react';

export type SyncDispatch<A> = (action: A) => void;

export function useSyncReducer<S, A>(reducer: (state: S, action: A) => S, initial: S | (() => S)): [S, SyncDispatch<A>, () => S] {
  const [state, setState] = useState(initial);
  const ref = useRef(state);
  const dispatch = useCallback(
    (action: A) => {
      ref.current = reducer(ref.current, action);
      setState(ref.current);
    },
    [reducer],
  );
  const get = useCallback(() => ref.current, []);
  return [state, dispatch, get];
}
